import type { MixinConfig } from '../config/schema.js';
import type { Mixin } from '../types.js';
import { lintContext, type ExprRule, type MixinRule } from './context.js';
import type { LintFinding } from './findings.js';
import { absentRule } from './rules/absent.js';
import { clusterRule } from './rules/cluster.js';
import { conventionsRule } from './rules/conventions.js';
import { countersRule } from './rules/counters.js';
import { multiValueRule, rateIntervalRule } from './rules/grafana.js';
import { metricsRule } from './rules/metrics.js';
import { panelsRule } from './rules/panels.js';
import { selectorsRule } from './rules/selectors.js';
import { syntaxRule } from './rules/syntax.js';
import { vectorMatchingRule } from './rules/vector-matching.js';
import { collectTargets, type LintTarget } from './targets.js';

/** Rules over each expression; they run only on expressions that parse. */
const exprRules: readonly ExprRule[] = [
  metricsRule,
  countersRule,
  selectorsRule,
  clusterRule,
  vectorMatchingRule,
  absentRule,
  rateIntervalRule,
  multiValueRule,
];

const mixinRules: readonly MixinRule[] = [conventionsRule, panelsRule];

/** Every rule id a finding can carry (`promtool` for what promtool rejects). */
export const ruleIds: readonly string[] = [syntaxRule, ...exprRules, ...mixinRules].flatMap((r) => r.ids).concat('promtool');

/**
 * Run every in-process lint rule over the mixin; an empty list means it is clean. `targets` are
 * its parsed expressions, for a caller that also hands them to promtool.
 */
export function lintMixin(mixin: Mixin, cfg: MixinConfig, targets: readonly LintTarget[] = collectTargets(mixin)): LintFinding[] {
  const ctx = lintContext(cfg, targets);
  const findings: LintFinding[] = [];
  for (const target of targets) {
    const syntax = syntaxRule.check(target, ctx);
    findings.push(...syntax);
    if (syntax.length > 0) continue;
    for (const rule of exprRules) findings.push(...rule.check(target, ctx));
  }
  for (const rule of mixinRules) findings.push(...rule.check(mixin, ctx));
  return findings;
}
