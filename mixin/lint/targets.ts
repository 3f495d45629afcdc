import { markSpan, parsePromQL, type ParsedExpr } from '../promql/parse.js';
import type { AlertRule, Mixin, RecordingRule } from '../types.js';
import type { LintFinding } from './findings.js';
import { expandPlaceholders } from '../grafana/expand.js';
import { readDashboard, type GrafanaVariable } from '../grafana/model.js';
import { dashboardQueries } from './grafana/dashboard.js';

export const alertsFile = 'prometheus_alerts.yaml';
export const rulesFile = 'prometheus_rules.yaml';

/** One PromQL expression of the mixin, parsed, with where it lives. */
export interface LintTarget {
  /** The out/ file it ends up in. */
  readonly file: string;
  /** `alert X`, `record Y`, or `dashboard title / panel title`. */
  readonly where: string;
  readonly kind: 'alert' | 'record' | 'panel' | 'variable';
  /** The text as written (for variables, the whole variable query). */
  readonly source: string;
  /** What is parsed: `source`, or the PromQL part of it with Grafana variables expanded. */
  readonly parsed: ParsedExpr;
  /** Maps an offset in `parsed.expr` to one in `source`. */
  toSource(offset: number): number;
  readonly alert?: AlertRule;
  readonly record?: RecordingRule;
  /** Dashboard queries: the dashboard's variables, and the label a variable query lists. */
  readonly variables?: readonly GrafanaVariable[];
  readonly listedLabel?: string;
}

export function isDashboardTarget(t: LintTarget): boolean {
  return t.kind === 'panel' || t.kind === 'variable';
}

/** A finding on `from..to` of the parsed expression, marked in the source text. */
export function findingAt(t: LintTarget, rule: string, message: string, from: number, to: number): LintFinding {
  return { file: t.file, where: t.where, rule, message, excerpt: markSpan(t.source, t.toSource(from), t.toSource(to)) };
}

const identity = (offset: number) => offset;

/** Every expression of alerts, recording rules, dashboard targets and variable queries. */
export function collectTargets(mixin: Mixin): LintTarget[] {
  const targets: LintTarget[] = [];
  for (const g of mixin.prometheusAlerts.groups) {
    for (const alert of g.rules) {
      targets.push({
        file: alertsFile,
        where: `alert ${alert.alert}`,
        kind: 'alert',
        source: alert.expr,
        parsed: parsePromQL(alert.expr),
        toSource: identity,
        alert,
      });
    }
  }
  for (const g of mixin.prometheusRules.groups) {
    for (const record of g.rules) {
      targets.push({
        file: rulesFile,
        where: `record ${record.record}`,
        kind: 'record',
        source: record.expr,
        parsed: parsePromQL(record.expr),
        toSource: identity,
        record,
      });
    }
  }
  for (const [name, dashboard] of Object.entries(mixin.grafanaDashboards)) {
    const file = `dashboards/${name}`;
    const { queries, variables } = dashboardQueries(readDashboard(dashboard), name);
    for (const q of queries) {
      const expanded = expandPlaceholders(q.expr, variables);
      targets.push({
        file,
        where: q.where,
        kind: q.kind,
        source: q.source,
        parsed: parsePromQL(expanded.expr),
        toSource: (offset) => q.offset + expanded.toSource(offset),
        variables,
        ...(q.listedLabel ? { listedLabel: q.listedLabel } : {}),
      });
    }
  }
  return targets;
}
