import { lookupMetric, type Component } from '../../catalogue.js';
import { hasMatchers } from '../../promql/components.js';
import { vectorSelectors, type VectorSelectorInfo } from '../../promql/inspect.js';
import type { ExprRule, LintContext } from '../context.js';
import type { LintFinding } from '../findings.js';
import { findingAt, isDashboardTarget, type LintTarget } from '../targets.js';

/**
 * The components whose selector may scope this series: the metric's own, or any for `up`.
 * Undefined when the series needs none (our recording rules, ALERTS).
 */
function candidateComponents(metric: string, ctx: LintContext): readonly Component[] | undefined {
  if (ctx.recorded.has(metric)) return undefined;
  const known = lookupMetric(metric);
  if (!known) return undefined;
  if (known.entry.components.length > 0) return known.entry.components;
  return metric === 'up' ? (Object.keys(ctx.componentMatchers) as Component[]) : undefined;
}

function componentFinding(t: LintTarget, sel: VectorSelectorInfo, ctx: LintContext): LintFinding | undefined {
  if (!sel.metric) return undefined;
  const components = candidateComponents(sel.metric, ctx);
  if (!components || components.some((c) => hasMatchers(sel.matchers, ctx.componentMatchers[c]))) return undefined;
  const wanted = components.map((c) => `selectors.${c} {${ctx.cfg.selectors[c]}}`).join(' or ');
  return findingAt(
    t,
    'selector-component',
    `${sel.metric} must carry the matchers of ${wanted}: build it with Query.metric()/Query.bgp()`,
    sel.from,
    sel.to,
  );
}

/**
 * A dashboard shows one cluster: every selector needs `<clusterLabel>="$cluster"` (the `cluster` variable), except in the
 * query of the variable that lists the clusters.
 */
function clusterFinding(t: LintTarget, sel: VectorSelectorInfo, ctx: LintContext): LintFinding | undefined {
  const label = ctx.cfg.clusterLabel;
  if (!isDashboardTarget(t) || t.listedLabel === label) return undefined;
  if (sel.matchers.some((m) => m.label === label && m.op === '=' && m.value === '$cluster')) return undefined;
  return findingAt(t, 'selector-cluster', `dashboard selector without ${label}="$cluster": it would mix every cluster`, sel.from, sel.to);
}

export const selectorsRule: ExprRule = {
  ids: ['selector-component', 'selector-cluster'],
  check(t, ctx) {
    return vectorSelectors(t.parsed).flatMap((sel) =>
      [componentFinding(t, sel, ctx), clusterFinding(t, sel, ctx)].filter((f): f is LintFinding => f !== undefined),
    );
  },
};
