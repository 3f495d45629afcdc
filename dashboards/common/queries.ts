import { componentsForModes, k8sClients, type Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import type { Query } from '../../mixin/promql/query.js';
import { records } from '../../rules/index.js';
import { countableCapacity } from '../../rules/pool-capacity.js';
import { anyOfPresent } from '../../mixin/promql/union.js';

/** Grafana widens this to at least four scrape intervals, so a rate never sees fewer than two samples. */
export const rate = (selector: string): string => `rate(${selector}[$__rate_interval])`;
export const increase = (selector: string): string => `increase(${selector}[$__rate_interval])`;
export const changes = (selector: string): string => `changes(${selector}[$__rate_interval])`;

/** Alternatives that always exist (e.g. one per scraped component), joined with `or`. */
export function either(parts: readonly string[]): string {
  const joined = anyOfPresent(parts, 'inline');
  if (joined === undefined) throw new Error('either() needs at least one expression');
  return joined;
}

/** For families that exist wherever another one does (e.g. BFD down events wherever BFD state). */
export function required(expr: string | undefined, what: string): string {
  if (expr === undefined) throw new Error(`${what}: no enabled BGP mode has this family`);
  return expr;
}

/** Variable queries are one line in Grafana's editor. */
export const oneLine = (expr: string): string =>
  expr
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')');

/** The components a config can have targets for: frr-metrics and frr-k8s only in their BGP modes. */
export const scrapedComponents = (cfg: MixinConfig): Component[] => componentsForModes(cfg.bgp.modes);

/** The scraped components with a Kubernetes client (config state, object updates). */
export const k8sClientComponents = (cfg: MixinConfig): Component[] =>
  scrapedComponents(cfg).filter((c) => k8sClients.some((k) => k.component === c));

export const componentTitles: Readonly<Record<Component, string>> = {
  controller: 'Controller',
  speaker: 'Speaker',
  frrMetrics: 'FRR metrics',
  frrK8s: 'FRR-K8s',
  kubeStateMetrics: 'kube-state-metrics',
};

/**
 * `instance` of the hostNetwork pods (speaker, frr-metrics, frr-k8s) is the node's address and
 * the port; the `host` variable holds addresses, so one choice covers every such component. The
 * port is optional for setups that relabel `instance` to a node name.
 */
export const hostMatcher = 'instance=~"(${host})(:[0-9]+)?"';

/** Recorded series (rules/index.ts): one series per pool, peer or cluster instead of one per pod, session or speaker. */
export { records };

/**
 * Per-pool (or, with a `family` matcher, per pool and family) usage over the recorded series.
 * Capacities MetalLB cannot count (an IPv6 /64 reports MaxInt64) are left out, as in the alerts.
 */
export function poolExpressions(q: Query, by: 'pool' | 'family', ...extra: string[]) {
  const { pools } = records;
  const [total, inUse, usage] =
    by === 'pool' ? [pools.poolTotal, pools.poolInUse, pools.poolUsage] : [pools.familyTotal, pools.familyInUse, pools.familyUsage];
  const capacity = countableCapacity(q.scoped(total, ...extra));
  const used = q.scoped(inUse, ...extra);
  return {
    inUse: used,
    capacity,
    usagePercent: `100 * ${q.scoped(usage, ...extra)}`,
    free: `${capacity} - ${used}`,
  };
}

/** Thresholds of the pool usage alert, in percent, so the panels turn colour where it fires. */
export const poolUsageSteps = (cfg: MixinConfig) =>
  [
    [null, 'green'],
    [cfg.thresholds.poolUsage.warning, 'orange'],
    [cfg.thresholds.poolUsage.critical, 'red'],
  ] as const;
