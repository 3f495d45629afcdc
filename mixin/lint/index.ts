import type { MixinConfig } from '../config/schema.js';
import { markSpan, parsePromQL } from '../promql/parse.js';
import type { Mixin } from '../types.js';
import type { Finding } from './findings.js';

/** Every PromQL expression of the mixin with where it lives. */
export interface LocatedExpr {
  readonly file: string;
  readonly where: string;
  readonly expr: string;
}

export function ruleExpressions(mixin: Mixin): LocatedExpr[] {
  const out: LocatedExpr[] = [];
  for (const g of mixin.prometheusAlerts.groups) {
    for (const r of g.rules) out.push({ file: 'prometheus_alerts.yaml', where: `alert ${r.alert}`, expr: r.expr });
  }
  for (const g of mixin.prometheusRules.groups) {
    for (const r of g.rules) out.push({ file: 'prometheus_rules.yaml', where: `record ${r.record}`, expr: r.expr });
  }
  return out;
}

/** Run every lint rule over the mixin; an empty list means it is clean. */
export function lintMixin(mixin: Mixin, _cfg: MixinConfig): Finding[] {
  const findings: Finding[] = [];
  for (const located of ruleExpressions(mixin)) {
    const parsed = parsePromQL(located.expr);
    for (const p of parsed.problems) {
      findings.push({ ...located, rule: 'promql-syntax', message: p.message, excerpt: markSpan(located.expr, p.from, p.to) });
    }
  }
  return findings;
}
