/**
 * The one model of what MetalLB, frr-k8s and kube-state-metrics expose: the estate (`model.ts`)
 * turned into series with the names, labels and types they really have, one value per tick of
 * the timeline. The bench writes every series of a cluster as OpenMetrics; the live simulator
 * renders one target's series at the last tick as a scrape answer.
 *
 * Only the series some query can touch are generated: real targets also carry a hundred
 * `go_*`/`promhttp_*` series that no query of the mixin reads. Values are noisy but seeded by the
 * series' identity, so the same estate gives the same series, whoever asks and in whatever order.
 */
import { bgpFamilies, bgpMetricName, type BgpMode } from '../../mixin/catalogue.js';
import type { Cluster, Labels, Node, Peer, Service, Target } from './model.js';
import { poolTotal } from './model.js';
import { Random } from './random.js';
import { counter, gauge, noisy, perStep, podExists, Up, upValues, type TargetState, type Timeline } from './timeline.js';

/** One series: its name, the target exposing it, the metric's own labels, and a value per tick (NaN: no sample). */
export interface SimSeries {
  readonly name: string;
  readonly target: Target;
  readonly labels: Labels;
  readonly values: Float64Array;
}

/** Receives generated series. */
export interface SeriesSink {
  add(series: SimSeries): void;
}

/** A series' labels as stored: the target's, overridden by the metric's own (honorLabels). */
export function storedLabels(series: SimSeries): Labels {
  return { ...series.target.labels, ...series.labels };
}

/** What the generators share for one cluster: the timeline, and what several targets read. */
class ClusterContext {
  private announcements: Map<Node, { service: Service; values: Float64Array }[]> | undefined;
  private prefixes: Map<Node, Float64Array> | undefined;
  private layer2: Map<Node, Service[]> | undefined;
  /** Per-30 s rates scale by this. */
  readonly scale: number;

  constructor(
    readonly cluster: Cluster,
    readonly tl: Timeline,
    readonly sink: SeriesSink,
  ) {
    this.scale = perStep(tl);
  }

  add(name: string, target: Target, labels: Labels, values: Float64Array): void {
    this.sink.add({ name, target, labels, values });
  }

  /**
   * A generator seeded by what identifies one series, so that its values do not depend on who asks
   * first, nor (in the live simulator, whose timeline grows) on how long the timeline is.
   */
  rng(target: Target, ...identity: readonly string[]): Random {
    return new Random(`${this.cluster.name}|${target.labels['pod'] ?? ''}|${target.labels['container'] ?? ''}|${identity.join('|')}`);
  }

  /**
   * Which Services each node announces at each tick, and the BGP prefixes each node advertises:
   * one pass over the Services for all nodes (at 1,000 nodes, a pass per node would take minutes).
   */
  private walkServices(): void {
    const announcements = new Map<Node, { service: Service; values: Float64Array }[]>();
    const prefixes = new Map<Node, Float64Array>(this.cluster.nodes.map((n) => [n, new Float64Array(this.tl.ticks)]));
    const layer2 = new Map<Node, Service[]>();
    for (const service of this.cluster.services) {
      const announcing = new Map<Node, Float64Array>();
      for (let t = 0; t < this.tl.ticks; t++) {
        if (service.exists && !service.exists(t)) continue;
        for (const node of service.announcers(t)) {
          let values = announcing.get(node);
          if (!values) announcing.set(node, (values = new Float64Array(this.tl.ticks).fill(NaN)));
          values[t] = 1;
          if (service.protocol === 'bgp') (prefixes.get(node) as Float64Array)[t] += service.ips.length;
        }
      }
      for (const [node, values] of announcing) {
        const list = announcements.get(node) ?? [];
        list.push({ service, values });
        announcements.set(node, list);
      }
      for (const node of service.l2Candidates ?? []) layer2.set(node, [...(layer2.get(node) ?? []), service]);
    }
    this.announcements = announcements;
    this.prefixes = prefixes;
    this.layer2 = layer2;
  }

  announcedBy(node: Node): readonly { service: Service; values: Float64Array }[] {
    if (!this.announcements) this.walkServices();
    return this.announcements?.get(node) ?? [];
  }

  /** BGP prefixes a node advertises at each tick (one per address of the BGP Services it announces). */
  prefixesOf(node: Node): Float64Array {
    if (!this.prefixes) this.walkServices();
    return this.prefixes?.get(node) ?? new Float64Array(this.tl.ticks);
  }

  /** Layer-2 Services a node may own. */
  layer2Of(node: Node): readonly Service[] {
    if (!this.layer2) this.walkServices();
    return this.layer2?.get(node) ?? [];
  }
}

/** A float increment of about `perTick` (CPU seconds and the like). */
const jitter = (rng: Random, perTick: number) => () => Math.round(perTick * (0.6 + 0.8 * rng.next()) * 1000) / 1000;

/** controller-runtime's buckets for `controller_runtime_reconcile_time_seconds` (>= 0.15). */
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5,
  5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** Share of reconciles at or below `le`: most finish in milliseconds, a tail takes seconds. */
const reconcileShare = (le: number) => Math.min(1, 1 - Math.exp(-le / 0.03) * 0.97 - (le >= 1 ? 0.02 : 0));

function processSeries(ctx: ClusterContext, target: Target, cpuPerTick: number, memory: number): void {
  const cpu = ctx.rng(target, 'process_cpu_seconds_total');
  const rss = ctx.rng(target, 'process_resident_memory_bytes');
  const goroutines = ctx.rng(target, 'go_goroutines');
  ctx.add('process_cpu_seconds_total', target, {}, counter(target.state, jitter(cpu, cpuPerTick * ctx.scale), cpu.int(100, 5000)));
  ctx.add(
    'process_resident_memory_bytes',
    target,
    {},
    gauge(target.state, () => memory + rss.int(0, memory / 8)),
  );
  ctx.add(
    'go_goroutines',
    target,
    {},
    gauge(target.state, () => goroutines.int(80, 140)),
  );
}

/**
 * controller-runtime, workqueue and client-go metrics (controller, speaker and frr-k8s >= 0.16).
 * The latency histogram (41 buckets) is generated for the first controller only when `histogram`
 * is set: on every controller it alone would be most of the data at 1,000 nodes.
 */
function frameworkSeries(ctx: ClusterContext, target: Target, controllers: readonly string[], histogram: boolean): void {
  const s = target.state;
  const k = ctx.scale;
  for (const [i, controller] of controllers.entries()) {
    // One generator per series: a generator shared by two would shift the second's draws whenever the timeline grows.
    const rng = (series: string) => ctx.rng(target, series, controller);
    const counterOf = (series: string, perTick: number, initial: number) => {
      const r = rng(series);
      return counter(s, noisy(r, perTick * k), r.int(0, initial));
    };
    const reconciles = counterOf('reconciles', 3, 20000);
    const failures = rng('errors');
    const errors = counter(s, () => (ctx.cluster.occasionalErrors && failures.chance(0.02 * k) ? 1 : 0), failures.int(0, 5));
    const workers = rng('workers');
    const depth = rng('depth');
    const requeues = counterOf('requeue', 0.2, 200);
    const requeuesAfter = counterOf('requeue_after', 0.1, 100);
    ctx.add('controller_runtime_reconcile_total', target, { controller, result: 'success' }, reconciles);
    ctx.add('controller_runtime_reconcile_total', target, { controller, result: 'error' }, errors);
    ctx.add('controller_runtime_reconcile_total', target, { controller, result: 'requeue' }, requeues);
    ctx.add('controller_runtime_reconcile_total', target, { controller, result: 'requeue_after' }, requeuesAfter);
    ctx.add('controller_runtime_reconcile_errors_total', target, { controller }, errors);
    ctx.add(
      'controller_runtime_reconcile_panics_total',
      target,
      { controller },
      counter(s, () => 0),
    );
    ctx.add(
      'controller_runtime_active_workers',
      target,
      { controller },
      gauge(s, () => (workers.chance(0.1) ? 1 : 0)),
    );
    if (histogram && i === 0) {
      for (const le of reconcileBuckets) {
        ctx.add(
          'controller_runtime_reconcile_time_seconds_bucket',
          target,
          { controller, le: String(le) },
          reconciles.map((v) => Math.floor(v * reconcileShare(le))),
        );
      }
      ctx.add('controller_runtime_reconcile_time_seconds_bucket', target, { controller, le: '+Inf' }, reconciles);
    }
    ctx.add(
      'controller_runtime_reconcile_time_seconds_sum',
      target,
      { controller },
      reconciles.map((v) => Math.round(v * 0.045 * 1000) / 1000),
    );
    // Every reconcile is timed, whatever its result.
    ctx.add(
      'controller_runtime_reconcile_time_seconds_count',
      target,
      { controller },
      reconciles.map((v, t) => v + (errors[t] ?? 0) + (requeues[t] ?? 0) + (requeuesAfter[t] ?? 0)),
    );
    ctx.add(
      'workqueue_depth',
      target,
      { name: controller },
      gauge(s, () => (depth.chance(0.05) ? depth.int(1, 4) : 0)),
    );
    ctx.add('workqueue_adds_total', target, { name: controller }, counterOf('adds', 3, 20000));
    ctx.add('workqueue_retries_total', target, { name: controller }, counterOf('retries', 0.1, 100));
    // A reconcile takes milliseconds: a scrape now and then lands while one runs.
    const busy = rng('longest-running');
    ctx.add(
      'workqueue_longest_running_processor_seconds',
      target,
      { name: controller },
      gauge(s, () => (busy.chance(0.05) ? busy.int(1, 50) / 1000 : 0)),
    );
  }
  const host = '10.96.0.1:443';
  for (const [code, method, perTick] of [
    ['200', 'GET', 4],
    ['200', 'PATCH', 1],
    ['201', 'POST', 0.2],
    ['409', 'PUT', 0.05],
  ] as const) {
    const rng = ctx.rng(target, 'rest_client_requests_total', code, method);
    ctx.add('rest_client_requests_total', target, { code, host, method }, counter(s, noisy(rng, perTick * k), rng.int(100, 10000)));
  }
}

/** The k8s client counters and config gauges of a MetalLB (or frr-k8s) process. */
function k8sClientSeries(ctx: ClusterContext, prefix: 'metallb' | 'frrk8s', target: Target): void {
  const s = target.state;
  const updated = ctx.rng(target, 'k8s-client-updates');
  const failed = ctx.rng(target, 'k8s-client-errors');
  const failing = target.updateErrors ?? (() => false);
  const stale = target.staleConfig ?? (() => false);
  const updates = counter(s, noisy(updated, 2 * ctx.scale), updated.int(500, 50000));
  const errors = counter(
    s,
    (t) => (failing(t) ? failed.int(1, 2) * ctx.scale : ctx.cluster.occasionalErrors && failed.chance(0.01 * ctx.scale) ? 1 : 0),
    failed.int(0, 20),
  );
  ctx.add(`${prefix}_k8s_client_updates_total`, target, {}, updates);
  ctx.add(`${prefix}_k8s_client_update_errors_total`, target, {}, errors);
  ctx.add(
    `${prefix}_k8s_client_config_loaded_bool`,
    target,
    {},
    gauge(s, () => 1),
  );
  ctx.add(
    `${prefix}_k8s_client_config_stale_bool`,
    target,
    {},
    gauge(s, (t) => (stale(t) ? 1 : 0)),
  );
}

const modern = (cluster: Cluster) => cluster.install.version !== '0.15';

function controllerSeries(ctx: ClusterContext, target: Target): void {
  processSeries(ctx, target, 0.6, 60e6);
  if (modern(ctx.cluster)) {
    frameworkSeries(ctx, target, ['service', 'PoolStatusController'], true);
    // The validating webhooks, called on each change of a MetalLB resource: every call answered.
    for (const webhook of ['/validate-metallb-io-v1beta1-ipaddresspool', '/validate-metallb-io-v1beta2-bgppeer']) {
      const calls = ctx.rng(target, 'webhook', webhook);
      ctx.add(
        'controller_runtime_webhook_requests_total',
        target,
        { webhook, code: '200' },
        counter(target.state, noisy(calls, 0.05 * ctx.scale), calls.int(10, 500)),
      );
    }
  }
  k8sClientSeries(ctx, 'metallb', target);
  for (const pool of ctx.cluster.pools) {
    const labels = { pool: pool.name };
    const used = (t: number) => pool.inUse(t);
    ctx.add(
      'metallb_allocator_addresses_total',
      target,
      labels,
      gauge(target.state, () => poolTotal(pool)),
    );
    ctx.add(
      'metallb_allocator_addresses_in_use_total',
      target,
      labels,
      gauge(target.state, (t) => used(t).v4 + used(t).v6),
    );
    ctx.add(
      'metallb_allocator_ipv4_addresses_total',
      target,
      labels,
      gauge(target.state, () => pool.v4),
    );
    ctx.add(
      'metallb_allocator_ipv6_addresses_total',
      target,
      labels,
      gauge(target.state, () => pool.v6),
    );
    ctx.add(
      'metallb_allocator_ipv4_addresses_in_use_total',
      target,
      labels,
      gauge(target.state, (t) => used(t).v4),
    );
    ctx.add(
      'metallb_allocator_ipv6_addresses_in_use_total',
      target,
      labels,
      gauge(target.state, (t) => used(t).v6),
    );
  }
}

/**
 * ARP/NDP counters of one layer-2 IP on a node that may own it. A speaker keeps the series after
 * losing the IP (they are never deleted) and loses them when it restarts; the node taking over
 * sends gratuitous packets.
 */
function layer2Series(ctx: ClusterContext, service: Service, node: Node): void {
  const tl = ctx.tl;
  const requestsPerTick = 30 * (0.02 + new Random(`${ctx.cluster.name}|l2|${service.namespace}/${service.name}`).next()) * ctx.scale;
  const owned = (t: number) => (!service.exists || service.exists(t)) && service.announcers(t)[0] === node;
  for (const ip of service.ips) {
    const rng = ctx.rng(node.speaker, 'layer2', ip);
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
        const n = requestsPerTick >= 1 ? Math.round(requestsPerTick * (0.5 + rng.next())) : requestsPerTick * (0.5 + rng.next());
        req += n;
        resp += rng.chance(0.02 * ctx.scale) ? Math.max(0, n - 1) : n;
        if (takeover && t > 0) grat += rng.int(1, 3);
      }
      requests[t] = req;
      responses[t] = Math.max(0, resp);
      gratuitous[t] = grat;
    }
    ctx.add('metallb_layer2_requests_received', node.speaker, { ip }, requests);
    ctx.add('metallb_layer2_responses_sent', node.speaker, { ip }, responses);
    ctx.add('metallb_layer2_gratuitous_sent', node.speaker, { ip }, gratuitous);
  }
}

/** Per-tick session state of a peer as the exporter sees it (down while its target is down). */
function sessionState(peer: Peer, state: TargetState): Uint8Array {
  return peer.established.map((e, t) => (state[t] === Up && e === 1 ? 1 : 0));
}

/** One BGP/BFD family's values for one session, modelled after FRR's and the native speaker's counters. */
function familyValues(
  ctx: ClusterContext,
  suffix: string,
  target: Target,
  session: Uint8Array,
  prefixes: Float64Array,
  rng: Random,
): Float64Array {
  const s = target.state;
  const k = ctx.scale;
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
      return counter(
        s,
        (t) => (established(t) ? (prefixes[t] as number) : session[t] === 1 && rng.chance(0.1 * k) ? 1 : 0),
        rng.int(50, 500),
      );
    case 'bgp_updates_total_received':
      return counter(s, (t) => (session[t] === 1 && rng.chance(0.05 * k) ? 1 : 0), rng.int(1, 10));
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
      // FRR's default keepalive interval is 60 s.
      return counter(s, whileUp(k), rng.int(1000, 50000));
    case 'bfd_control_packet_input':
    case 'bfd_control_packet_output':
      // 300 ms transmit interval.
      return counter(s, whileUp(100 * k), rng.int(1e5, 1e7));
    default: {
      const family = bgpFamilies[suffix];
      return family?.type === 'counter' ? counter(s, () => 0, rng.int(0, 3)) : gauge(s, () => 0);
    }
  }
}

/** The `peer` label: `IP:port` from the speaker and the FRR-mode sidecar, the neighbour IP from frr-k8s and on BFD sessions. */
function peerLabel(peer: Peer, mode: BgpMode, bfd: boolean): string {
  return bfd || mode === 'frr-k8s' ? peer.address : `${peer.address}:${peer.port}`;
}

function bgpSeries(ctx: ClusterContext, mode: BgpMode, target: Target, node: Node): void {
  const families = Object.values(bgpFamilies).filter((f) => f.modes.includes(mode));
  const prefixes = ctx.prefixesOf(node);
  for (const peer of node.peers) {
    const session = sessionState(peer, target.state);
    const values = new Map<string, Float64Array>();
    for (const family of families) {
      if (family.suffix.startsWith('bfd_') && !peer.bfd) continue;
      if (family.suffix === 'bgp_total_sent' || family.suffix === 'bgp_total_received') continue;
      values.set(
        family.suffix,
        familyValues(ctx, family.suffix, target, session, prefixes, ctx.rng(target, family.suffix, peer.address, peer.vrf)),
      );
    }
    const sum = (parts: string[]) =>
      parts
        .map((p) => values.get(p))
        .filter((v): v is Float64Array => v !== undefined)
        .reduce((acc, v) => acc.map((a, t) => a + (v[t] as number)));
    if (families.some((f) => f.suffix === 'bgp_total_sent')) {
      values.set(
        'bgp_total_sent',
        sum(['bgp_opens_sent', 'bgp_notifications_sent', 'bgp_updates_total', 'bgp_keepalives_sent', 'bgp_route_refresh_sent']),
      );
      values.set('bgp_total_received', sum(['bgp_opens_received', 'bgp_updates_total_received', 'bgp_keepalives_received']));
    }
    for (const family of families) {
      const v = values.get(family.suffix);
      if (!v) continue;
      const bfd = family.suffix.startsWith('bfd_');
      const labels = { peer: peerLabel(peer, mode, bfd), ...(mode === 'native' ? {} : { vrf: peer.vrf }) };
      ctx.add(bgpMetricName(family, mode), target, labels, v);
    }
  }
}

function speakerSeries(ctx: ClusterContext, node: Node): void {
  const cluster = ctx.cluster;
  const speaker = node.speaker;
  for (const { service, values } of ctx.announcedBy(node)) {
    for (const ip of service.ips) {
      // honorLabels: the metric's own `service` label wins over the ServiceMonitor's.
      const labels = { service: `${service.namespace}/${service.name}`, protocol: service.protocol, node: node.name, ip };
      ctx.add(
        'metallb_speaker_announced',
        speaker,
        labels,
        values.map((v, t) => (speaker.state[t] === Up ? v : NaN)),
      );
    }
  }
  for (const service of ctx.layer2Of(node)) layer2Series(ctx, service, node);
  processSeries(ctx, speaker, 0.4, 45e6);
  if (modern(cluster)) frameworkSeries(ctx, speaker, ['servicel2status', 'servicebgpstatus', 'ConfigurationStateController'], true);
  k8sClientSeries(ctx, 'metallb', speaker);
  if (cluster.bgp === 'native') {
    bgpSeries(ctx, 'native', speaker, node);
    // MetalLB 0.15 native mode also leaves a never-updated `peer="IP"` series at 0 (metallb#2806).
    if (!modern(cluster)) {
      for (const peer of node.peers) {
        ctx.add(
          'metallb_bgp_session_up',
          speaker,
          { peer: peer.address },
          gauge(speaker.state, () => 0),
        );
        ctx.add(
          'metallb_bgp_announced_prefixes_total',
          speaker,
          { peer: peer.address },
          gauge(speaker.state, () => 0),
        );
      }
    }
  }
}

/** The FRR-mode sidecar of the speaker pod: FRR's BGP and BFD collectors under `metallb_`. */
function frrSidecarSeries(ctx: ClusterContext, node: Node, target: Target): void {
  bgpSeries(ctx, 'frr', target, node);
  processSeries(ctx, target, 0.1, 24e6);
}

function frrK8sControllerSeries(ctx: ClusterContext, target: Target): void {
  processSeries(ctx, target, 0.3, 40e6);
  frameworkSeries(ctx, target, ['frrconfiguration', 'node'], false);
  k8sClientSeries(ctx, 'frrk8s', target);
}

function frrK8sMetricsSeries(ctx: ClusterContext, node: Node, target: Target): void {
  processSeries(ctx, target, 0.1, 25e6);
  bgpSeries(ctx, 'frr-k8s', target, node);
}

/**
 * `kube_pod_info` of a MetalLB pod, with the same `namespace` and `pod` as the targets it runs
 * (honorLabels: the metric's own labels win over kube-state-metrics' target labels). The owner is
 * the pod name without its random suffix: `<daemonset>-xxxxx`, `<deployment>-<hash>-xxxxx`.
 */
function podInfoSeries(ctx: ClusterContext, ksm: Target, pod: Target, node: Node, kind: 'DaemonSet' | 'ReplicaSet'): void {
  const name = pod.labels['pod'] ?? '';
  const labels = {
    namespace: pod.labels['namespace'] ?? '',
    pod: name,
    node: node.name,
    host_ip: node.ip,
    pod_ip: (pod.labels['instance'] ?? '').replace(/:\d+$/, ''),
    host_network: String(kind === 'DaemonSet'),
    created_by_kind: kind,
    created_by_name: name.replace(/-[^-]+$/, ''),
  };
  ctx.add('kube_pod_info', ksm, labels, gauge(ksm.state, podExists(pod.state)));
}

/** The kube-state-metrics series the mixin joins: nodes, their Ready condition and taints, MetalLB's pods, LoadBalancer Services. */
function kubeStateSeries(ctx: ClusterContext, ksm: Target): void {
  const cluster = ctx.cluster;
  const always = gauge(ksm.state, () => 1);
  // The controller's pods are scheduled on the last nodes; which ones does not matter to any query.
  cluster.controllers.forEach((controller, i) =>
    podInfoSeries(ctx, ksm, controller, cluster.nodes[cluster.nodes.length - 1 - (i % cluster.nodes.length)] as Node, 'ReplicaSet'),
  );
  for (const node of cluster.nodes) {
    const ready = node.ready ?? (() => true);
    ctx.add('kube_node_info', ksm, { node: node.name, internal_ip: node.ip }, always);
    podInfoSeries(ctx, ksm, node.speaker, node, 'DaemonSet');
    // One pod, two targets (controller and frr-metrics containers): one kube_pod_info.
    if (node.frrK8s) podInfoSeries(ctx, ksm, node.frrK8s.controller, node, 'DaemonSet');
    for (const status of ['true', 'false', 'unknown']) {
      const value = (t: number) => (ready(t) ? (status === 'true' ? 1 : 0) : status === 'unknown' ? 1 : 0);
      ctx.add('kube_node_status_condition', ksm, { node: node.name, condition: 'Ready', status }, gauge(ksm.state, value));
    }
    if (node.taints) {
      const taints = node.taints;
      const seen = new Map<string, { key: string; value?: string; effect: string }>();
      for (let t = 0; t < ctx.tl.ticks; t++)
        for (const taint of taints(t)) seen.set(`${taint.key}|${taint.value ?? ''}|${taint.effect}`, taint);
      for (const [id, taint] of seen) {
        const present = (t: number) => taints(t).some((x) => `${x.key}|${x.value ?? ''}|${x.effect}` === id);
        const labels = { node: node.name, key: taint.key, ...(taint.value ? { value: taint.value } : {}), effect: taint.effect };
        ctx.add(
          'kube_node_spec_taint',
          ksm,
          labels,
          gauge(ksm.state, (t) => (present(t) ? 1 : NaN)),
        );
      }
    }
  }
  ctx.add('kube_service_spec_type', ksm, { namespace: 'default', service: 'kubernetes', type: 'ClusterIP' }, always);
  for (const service of cluster.services) {
    const exists = service.exists ?? (() => true);
    const values = gauge(ksm.state, (t) => (exists(t) ? 1 : NaN));
    ctx.add('kube_service_spec_type', ksm, { namespace: service.namespace, service: service.name, type: 'LoadBalancer' }, values);
    for (const ip of service.ips) {
      ctx.add('kube_service_status_load_balancer_ingress', ksm, { namespace: service.namespace, service: service.name, ip }, values);
    }
  }
}

/** Every target of a cluster, with what it exposes. */
function endpoints(ctx: ClusterContext): { target: Target; write: () => void }[] {
  const c = ctx.cluster;
  const out: { target: Target; write: () => void }[] = c.controllers.map((target) => ({
    target,
    write: () => controllerSeries(ctx, target),
  }));
  for (const node of c.nodes) {
    out.push({ target: node.speaker, write: () => speakerSeries(ctx, node) });
    const sidecar = node.frrMetrics;
    if (sidecar) out.push({ target: sidecar, write: () => frrSidecarSeries(ctx, node, sidecar) });
    const frrK8s = node.frrK8s;
    if (frrK8s) {
      out.push({ target: frrK8s.controller, write: () => frrK8sControllerSeries(ctx, frrK8s.controller) });
      out.push({ target: frrK8s.metrics, write: () => frrK8sMetricsSeries(ctx, node, frrK8s.metrics) });
    }
  }
  const ksm = c.kubeStateMetrics;
  if (ksm) out.push({ target: ksm, write: () => kubeStateSeries(ctx, ksm) });
  return out;
}

/** The series one target exposes over the timeline (a scrape answer is their last values). */
export function targetSeries(cluster: Cluster, target: Target, tl: Timeline): SimSeries[] {
  const series: SimSeries[] = [];
  const ctx = new ClusterContext(cluster, tl, { add: (s) => series.push(s) });
  const endpoint = endpoints(ctx).find((e) => e.target === target);
  if (!endpoint) throw new Error(`cluster ${cluster.name} has no such target`);
  endpoint.write();
  return series;
}

/**
 * Every series of every cluster into `sink`, with the `up` series Prometheus would have recorded
 * from its scrapes (the bench has no scrapes, only a backfill).
 */
export function writeEstate(sink: SeriesSink, clusters: readonly Cluster[], tl: Timeline): void {
  for (const cluster of clusters) {
    const ctx = new ClusterContext(cluster, tl, sink);
    for (const { target, write } of endpoints(ctx)) {
      sink.add({ name: 'up', target, labels: {}, values: upValues(target.state) });
      write();
    }
  }
}
