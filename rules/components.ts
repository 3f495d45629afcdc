import { componentsForModes, k8sClients, type Component, type MetalLBComponent } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { problemRecord, problemsAbove } from '../mixin/promql/problems.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { defineRecord, type RecordGroup, type RecordSpec } from './record.js';
import { byValues } from './shards.js';
import { inCluster, ofCluster } from '../alerts/templates.js';
import { anyOf } from '../mixin/promql/union.js';

const panel = (title: string) => `metallb-components/${title}`;

/**
 * Nodes known to be down: Ready is not "true" (false, or unknown once the kubelet stops
 * reporting), or the node controller's unreachable/not-ready taint is set. The taint is the
 * signal some setups keep when they drop the condition series (neco-apps alerts on it alone).
 */
const notReadyNodes = (q: Query) =>
  `(${q.metric('kube_node_status_condition', undefined, 'condition="Ready"', 'status="true"')} == 0 or ${q.metric('kube_node_spec_taint', undefined, 'key=~"node.kubernetes.io/(unreachable|not-ready)"')})`;

/**
 * DaemonSet pods on nodes kube-state-metrics reports not Ready (their targets are down with the
 * node, which is the node's alert), in clusters running a MetalLB controller target. The speaker
 * and frr-k8s alerts both exclude these pods; joining every DaemonSet pod with the node
 * conditions once here halves that work.
 */
const podsOnNotReadyNodes = defineRecord({
  name: 'cluster_namespace_pod:kube_pod_info:daemonset_on_not_ready_node',
  kind: 'problems',
  readBy: ['MetalLBSpeakerDown', 'MetalLBFRRK8sDown'],
  expr: (q) =>
    problemRecord(
      `group by (${q.by('namespace', 'pod')}) (${q.metric('kube_pod_info', undefined, 'created_by_kind="DaemonSet"')} and on (${q.by('node')}) ${notReadyNodes(q)})`,
      q.clustersScraping('controller'),
    ),
});

/** Speaker pods as kube-state-metrics places them on nodes, kept where Prometheus scrapes them. */
const scrapedSpeakerPods = (q: Query) =>
  `${q.metric('kube_pod_info', undefined, 'created_by_kind="DaemonSet"')} and on (${q.by('namespace', 'pod')}) ${q.metric('up', 'speaker')}`;

/**
 * The speaker pods of the next record, counted per cluster: where there are none it stays silent
 * (see there). Recorded in a rule of its own so that neither rule reads every node and every
 * DaemonSet pod twice at 1,000 nodes.
 */
const scrapedSpeakers = defineRecord({
  name: 'cluster:kube_pod_info:metallb_speakers_scraped',
  kind: 'aggregate',
  readBy: [],
  expr: (q) => `count by (${q.by()}) (${scrapedSpeakerPods(q)})`,
});

/**
 * Ready nodes that run no speaker Prometheus scrapes, 1 each (labels: cluster, node), in clusters
 * running MetalLB. The join reads every node, node condition, DaemonSet pod and speaker target: it
 * runs once here, and both MetalLBSpeakersMissing and the overview's "Nodes without a speaker"
 * stat read the few nodes in trouble. The record exists for that alert, so it applies the alert's
 * `alerts.MetalLBSpeakersMissing.nodeMatchers` (nodes the speakers avoid on purpose).
 *
 * A speaker pod maps to its node through kube_pod_info (speakers run with hostNetwork, their
 * targets carry no node); a speaker scraped but down is MetalLBSpeakerDown's.
 */
const speakersMissing = defineRecord({
  name: 'cluster_node:kube_node_info:metallb_speaker_missing',
  kind: 'problems',
  readBy: ['MetalLBSpeakersMissing', 'metallb-overview/Nodes without a speaker'],
  expr: (q) => {
    const { nodeMatchers } = q.cfg.alerts.MetalLBSpeakersMissing;
    const nodes = q.metric('kube_node_info', undefined, ...(nodeMatchers ? [nodeMatchers] : []));
    const runsMetalLB = q.perCluster(`${q.metric('up', 'controller')} or ${q.metric('up', 'speaker')}`);
    // Only where kube-state-metrics places at least one scraped speaker on a node: without pod
    // series (an allowlist keeping node metrics only) or with a speaker selector that matches
    // nothing, every node would look speakerless. The first stays silent, the second is
    // MetalLBSpeakerTargetsMissing's, once per cluster.
    const missing = [
      `group by (${q.by('node')}) (${nodes})`,
      `unless on (${q.by('node')})`,
      notReadyNodes(q),
      `unless on (${q.by('node')})`,
      `(${scrapedSpeakerPods(q)})`,
      `and on (${q.by()})`,
      `${scrapedSpeakers.name} > 0`,
    ].join('\n');
    return problemRecord(missing, runsMetalLB);
  },
});

/**
 * controller-runtime's reconcile histogram has 41 buckets (5 ms to 60 s) per controller and pod,
 * one pod per node: the record keeps 8 of them, enough for a p99 to the nearest step of 10, 50,
 * 100, 500 ms, 1, 5, 60 s, and reads a fifth of the series, in four rules of two buckets each.
 * Prometheus 3 writes whole bucket bounds as `1.0`, Prometheus 2 as `1`.
 */
const reconcileBuckets = ['le=~"0\\\\.(01|05)"', 'le=~"0\\\\.(1|5)"', 'le=~"(1|5)(\\\\.0)?"', 'le=~"60(\\\\.0)?|\\\\+Inf"'];

/** The components with a Kubernetes client (controller-runtime, client-go), and every scraped one. */
const withClient = (q: Query) => componentsForModes(q.cfg.bgp.modes).filter((c) => k8sClients.some((k) => k.component === c));
const scraped = (q: Query) => componentsForModes(q.cfg.bgp.modes);

/** A metric of several components, each with its own selector, joined with `or`. */
const across = (q: Query, components: readonly Component[], name: string, fn: (s: string) => string = (s) => s, ...extra: string[]) =>
  anyOf(
    components.map((c) => fn(q.metric(name, c, ...extra))),
    'lines',
  );
const rate5m = (s: string) => `rate(${s}[5m])`;

/** A per-job aggregate of a controller-runtime, client-go or process metric, read by the panels titled. */
const perJob = (name: string, panelTitles: string | readonly string[], expr: (q: Query) => string | readonly string[]): RecordSpec =>
  defineRecord({ name, kind: 'aggregate', readBy: (typeof panelTitles === 'string' ? [panelTitles] : panelTitles).map(panel), expr });

/**
 * Every speaker and frr-k8s pod (one per node) exposes controller-runtime's histograms, rates and
 * process metrics: summed or maxed per job here, the components dashboard reads a handful of
 * series instead of (41 buckets x) one per node. The largest pod stands for its component, so a
 * leak or a runaway pod still shows; the node filter brings back the pods themselves.
 */
export const components = {
  podsOnNotReadyNodes,
  scrapedSpeakers,
  speakersMissing,
  reconcileDuration: perJob(
    'cluster_job_controller_le:controller_runtime_reconcile_time_seconds_bucket:rate5m',
    'Reconcile duration p99',
    (q) =>
      // One rule per pair of buckets.
      reconcileBuckets.map(
        (buckets) =>
          `sum by (${q.by('job', 'controller', 'le')}) ${across(q, withClient(q), 'controller_runtime_reconcile_time_seconds_bucket', rate5m, buckets)}`,
      ),
  ),
  /**
   * controller-runtime counts a reconcile that returns an error in both `reconcile_total{result="error"}`
   * and `reconcile_errors_total`, and re-adds a request to its work queue with a retry exactly on
   * the `error` and `requeue` results: so this one record also draws the errors panel and the
   * work queues' retries, and neither counter is read again.
   */
  reconciles: perJob(
    'cluster_job_controller_result:controller_runtime_reconcile:rate5m',
    ['Reconciles by controller and result', 'Reconcile errors by controller', 'Work queue adds and retries'],
    (q) =>
      byValues('result', ['success', 'error', 'requeue']).map(
        ({ matcher }) =>
          `sum by (${q.by('job', 'controller', 'result')}) ${across(q, withClient(q), 'controller_runtime_reconcile_total', rate5m, matcher)}`,
      ),
  ),
  apiRequests: perJob('cluster_job_code:rest_client_requests:rate5m', 'API requests by status code', (q) =>
    byValues('code', ['200']).map(
      ({ matcher }) => `sum by (${q.by('job', 'code')}) ${across(q, withClient(q), 'rest_client_requests_total', rate5m, matcher)}`,
    ),
  ),
  queueDepth: perJob(
    'cluster_job_name:workqueue_depth:sum',
    'Work queue depth',
    (q) => `sum by (${q.by('job', 'name')}) ${across(q, withClient(q), 'workqueue_depth')}`,
  ),
  queueAdds: perJob(
    'cluster_job_name:workqueue_adds:rate5m',
    'Work queue adds and retries',
    (q) => `sum by (${q.by('job', 'name')}) ${across(q, withClient(q), 'workqueue_adds_total', rate5m)}`,
  ),
  cpu: perJob(
    'cluster_job_container:process_cpu_seconds:max_rate5m',
    'CPU by pod',
    (q) => `max by (${q.by('job', 'container')}) ${across(q, scraped(q), 'process_cpu_seconds_total', rate5m)}`,
  ),
  memory: perJob(
    'cluster_job_container:process_resident_memory_bytes:max',
    'Memory by pod',
    (q) => `max by (${q.by('job', 'container')}) ${across(q, scraped(q), 'process_resident_memory_bytes')}`,
  ),
  goroutines: perJob(
    'cluster_job_container:go_goroutines:max',
    'Goroutines by pod',
    (q) => `max by (${q.by('job', 'container')}) ${across(q, scraped(q), 'go_goroutines')}`,
  ),
};

/**
 * All at the slow interval: the problems are read by alerts with a `for` of 10m or more
 * (MetalLBSpeakerDown, MetalLBFRRK8sDown, MetalLBSpeakersMissing), the aggregates by the dashboard.
 */
export const componentRecords: RecordGroup = {
  name: 'metallb-components-slow-rules',
  pace: 'slow',
  records: () => Object.values(components),
};

/**
 * Targets of the controller, the speakers and frr-k8s. Speakers and frr-k8s run one pod per node
 * with hostNetwork, so a node that kube-state-metrics reports not Ready (or tainted unreachable)
 * takes its pods' targets down with it: that is the node's alert, not ours. Without
 * kube-state-metrics nothing is excluded and the alerts that need it stay silent.
 */
export function componentAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const up = (component: MetalLBComponent) => q.metric('up', component);
  const unlessNodeNotReady = `unless on (${q.by('namespace', 'pod')})\n${problemsAbove(podsOnNotReadyNodes.name)}`;
  const target = `{{ $labels.pod }} ({{ $labels.instance }}, job {{ $labels.job }})${inCluster(cfg)}`;

  return {
    name: 'metallb-components',
    alerts: [
      {
        alert: 'MetalLBControllerDown',
        severity: 'critical',
        // Anchored on the speakers and frr-k8s, which every MetalLB cluster has: a bare absent()
        // would lose the cluster label and stay silent while any other cluster has a controller.
        // Each grouped on its own: `or` then joins a series per cluster, not one per target.
        expr: `(group by (${q.by()}) (${up('speaker')}) or group by (${q.by()}) (${up('frrK8s')}))\nunless on (${q.by()})\n${up('controller')} == 1`,
        summary: 'The MetalLB controller is down.',
        description: `No MetalLB controller target is up${ofCluster(cfg)} while its speakers are scraped: new LoadBalancer Services get no address and pool changes are not applied.`,
      },
      {
        alert: 'MetalLBSpeakerDown',
        severity: 'warning',
        // The FRR-mode sidecar is scraped as its own target of the speaker pod: down, it blinds every BGP alert of the node.
        expr: `(${up('speaker')} == 0 or ${up('frrMetrics')} == 0)\n${unlessNodeNotReady}`,
        summary: 'A MetalLB speaker target is down.',
        description: `MetalLB speaker target ${target} is down on a Ready node: this node may not announce its service addresses, and its metrics are missing.`,
      },
      {
        alert: 'MetalLBSpeakersMissing',
        severity: 'warning',
        // The record applies alerts.MetalLBSpeakersMissing.nodeMatchers.
        expr: problemsAbove(speakersMissing.name),
        summary: 'A node runs no MetalLB speaker.',
        description: `Node {{ $labels.node }}${inCluster(cfg)} is Ready but runs no MetalLB speaker that Prometheus scrapes: MetalLB cannot announce service addresses from it. If the speakers avoid this node on purpose, set alerts.MetalLBSpeakersMissing.nodeMatchers.`,
      },
      {
        alert: 'MetalLBSpeakerTargetsMissing',
        severity: 'warning',
        // One alert per cluster for a selector that sees no speaker: the per-node and per-Service
        // alerts that need speakers stay silent there instead of firing for every node.
        expr: `count by (${q.by()}) (${up('controller')})\nunless on (${q.by()})\n${up('speaker')}`,
        summary: 'No MetalLB speaker target matches the speaker selector.',
        description: `Prometheus scrapes {{ $value }} MetalLB controller target(s)${inCluster(cfg)} but no target matches the speaker selector \`${cfg.selectors.speaker}\`: every speaker, announcement and layer-2 alert is blind there. Run \`metallb-mixin doctor\` to find the speakers' job and container and write selectors.speaker.`,
      },
      {
        alert: 'MetalLBFRRK8sDown',
        severity: 'warning',
        expr: `${up('frrK8s')} == 0\n${unlessNodeNotReady}`,
        summary: 'A frr-k8s target is down.',
        description: `frr-k8s target ${target} is down on a Ready node: the BGP sessions of this node may be down, and its BGP and BFD metrics are missing.`,
      },
    ],
  };
}
