import { k8sClientMetric, k8sClients } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { problemRecord, problemsAbove } from '../mixin/promql/problems.js';
import type { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { anyOf } from '../mixin/promql/union.js';
import { defineRecord, type RecordGroup } from './record.js';

/** Each Kubernetes client's part, one per line, as an operator reads it in the Prometheus UI. */
const union = (parts: readonly string[]) => anyOf(parts, 'lines');
import { inCluster, percentText } from '../alerts/templates.js';

/** The k8s client counters of each component: MetalLB's controller and speaker, and frr-k8s. */
const k8sClientCounters = k8sClients.map(({ component }) => ({
  component,
  updates: k8sClientMetric(component, 'updates_total'),
  errors: k8sClientMetric(component, 'update_errors_total'),
}));

/** The pods of every component whose config gauge has this value. */
const podsWhere = (q: Query, gauge: string, value: 0 | 1) =>
  union(k8sClients.map(({ component }) => `(${q.metric(k8sClientMetric(component, gauge), component)} == bool ${value}) > 0`));

/*
 * The problem records hold one series per pod, with every label of the pod's series (job,
 * namespace, pod, instance, container, endpoint), so the alerts that read them keep their labels.
 * Every controller, speaker and frr-k8s pod (two per node) is read once per evaluation here, not
 * once per alert and panel, and the pods in trouble are a handful.
 */

/** 1 per pod on a stale configuration. */
const configStale = defineRecord({
  name: 'cluster_namespace_pod:metallb_k8s_client_config_stale_bool:stale',
  kind: 'problems',
  readBy: [
    'MetalLBConfigStale',
    'metallb-components/Pods on a stale configuration',
    'metallb-components/Pods with a configuration problem',
    'metallb-overview/Pods on a stale configuration',
  ],
  expr: (q) => problemRecord(podsWhere(q, 'config_stale_bool', 1), q.clustersScraping('controller')),
});

/** 1 per pod that never loaded a configuration. */
const configNotLoaded = defineRecord({
  name: 'cluster_namespace_pod:metallb_k8s_client_config_loaded_bool:not_loaded',
  kind: 'problems',
  readBy: [
    'MetalLBConfigNotLoaded',
    'metallb-components/Pods without a configuration',
    'metallb-components/Pods with a configuration problem',
    'metallb-overview/Pods without a configuration',
  ],
  expr: (q) => problemRecord(podsWhere(q, 'config_loaded_bool', 0), q.clustersScraping('controller')),
});

/** The share of failed object updates of each pod with failures. */
const podUpdateErrorRatio = defineRecord({
  name: 'cluster_namespace_pod:metallb_k8s_client_update_errors:ratio_rate5m',
  kind: 'problems',
  readBy: ['MetalLBK8sClientErrorsHigh', 'metallb-components/Pods whose updates fail'],
  expr: (q) =>
    problemRecord(
      union(
        k8sClientCounters.map(
          ({ component, updates, errors }) =>
            `rate(${q.metric(errors, component)}[5m]) / (rate(${q.metric(updates, component)}[5m]) > 0) > 0`,
        ),
      ),
      q.clustersScraping('controller'),
    ),
});

/** The share of Kubernetes object updates that fail per component job over 5m (no series while nothing is updated). */
const jobUpdateErrorRatio = defineRecord({
  name: 'cluster_namespace_job:metallb_k8s_client_update_errors:ratio_rate5m',
  kind: 'aggregate',
  readBy: ['metallb-components/Object update error ratio'],
  expr: (q) => {
    const by = q.by('namespace', 'job');
    return union(
      k8sClientCounters.map(
        ({ component, updates, errors }) =>
          `sum by (${by}) (rate(${q.metric(errors, component)}[5m]))\n  /\n  (sum by (${by}) (rate(${q.metric(updates, component)}[5m])) > 0)`,
      ),
    );
  },
});

/** The Kubernetes clients of the controller, the speakers and frr-k8s: configuration state and object updates. */
export const k8sClient = { configStale, configNotLoaded, podUpdateErrorRatio, jobUpdateErrorRatio };

/** What the configuration alerts (`for: 5m`) read. */
export const k8sClientRecords: RecordGroup = {
  name: 'metallb-k8s-client-rules',
  pace: 'medium',
  records: () => [configStale, configNotLoaded],
};

/** The error ratios: per pod for MetalLBK8sClientErrorsHigh (`for: 15m`), per job for the dashboard. */
export const k8sClientDashboardRecords: RecordGroup = {
  name: 'metallb-k8s-client-slow-rules',
  pace: 'slow',
  records: () => [podUpdateErrorRatio, jobUpdateErrorRatio],
};

/** Configuration state of the controller, every speaker and every frr-k8s pod. */
export function configAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const who = `{{ $labels.pod }} (job {{ $labels.job }}, namespace {{ $labels.namespace }})${inCluster(cfg)}`;
  return {
    name: 'metallb-config',
    alerts: [
      {
        alert: 'MetalLBConfigStale',
        severity: 'warning',
        expr: problemsAbove(configStale.name),
        summary: 'A MetalLB component runs on a stale configuration.',
        description: `${who} failed to load the latest configuration and still runs on the previous one: recent changes to pools, peers or advertisements are not applied.`,
      },
      {
        alert: 'MetalLBConfigNotLoaded',
        severity: 'warning',
        expr: problemsAbove(configNotLoaded.name),
        summary: 'A MetalLB component has never loaded its configuration.',
        description: `${who} has not loaded its configuration once since it started: it allocates or announces nothing.`,
      },
    ],
  };
}

/** Kubernetes API errors per pod, as a share of its updates (no result while it updates nothing). */
export function k8sClientAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const threshold = cfg.thresholds.k8sUpdateErrorRatio;
  return {
    name: 'metallb-k8s-client',
    alerts: [
      {
        alert: 'MetalLBK8sClientErrorsHigh',
        severity: 'warning',
        expr: problemsAbove(podUpdateErrorRatio.name, threshold),
        summary: 'A MetalLB component fails to update Kubernetes objects.',
        description: `{{ $value | humanizePercentage }} of the Kubernetes object updates of {{ $labels.pod }} (job {{ $labels.job }})${inCluster(cfg)} failed over the last 5 minutes (threshold ${percentText(threshold)}): check the API server and MetalLB's RBAC.`,
      },
    ],
  };
}
