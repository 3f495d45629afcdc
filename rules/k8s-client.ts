import type { Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** The k8s client counters of each component: MetalLB's controller and speaker, and frr-k8s. */
export const k8sClientCounters: readonly { component: Component; updates: string; errors: string }[] = [
  { component: 'controller', updates: 'metallb_k8s_client_updates_total', errors: 'metallb_k8s_client_update_errors_total' },
  { component: 'speaker', updates: 'metallb_k8s_client_updates_total', errors: 'metallb_k8s_client_update_errors_total' },
  { component: 'frrK8s', updates: 'frrk8s_k8s_client_updates_total', errors: 'frrk8s_k8s_client_update_errors_total' },
];

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
    rules: [{ record: 'cluster_namespace_job:metallb_k8s_client_update_errors:ratio_rate5m', expr: `(\n  ${ratios.join('\n  or\n  ')}\n)` }],
  };
}
