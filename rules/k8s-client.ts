import { k8sClientMetric, k8sClients, type Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** The k8s client counters of each component: MetalLB's controller and speaker, and frr-k8s. */
export const k8sClientCounters: readonly { component: Component; updates: string; errors: string }[] = k8sClients.map(({ component }) => ({
  component,
  updates: k8sClientMetric(component, 'updates_total'),
  errors: k8sClientMetric(component, 'update_errors_total'),
}));

export const k8sErrorRatioRecord = 'cluster_namespace_job:metallb_k8s_client_update_errors:ratio_rate5m';

/** Share of Kubernetes object updates that fail, per component job over 5m (no series while nothing is updated). */
export function k8sClientRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const by = q.by('namespace', 'job');
  const ratios = k8sClientCounters.map(
    ({ component, updates, errors }) =>
      `sum by (${by}) (rate(${q.metric(errors, component)}[5m]))\n  /\n  (sum by (${by}) (rate(${q.metric(updates, component)}[5m])) > 0)`,
  );
  return {
    name: 'metallb-k8s-client-rules',
    rules: [{ record: k8sErrorRatioRecord, expr: `(\n  ${ratios.join('\n  or\n  ')}\n)` }],
  };
}
