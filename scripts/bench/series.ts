import { bgpFamilies, bgpMetricName, type BgpMode } from '../../mixin/catalogue.js';
import { poolTotal, type Cluster, type Labels, type Node, type Peer, type Service, type Target } from './clusters.js';
import type { SeriesSink } from './openmetrics.js';
import { Random } from './random.js';
import { counter, gauge, noisy, podExists, Up, upValues, type TargetState, type Timeline } from './timeline.js';

/**
 * Turns the estate into series with the names, labels and types MetalLB, frr-k8s and
 * kube-state-metrics really expose. Only the series some query can touch are generated: real
 * targets also carry a hundred `go_*`/`promhttp_*` series that no query of the mixin or the seed
 * reads, and which would only make the backfill slower.
 */

const withLabels = (target: Target, extra: Labels): Labels => ({ ...target.labels, ...extra });

/** A float increment of about `perTick` (CPU seconds and the like). */
const jitter = (rng: Random, perTick: number) => () => Math.round(perTick * (0.6 + 0.8 * rng.next()) * 1000) / 1000;

/** controller-runtime's buckets for `controller_runtime_reconcile_time_seconds` (>= 0.15). */
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4,
  4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** Share of reconciles at or below `le`: most finish in milliseconds, a tail takes seconds. */
const reconcileShare = (le: number) => Math.min(1, 1 - Math.exp(-le / 0.03) * 0.97 - (le >= 1 ? 0.02 : 0));

function processSeries(sink: SeriesSink, target: Target, rng: Random, cpuPerTick: number, memory: number): void {
  sink.add('up', target.labels, upValues(target.state));
  sink.add('process_cpu_seconds_total', target.labels, counter(target.state, jitter(rng, cpuPerTick), rng.int(100, 5000)));
  sink.add('process_resident_memory_bytes', target.labels, gauge(target.state, () => memory + rng.int(0, memory / 8)));
  sink.add('go_goroutines', target.labels, gauge(target.state, () => rng.int(80, 140)));
}

/**
 * controller-runtime, workqueue and client-go metrics (controller, speaker and frr-k8s >= 0.16).
 * The latency histogram (41 buckets) is generated for the first controller only when `histogram`
 * is set: on every controller it alone would be most of the data at 1,000 nodes.
 */
function frameworkSeries(sink: SeriesSink, target: Target, rng: Random, controllers: readonly string[], histogram: boolean): void {
  const s = target.state;
  for (const [i, controller] of controllers.entries()) {
    const reconciles = counter(s, noisy(rng, 3), rng.int(1000, 20000));
    const errors = counter(s, () => (rng.chance(0.02) ? 1 : 0), rng.int(0, 5));
    sink.add('controller_runtime_reconcile_total', withLabels(target, { controller, result: 'success' }), reconciles);
    sink.add('controller_runtime_reconcile_total', withLabels(target, { controller, result: 'error' }), errors);
    sink.add('controller_runtime_reconcile_total', withLabels(target, { controller, result: 'requeue' }), counter(s, noisy(rng, 0.2), rng.int(0, 200)));
    sink.add('controller_runtime_reconcile_total', withLabels(target, { controller, result: 'requeue_after' }), counter(s, noisy(rng, 0.1), rng.int(0, 100)));
    sink.add('controller_runtime_reconcile_errors_total', withLabels(target, { controller }), errors);
    sink.add('controller_runtime_active_workers', withLabels(target, { controller }), gauge(s, () => (rng.chance(0.1) ? 1 : 0)));
    if (histogram && i === 0) {
      for (const le of reconcileBuckets) {
        sink.add('controller_runtime_reconcile_time_seconds_bucket', withLabels(target, { controller, le: String(le) }), reconciles.map((v) => Math.floor(v * reconcileShare(le))));
      }
      sink.add('controller_runtime_reconcile_time_seconds_bucket', withLabels(target, { controller, le: '+Inf' }), reconciles);
    }
    sink.add('controller_runtime_reconcile_time_seconds_sum', withLabels(target, { controller }), reconciles.map((v) => Math.round(v * 0.045 * 1000) / 1000));
    sink.add('controller_runtime_reconcile_time_seconds_count', withLabels(target, { controller }), reconciles);
    sink.add('workqueue_depth', withLabels(target, { name: controller }), gauge(s, () => (rng.chance(0.05) ? rng.int(1, 4) : 0)));
    sink.add('workqueue_adds_total', withLabels(target, { name: controller }), counter(s, noisy(rng, 3), rng.int(1000, 20000)));
    sink.add('workqueue_retries_total', withLabels(target, { name: controller }), counter(s, noisy(rng, 0.1), rng.int(0, 100)));
  }
  const host = '10.96.0.1:443';
  for (const [code, method, perTick] of [['200', 'GET', 4], ['200', 'PATCH', 1], ['201', 'POST', 0.2], ['409', 'PUT', 0.05]] as const) {
    sink.add('rest_client_requests_total', withLabels(target, { code, host, method }), counter(s, noisy(rng, perTick), rng.int(100, 10000)));
  }
}

/** The k8s client counters and config gauges of a MetalLB (or frr-k8s) process. */
function k8sClientSeries(
  sink: SeriesSink,
  prefix: 'metallb' | 'frrk8s',
  target: Target,
  rng: Random,
  opts: { staleFrom?: number; errorBurst?: readonly [number, number] } = {},
): void {
  const s = target.state;
  const burst = (t: number) => opts.errorBurst !== undefined && t >= opts.errorBurst[0] && t <= opts.errorBurst[1];
  const updates = counter(s, noisy(rng, 2), rng.int(500, 50000));
  const errors = counter(s, (t) => (burst(t) ? rng.int(1, 2) : rng.chance(0.01) ? 1 : 0), rng.int(0, 20));
  sink.add(`${prefix}_k8s_client_updates_total`, target.labels, updates);
  sink.add(`${prefix}_k8s_client_update_errors_total`, target.labels, errors);
  sink.add(`${prefix}_k8s_client_config_loaded_bool`, target.labels, gauge(s, () => 1));
  sink.add(`${prefix}_k8s_client_config_stale_bool`, target.labels, gauge(s, (t) => (opts.staleFrom !== undefined && t >= opts.staleFrom ? 1 : 0)));
}

function controllerSeries(sink: SeriesSink, cluster: Cluster, rng: Random): void {
  const modern = cluster.plan.install !== 'helm-0.15';
  for (const target of cluster.controllers) {
    processSeries(sink, target, rng, 0.6, 60e6);
    if (modern) frameworkSeries(sink, target, rng, ['service', 'ipaddresspool', 'poolstatus'], true);
    k8sClientSeries(sink, 'metallb', target, rng);
    for (const pool of cluster.pools) {
      const labels = withLabels(target, { pool: pool.name });
      const used = (t: number) => pool.inUse(t);
      sink.add('metallb_allocator_addresses_total', labels, gauge(target.state, () => poolTotal(pool)));
      sink.add('metallb_allocator_addresses_in_use_total', labels, gauge(target.state, (t) => used(t).v4 + used(t).v6));
      sink.add('metallb_allocator_ipv4_addresses_total', labels, gauge(target.state, () => pool.v4));
      sink.add('metallb_allocator_ipv6_addresses_total', labels, gauge(target.state, () => pool.v6));
      sink.add('metallb_allocator_ipv4_addresses_in_use_total', labels, gauge(target.state, (t) => used(t).v4));
      sink.add('metallb_allocator_ipv6_addresses_in_use_total', labels, gauge(target.state, (t) => used(t).v6));
    }
  }
}

/** `metallb_speaker_announced` and, for layer 2, the ARP/NDP counters of every node that owned the IP. */
function announcementSeries(sink: SeriesSink, cluster: Cluster, tl: Timeline, rng: Random): Map<Node, Float64Array> {
  const bgpPrefixes = new Map<Node, Float64Array>(cluster.nodes.map((n) => [n, new Float64Array(tl.ticks)]));
  for (const service of cluster.services) {
    const announcing = new Map<Node, Float64Array>();
    for (let t = 0; t < tl.ticks; t++) {
      for (const node of service.announcers(t)) {
        let values = announcing.get(node);
        if (!values) announcing.set(node, (values = new Float64Array(tl.ticks).fill(NaN)));
        values[t] = 1;
        if (service.protocol === 'bgp') (bgpPrefixes.get(node) as Float64Array)[t] += service.ips.length;
      }
    }
    for (const [node, values] of announcing) {
      for (const ip of service.ips) {
        // honorLabels: the metric's own `service` label wins over the ServiceMonitor's.
        sink.add('metallb_speaker_announced', withLabels(node.speaker, { service: service.name, protocol: service.protocol, node: node.name, ip }), values);
      }
    }
    if (service.l2Candidates) layer2Series(sink, service, tl, rng);
  }
  return bgpPrefixes;
}

/**
 * ARP/NDP counters of one layer-2 IP on each node that owned it. A speaker keeps the series after
 * losing the IP (they are never deleted) and loses them when it restarts; the node taking over
 * sends gratuitous packets.
 */
function layer2Series(sink: SeriesSink, service: Service, tl: Timeline, rng: Random): void {
  const requestsPerTick = 30 * (0.02 + rng.next());
  for (const node of service.l2Candidates ?? []) {
    const owned = (t: number) => service.announcers(t)[0] === node;
    for (const ip of service.ips) {
      const requests = new Float64Array(tl.ticks).fill(NaN);
      const responses = new Float64Array(tl.ticks).fill(NaN);
      const gratuitous = new Float64Array(tl.ticks).fill(NaN);
      let present = false;
      let req = 0;
      let resp = 0;
      let grat = 0;
      for (let t = 0; t < tl.ticks; t++) {
        if (node.speaker.state[t] !== Up) {
          present = false;
          continue;
        }
        const takeover = owned(t) && (t === 0 || !owned(t - 1));
        if (!present && owned(t)) {
          present = true;
          // Owned since before the window: the counters already ran for a while.
          [req, resp, grat] = t === 0 ? [rng.int(1000, 90000), 0, rng.int(1, 3)] : [0, 0, 0];
          resp = Math.floor(req * 0.999);
        }
        if (!present) continue;
        if (owned(t)) {
          const n = Math.round(requestsPerTick * (0.5 + rng.next()));
          req += n;
          resp += rng.chance(0.02) ? n - 1 : n;
          if (takeover && t > 0) grat += rng.int(1, 3);
        }
        requests[t] = req;
        responses[t] = Math.max(0, resp);
        gratuitous[t] = grat;
      }
      const labels = withLabels(node.speaker, { ip });
      sink.add('metallb_layer2_requests_received', labels, requests);
      sink.add('metallb_layer2_responses_sent', labels, responses);
      sink.add('metallb_layer2_gratuitous_sent', labels, gratuitous);
    }
  }
}

/** Per-tick session state of a peer as the exporter sees it (down while its target is down). */
function sessionState(peer: Peer, state: TargetState): Uint8Array {
  return peer.established.map((e, t) => (state[t] === Up && e === 1 ? 1 : 0));
}

/** One BGP/BFD family's values for one session, modelled after FRR's and the native speaker's counters. */
function familyValues(suffix: string, target: Target, session: Uint8Array, prefixes: Float64Array, rng: Random): Float64Array {
  const s = target.state;
  const established = (t: number) => session[t] === 1 && (t === 0 || session[t - 1] === 0);
  const dropped = (t: number) => session[t] === 0 && t > 0 && session[t - 1] === 1;
  const whileUp = (perTick: number) => (t: number) => (session[t] === 1 ? perTick : 0);
  switch (suffix) {
    case 'bgp_session_up':
    case 'bfd_session_up':
      return gauge(s, (t) => session[t] as number);
    case 'bgp_announced_prefixes_total':
      return gauge(s, (t) => (session[t] === 1 ? (prefixes[t] as number) : 0));
    case 'bgp_pending_prefixes_total':
      // The prefixes the speaker wants advertised, whatever the session's state: a converged session has pending == announced.
      return gauge(s, (t) => prefixes[t] as number);
    case 'bgp_received_prefixes_total':
      return gauge(s, (t) => session[t] as number);
    case 'bgp_updates_total':
      return counter(s, (t) => (established(t) ? (prefixes[t] as number) : session[t] === 1 && rng.chance(0.1) ? 1 : 0), rng.int(50, 500));
    case 'bgp_updates_total_received':
      return counter(s, (t) => (session[t] === 1 && rng.chance(0.05) ? 1 : 0), rng.int(1, 10));
    case 'bgp_opens_sent':
    case 'bgp_opens_received':
    case 'bfd_session_up_events':
      return counter(s, (t) => (established(t) ? 1 : 0), rng.int(1, 3));
    case 'bgp_notifications_sent':
    case 'bfd_session_down_events':
      return counter(s, (t) => (dropped(t) ? 1 : 0), rng.int(0, 2));
    case 'bfd_zebra_notifications':
      return counter(s, (t) => (established(t) || dropped(t) ? 1 : 0), rng.int(2, 6));
    case 'bgp_keepalives_sent':
    case 'bgp_keepalives_received':
      // FRR's default keepalive interval is 60 s: one every other scrape.
      return counter(s, (t) => (session[t] === 1 && t % 2 === 0 ? 1 : 0), rng.int(1000, 50000));
    case 'bfd_control_packet_input':
    case 'bfd_control_packet_output':
      // 300 ms transmit interval.
      return counter(s, whileUp(100), rng.int(1e5, 1e7));
    default: {
      const family = bgpFamilies[suffix];
      return family?.type === 'counter' ? counter(s, () => 0, rng.int(0, 3)) : gauge(s, () => 0);
    }
  }
}

function bgpSeries(sink: SeriesSink, mode: BgpMode, target: Target, peers: readonly Peer[], prefixes: Float64Array, rng: Random): void {
  const families = Object.values(bgpFamilies).filter((f) => f.modes.includes(mode));
  for (const peer of peers) {
    const session = sessionState(peer, target.state);
    const labels = withLabels(target, { peer: peer.peer, ...(peer.vrf !== undefined ? { vrf: peer.vrf } : {}) });
    const values = new Map<string, Float64Array>();
    for (const family of families) {
      if (family.suffix.startsWith('bfd_') && !peer.bfd) continue;
      if (family.suffix === 'bgp_total_sent' || family.suffix === 'bgp_total_received') continue;
      values.set(family.suffix, familyValues(family.suffix, target, session, prefixes, rng));
    }
    const sum = (parts: string[]) =>
      parts.map((p) => values.get(p)).filter((v): v is Float64Array => v !== undefined).reduce((acc, v) => acc.map((a, t) => a + (v[t] as number)));
    if (families.some((f) => f.suffix === 'bgp_total_sent')) {
      values.set('bgp_total_sent', sum(['bgp_opens_sent', 'bgp_notifications_sent', 'bgp_updates_total', 'bgp_keepalives_sent', 'bgp_route_refresh_sent']));
      values.set('bgp_total_received', sum(['bgp_opens_received', 'bgp_updates_total_received', 'bgp_keepalives_received']));
    }
    for (const family of families) {
      const v = values.get(family.suffix);
      if (v) sink.add(bgpMetricName(family, mode), labels, v);
    }
  }
}

function nodeSeries(sink: SeriesSink, cluster: Cluster, node: Node, prefixes: Float64Array, rng: Random): void {
  const modern = cluster.plan.install !== 'helm-0.15';
  processSeries(sink, node.speaker, rng, 0.4, 45e6);
  if (modern) frameworkSeries(sink, node.speaker, rng, ['service', 'config'], true);
  k8sClientSeries(sink, 'metallb', node.speaker, rng, {
    ...(node.staleConfigFrom !== undefined ? { staleFrom: node.staleConfigFrom } : {}),
    ...(node.errorBurst ? { errorBurst: node.errorBurst } : {}),
  });
  if (cluster.plan.bgp === 'native') {
    bgpSeries(sink, 'native', node.speaker, node.peers, prefixes, rng);
    // MetalLB 0.15 native mode also leaves a never-updated `peer="IP"` series at 0 (metallb#2806).
    for (const peer of node.peers) {
      const labels = withLabels(node.speaker, { peer: peer.peer.replace(/:\d+$/, '') });
      sink.add('metallb_bgp_session_up', labels, gauge(node.speaker.state, () => 0));
      sink.add('metallb_bgp_announced_prefixes_total', labels, gauge(node.speaker.state, () => 0));
    }
  }
  if (node.frrK8s) {
    const { controller, metrics } = node.frrK8s;
    processSeries(sink, controller, rng, 0.3, 40e6);
    frameworkSeries(sink, controller, rng, ['frrconfiguration'], false);
    k8sClientSeries(sink, 'frrk8s', controller, rng);
    processSeries(sink, metrics, rng, 0.1, 25e6);
    bgpSeries(sink, 'frr-k8s', metrics, node.peers, prefixes, rng);
  }
}

/**
 * `kube_pod_info` of a MetalLB pod, with the same `namespace` and `pod` as the targets it runs
 * (honorLabels: the metric's own labels win over kube-state-metrics' target labels). The owner is
 * the pod name without its random suffix: `<daemonset>-xxxxx`, `<deployment>-<hash>-xxxxx`.
 */
function podInfoSeries(sink: SeriesSink, ksm: Target, pod: Target, node: Node, kind: 'DaemonSet' | 'ReplicaSet'): void {
  const name = pod.labels.pod as string;
  const labels = withLabels(ksm, {
    namespace: pod.labels.namespace as string,
    pod: name,
    node: node.name,
    host_ip: node.ip,
    pod_ip: (pod.labels.instance as string).replace(/:\d+$/, ''),
    host_network: String(kind === 'DaemonSet'),
    created_by_kind: kind,
    created_by_name: name.replace(/-[^-]+$/, ''),
  });
  sink.add('kube_pod_info', labels, gauge(ksm.state, podExists(pod.state)));
}

/** The kube-state-metrics series the mixin joins: nodes, their Ready condition and taints, MetalLB's pods, LoadBalancer Services. */
function kubeStateSeries(sink: SeriesSink, cluster: Cluster): void {
  const ksm = cluster.kubeStateMetrics;
  sink.add('up', ksm.labels, upValues(ksm.state));
  const always = gauge(ksm.state, () => 1);
  // The controller's pods are scheduled on the first nodes; which ones does not matter to any query.
  cluster.controllers.forEach((controller, i) => podInfoSeries(sink, ksm, controller, cluster.nodes[i % cluster.nodes.length] as Node, 'ReplicaSet'));
  for (const node of cluster.nodes) {
    const notReady = (t: number) => node.notReadyFrom !== undefined && t >= node.notReadyFrom;
    sink.add('kube_node_info', withLabels(ksm, { node: node.name, internal_ip: node.ip }), always);
    podInfoSeries(sink, ksm, node.speaker, node, 'DaemonSet');
    // One pod, two targets (controller and frr-metrics containers): one kube_pod_info.
    if (node.frrK8s) podInfoSeries(sink, ksm, node.frrK8s.controller, node, 'DaemonSet');
    for (const status of ['true', 'false', 'unknown']) {
      const value = (t: number) => (notReady(t) ? (status === 'unknown' ? 1 : 0) : status === 'true' ? 1 : 0);
      sink.add('kube_node_status_condition', withLabels(ksm, { node: node.name, condition: 'Ready', status }), gauge(ksm.state, value));
    }
    if (node.notReadyFrom !== undefined) {
      const from = node.notReadyFrom;
      for (const effect of ['NoSchedule', 'NoExecute']) {
        const taint = gauge(ksm.state, (t) => (t >= from ? 1 : NaN));
        sink.add('kube_node_spec_taint', withLabels(ksm, { node: node.name, key: 'node.kubernetes.io/unreachable', effect }), taint);
      }
    }
  }
  for (const service of cluster.services) {
    const [namespace, name] = service.name.split('/') as [string, string];
    sink.add('kube_service_spec_type', withLabels(ksm, { namespace, service: name, type: 'LoadBalancer' }), always);
    for (const ip of service.ips) {
      sink.add('kube_service_status_load_balancer_ingress', withLabels(ksm, { namespace, service: name, ip }), always);
    }
  }
}

/** Every series of every cluster, into `sink`. */
export function writeEstate(sink: SeriesSink, clusters: readonly Cluster[], tl: Timeline): void {
  for (const cluster of clusters) {
    const rng = new Random(`series/${cluster.plan.name}/${cluster.nodes.length}`);
    controllerSeries(sink, cluster, rng);
    const prefixes = announcementSeries(sink, cluster, tl, rng);
    for (const node of cluster.nodes) nodeSeries(sink, cluster, node, prefixes.get(node) as Float64Array, rng);
    kubeStateSeries(sink, cluster);
  }
}
