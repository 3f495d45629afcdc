import { k8sClientMetric, k8sClients, type Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** The k8s client counters of each component: MetalLB's controller and speaker, and frr-k8s. */
const k8sClientCounters: readonly { component: Component; updates: string; errors: string }[] = k8sClients.map(({ component }) => ({
  component,
  updates: k8sClientMetric(component, 'updates_total'),
  errors: k8sClientMetric(component, 'update_errors_total'),
}));

export const k8sErrorRatioRecord = 'cluster_namespace_job:metallb_k8s_client_update_errors:ratio_rate5m';

/**
 * Problem-only series per pod, with every label of the pod's series (job, namespace, pod,
 * instance, container, endpoint), so the alerts that read them keep their labels: 1 per pod on a
 * stale configuration, 1 per pod that never loaded one, and the share of failed object updates of
 * each pod with failures; plus a 0 per cluster running a MetalLB controller target, so a healthy
 * cluster shows the rule evaluates (readers keep values above 0). The config and client-error
 * alerts and the components and overview panels about the same pods read these: every controller,
 * speaker and frr-k8s pod (two per node) is read once per evaluation here, not once per alert and
 * panel, and the pods in trouble are a handful.
 */
export const k8sClientProblemRecords = {
  configStale: 'cluster_namespace_pod:metallb_k8s_client_config_stale_bool:stale',
  configNotLoaded: 'cluster_namespace_pod:metallb_k8s_client_config_loaded_bool:not_loaded',
  updateErrorRatio: 'cluster_namespace_pod:metallb_k8s_client_update_errors:ratio_rate5m',
} as const;

/**
 * The pods in trouble, then the share of Kubernetes object updates that fail per component job
 * over 5m (no series while nothing is updated), which the dashboard draws over time.
 */
export function k8sClientRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const anyOf = (parts: readonly string[]) => `(\n  ${parts.join('\n  or\n  ')}\n)`;
  const orZeroPerCluster = `\nor\n${q.zeroPerCluster(q.metric('up', 'controller'))}`;
  const podsWhere = (gauge: string, value: 0 | 1) =>
    anyOf(k8sClients.map(({ component }) => `(${q.metric(k8sClientMetric(component, gauge), component)} == bool ${value}) > 0`));
  const podRatios = anyOf(
    k8sClientCounters.map(({ component, updates, errors }) => `rate(${q.metric(errors, component)}[5m]) / (rate(${q.metric(updates, component)}[5m]) > 0) > 0`),
  );
  const by = q.by('namespace', 'job');
  const jobRatios = anyOf(
    k8sClientCounters.map(
      ({ component, updates, errors }) =>
        `sum by (${by}) (rate(${q.metric(errors, component)}[5m]))\n  /\n  (sum by (${by}) (rate(${q.metric(updates, component)}[5m])) > 0)`,
    ),
  );
  const p = k8sClientProblemRecords;
  return {
    name: 'metallb-k8s-client-rules',
    rules: [
      { record: p.configStale, expr: `${podsWhere('config_stale_bool', 1)}${orZeroPerCluster}` },
      { record: p.configNotLoaded, expr: `${podsWhere('config_loaded_bool', 0)}${orZeroPerCluster}` },
      { record: p.updateErrorRatio, expr: `${podRatios}${orZeroPerCluster}` },
      { record: k8sErrorRatioRecord, expr: jobRatios },
    ],
  };
}
