import { componentsForModes, k8sClients, type Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** controller-runtime, client-go and process series per cluster and job (one job per component and install). */
export const componentRecords = {
  reconcileDuration: 'cluster_job_controller_le:controller_runtime_reconcile_time_seconds_bucket:rate5m',
  reconciles: 'cluster_job_controller_result:controller_runtime_reconcile:rate5m',
  reconcileErrors: 'cluster_job_controller:controller_runtime_reconcile_errors:rate5m',
  apiRequests: 'cluster_job_code:rest_client_requests:rate5m',
  queueDepth: 'cluster_job_name:workqueue_depth:sum',
  queueAdds: 'cluster_job_name:workqueue_adds:rate5m',
  queueRetries: 'cluster_job_name:workqueue_retries:rate5m',
  cpu: 'cluster_job_container:process_cpu_seconds:max_rate5m',
  memory: 'cluster_job_container:process_resident_memory_bytes:max',
  goroutines: 'cluster_job_container:go_goroutines:max',
} as const;

/**
 * controller-runtime's reconcile histogram has 41 buckets (5 ms to 60 s) per controller and pod,
 * one pod per node: the record keeps 14 of them, enough for a p99 to the nearest step of
 * 5 ms, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10, 30, 60 s, and reads a third of the series.
 * Prometheus 3 writes whole bucket bounds as `1.0`, Prometheus 2 as `1`.
 */
const reconcileBuckets = 'le=~"0\\\\.(005|01|025|05|1|25|5)|(1|2\\\\.5|5|10|30|60)(\\\\.0)?|\\\\+Inf"';

/**
 * DaemonSet pods on nodes kube-state-metrics reports not Ready (their targets are down with the
 * node, which is the node's alert), plus a 0 per cluster running a MetalLB controller target, so a
 * healthy cluster shows the rule evaluates. The speaker and frr-k8s alerts both exclude these pods;
 * joining every DaemonSet pod with the node conditions once here halves that work.
 */
export const podsOnNotReadyNodesRecord = 'cluster_namespace_pod:kube_pod_info:daemonset_on_not_ready_node';

/**
 * Nodes known to be down: Ready is not "true" (false, or unknown once the kubelet stops
 * reporting), or the node controller's unreachable/not-ready taint is set. The taint is the
 * signal some setups keep when they drop the condition series (neco-apps alerts on it alone).
 */
const notReadyNodes = (q: Query) =>
  `(${q.metric('kube_node_status_condition', undefined, 'condition="Ready"', 'status="true"')} == 0 or ${q.metric('kube_node_spec_taint', undefined, 'key=~"node.kubernetes.io/(unreachable|not-ready)"')})`;

/** Pods on not-Ready nodes, by the rule above. */
function podsOnNotReadyNodes(q: Query): RecordingRule {
  const pods = `group by (${q.by('namespace', 'pod')}) (${q.metric('kube_pod_info', undefined, 'created_by_kind="DaemonSet"')} and on (${q.by('node')}) ${notReadyNodes(q)})`;
  return { record: podsOnNotReadyNodesRecord, expr: `${pods}\nor\n${q.zeroPerCluster(q.metric('up', 'controller'))}` };
}

/**
 * Ready nodes that run no speaker Prometheus scrapes, 1 each (labels: cluster, node), plus a 0 per
 * cluster running MetalLB, so a healthy cluster shows the rule evaluates. The join reads every
 * node, node condition, DaemonSet pod and speaker target: it runs once here, and both
 * MetalLBSpeakersMissing and the overview's "Nodes without a speaker" stat read the few nodes in
 * trouble. The record exists for that alert, so it applies the alert's
 * `alerts.MetalLBSpeakersMissing.nodeMatchers` (nodes the speakers avoid on purpose).
 */
export const speakersMissingRecord = 'cluster_node:kube_node_info:metallb_speaker_missing';

/**
 * Nodes without a speaker, by the rule above. A speaker pod maps to its node through
 * kube_pod_info (speakers run with hostNetwork, their targets carry no node); a speaker scraped
 * but down is MetalLBSpeakerDown's, and a cluster without any MetalLB target is not checked.
 */
function speakersMissing(cfg: MixinConfig, q: Query): RecordingRule {
  const { nodeMatchers } = cfg.alerts.MetalLBSpeakersMissing;
  const nodes = q.metric('kube_node_info', undefined, ...(nodeMatchers ? [nodeMatchers] : []));
  const speakerPods = `${q.metric('kube_pod_info', undefined, 'created_by_kind="DaemonSet"')} and on (${q.by('namespace', 'pod')}) ${q.metric('up', 'speaker')}`;
  const runsMetalLB = `group by (${q.by()}) (${q.metric('up', 'controller')} or ${q.metric('up', 'speaker')})`;
  const missing = [
    `group by (${q.by('node')}) (${nodes})`,
    `unless on (${q.by('node')})`,
    notReadyNodes(q),
    `unless on (${q.by('node')})`,
    `(${speakerPods})`,
    `and on (${q.by()})`,
    runsMetalLB,
  ].join('\n');
  return { record: speakersMissingRecord, expr: `${missing}\nor\n${runsMetalLB} * 0` };
}

/**
 * Every speaker and frr-k8s pod (one per node) exposes controller-runtime's histograms, rates and
 * process metrics: summed or maxed per job here, the components dashboard reads a handful of
 * series instead of (41 buckets x) one per node. The largest pod stands for its component, so a
 * leak or a runaway pod still shows; the node filter brings back the pods themselves.
 */
export function componentRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const scraped = componentsForModes(cfg.bgp.modes);
  const clients = scraped.filter((c) => k8sClients.some((k) => k.component === c));
  const across = (components: readonly Component[], name: string, fn: (s: string) => string = (s) => s, ...extra: string[]) =>
    `(\n  ${components.map((c) => fn(q.metric(name, c, ...extra))).join('\n  or\n  ')}\n)`;
  const rate5m = (s: string) => `rate(${s}[5m])`;
  const r = componentRecords;
  return {
    name: 'metallb-components-rules',
    rules: [
      podsOnNotReadyNodes(q),
      speakersMissing(cfg, q),
      { record: r.reconcileDuration, expr: `sum by (${q.by('job', 'controller', 'le')}) ${across(clients, 'controller_runtime_reconcile_time_seconds_bucket', rate5m, reconcileBuckets)}` },
      { record: r.reconciles, expr: `sum by (${q.by('job', 'controller', 'result')}) ${across(clients, 'controller_runtime_reconcile_total', rate5m)}` },
      { record: r.reconcileErrors, expr: `sum by (${q.by('job', 'controller')}) ${across(clients, 'controller_runtime_reconcile_errors_total', rate5m)}` },
      { record: r.apiRequests, expr: `sum by (${q.by('job', 'code')}) ${across(clients, 'rest_client_requests_total', rate5m)}` },
      { record: r.queueDepth, expr: `sum by (${q.by('job', 'name')}) ${across(clients, 'workqueue_depth')}` },
      { record: r.queueAdds, expr: `sum by (${q.by('job', 'name')}) ${across(clients, 'workqueue_adds_total', rate5m)}` },
      { record: r.queueRetries, expr: `sum by (${q.by('job', 'name')}) ${across(clients, 'workqueue_retries_total', rate5m)}` },
      { record: r.cpu, expr: `max by (${q.by('job', 'container')}) ${across(scraped, 'process_cpu_seconds_total', rate5m)}` },
      { record: r.memory, expr: `max by (${q.by('job', 'container')}) ${across(scraped, 'process_resident_memory_bytes')}` },
      { record: r.goroutines, expr: `max by (${q.by('job', 'container')}) ${across(scraped, 'go_goroutines')}` },
    ],
  };
}
