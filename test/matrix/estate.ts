/**
 * One support-matrix cell as a simulated cluster: two nodes, two BGP routers, two pools, a few
 * Services, with the target labels the cell's install gives (metric reference §7) and, from
 * `faultTick` on, one fault. The series come from the simulator's one generator (`test/sim/series.ts`);
 * what differs between versions that the generator does not know (the `peer` spellings of FRR 8
 * and old frr-k8s, 0.15's stale native series, 0.13's missing per-family gauges, relabelling,
 * partial kube-state-metrics) is applied to its output here.
 */
import type { Endpoint } from '../sim/install.js';
import type { Cell, Fault, Layout } from '../../mixin/docs/support-matrix.js';
import { usesFrrK8s } from '../../mixin/docs/support-matrix.js';
import type { Cluster, Labels, Node, Pool, Service, Target } from '../sim/model.js';
import { writeEstate, storedLabels, type SimSeries } from '../sim/series.js';
import { targetState, type Timeline } from '../sim/timeline.js';

export const timeline: Timeline = { start: 0, step: 30, ticks: 44 };
export const faultTick = 4;

export const clusterName = 'west';
export const faultyNode = 'worker-1';
export const faultyPeer = '172.18.10.250';
export const faultyPool = 'tenant-a';
export const unannouncedService = 'coredns-external';
/** The layer-2 Service whose announcer alternates between the nodes (fault l2AnnouncerFlapping). */
export const flappingService = { namespace: 'tenant-a', name: 'app-a' } as const;
/** The speaker controller whose reconciles fail, panic or hang, and the webhook that fails. */
export const faultyController = 'servicel2status';
export const faultyWebhook = '/validate-metallb-io-v1beta1-ipaddresspool';

// The scrape endpoints are the simulator's own: a cell names them as an install does.
type Workload = Endpoint;

interface LayoutNames {
  readonly namespace: string;
  readonly jobs: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
  readonly services: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
  readonly pods: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
}

/** Job labels by install, from §7's table; PodMonitor targets carry no `service` label. */
const layouts: Readonly<Record<Layout, LayoutNames>> = {
  helm: {
    namespace: 'metallb-system',
    jobs: { controller: 'metallb-controller-monitor-service', speaker: 'metallb', frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service' },
    services: {
      controller: 'metallb-controller-monitor-service',
      speaker: 'metallb-speaker-monitor-service',
      frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service',
    },
    pods: { controller: 'metallb-controller-6d5f7c9b8', speaker: 'metallb-speaker', frrK8s: 'metallb-frr-k8s' },
  },
  'helm-0.14.5': {
    namespace: 'metallb-system',
    jobs: {
      controller: 'metallb-controller-monitor-service',
      speaker: 'metallb-speaker-monitor-service',
      frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service',
    },
    services: {
      controller: 'metallb-controller-monitor-service',
      speaker: 'metallb-speaker-monitor-service',
      frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service',
    },
    pods: { controller: 'metallb-controller-6d5f7c9b8', speaker: 'metallb-speaker', frrK8s: 'metallb-frr-k8s' },
  },
  'helm-name-override': {
    namespace: 'metallb-system',
    jobs: { controller: 'metallb-lb-controller-monitor-service', speaker: 'lb', frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service' },
    services: {
      controller: 'metallb-lb-controller-monitor-service',
      speaker: 'metallb-lb-speaker-monitor-service',
      frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service',
    },
    pods: { controller: 'metallb-lb-controller-6d5f7c9b8', speaker: 'metallb-lb-speaker', frrK8s: 'metallb-frr-k8s' },
  },
  'helm-podmonitor': {
    namespace: 'metallb-system',
    jobs: { controller: 'metallb', speaker: 'metallb', frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service' },
    services: { controller: '', speaker: '', frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service' },
    pods: { controller: 'metallb-controller-6d5f7c9b8', speaker: 'metallb-speaker', frrK8s: 'metallb-frr-k8s' },
  },
  kustomize: {
    namespace: 'metallb-system',
    jobs: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-metrics-service' },
    services: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-metrics-service' },
    pods: { controller: 'controller-7b9c8d6f5', speaker: 'speaker', frrK8s: 'frr-k8s' },
  },
  operator: {
    namespace: 'metallb-system',
    jobs: { controller: 'controller-monitor-service', speaker: 'metallb', frrK8s: 'frr-k8s-monitor-service' },
    services: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-monitor-service' },
    pods: { controller: 'controller-7b9c8d6f5', speaker: 'speaker', frrK8s: 'frr-k8s' },
  },
};

const nodeSpecs = [
  { name: 'worker-1', ip: '172.18.10.3', suffix: 'x7k2p' },
  { name: 'worker-2', ip: '172.18.10.4', suffix: 'q9m4t' },
] as const;

/** Ports and port names as the pods declare them, by MetalLB line (§2.1, §7). */
function port(cell: Cell, workload: Workload): { port: number; name: string; container: string } {
  const https = cell.metallb === '0.16';
  switch (workload) {
    case 'controller':
    case 'speaker':
      return https ? { port: 9120, name: 'metricshttps', container: workload } : { port: 7472, name: 'monitoring', container: workload };
    case 'frrMetrics':
      return https
        ? { port: 9121, name: 'frrmetricshttps', container: 'frr-metrics' }
        : { port: 7473, name: cell.metallb === '0.15' ? 'frrmetrics' : 'monitoring', container: 'frr-metrics' };
    case 'frrK8sController':
      return { port: 9140, name: 'metricshttps', container: 'controller' };
    case 'frrK8sMetrics':
      return { port: 9141, name: 'frrmetricshttps', container: 'frr-metrics' };
    case 'kubeStateMetrics':
      return { port: 8443, name: 'https-main', container: 'kube-rbac-proxy-main' };
  }
}

/** Target labels as the Prometheus Operator sets them: `job`, `namespace`, `service`, `endpoint`, `pod`, `container`, `instance`; no `node`. */
function labelsOf(cell: Cell, workload: Workload, pod: string, address: string): Labels {
  const names = layouts[cell.layout];
  const p = port(cell, workload);
  const component =
    workload === 'frrMetrics' ? 'speaker' : workload === 'frrK8sController' || workload === 'frrK8sMetrics' ? 'frrK8s' : workload;
  const where =
    component === 'kubeStateMetrics'
      ? { job: 'kube-state-metrics', namespace: 'monitoring', service: 'kube-state-metrics' }
      : {
          job: names.jobs[component],
          namespace: names.namespace,
          ...(names.services[component] === '' ? {} : { service: names.services[component] }),
        };
  return {
    ...(cell.clusterLabel ? { cluster: clusterName } : {}),
    ...where,
    endpoint: p.name,
    pod,
    container: p.container,
    instance: `${address}:${p.port}`,
  };
}

const always = (): boolean => false;

/** The cell's cluster, with `active` faults from `faultTick` on. */
export function cellCluster(cell: Cell, active: readonly Fault[]): Cluster {
  const names = layouts[cell.layout];
  const from = (f: Fault) => (active.includes(f) ? faultTick : timeline.ticks);
  const failing = (f: Fault) => targetState(timeline, { downs: [[from(f), timeline.ticks - 1]] });
  const healthy = () => targetState(timeline);
  // The speaker pod deleted (or never scheduled) on the node.
  const gone = targetState(timeline, { to: faultTick - 1 });
  const established = (node: string, peer: string) =>
    Uint8Array.from({ length: timeline.ticks }, (_, t) =>
      node === faultyNode && peer === faultyPeer && t >= from('bgpSessionDown') ? 0 : 1,
    );
  const frrSidecar = cell.bgp === 'frr8' || cell.bgp === 'frr10';
  const frrK8s = usesFrrK8s(cell.bgp);

  const nodes: Node[] = nodeSpecs.map((n) => {
    const faulty = n.name === faultyNode;
    const speakerPod = `${names.pods.speaker}-${n.suffix}`;
    const frrK8sPod = `${names.pods.frrK8s}-${n.suffix}`;
    const speaker: Target = {
      labels: labelsOf(cell, 'speaker', speakerPod, n.ip),
      state: faulty ? (active.includes('speakerMissing') ? gone : failing('speakerDown')) : healthy(),
      staleConfig: faulty && active.includes('configStale') ? (t) => t >= faultTick : always,
    };
    return {
      name: n.name,
      ip: n.ip,
      speaker,
      ...(frrSidecar
        ? {
            frrMetrics: {
              labels: labelsOf(cell, 'frrMetrics', speakerPod, n.ip),
              state: faulty && active.includes('speakerMissing') ? gone : healthy(),
            },
          }
        : {}),
      ...(frrK8s
        ? {
            frrK8s: {
              controller: { labels: labelsOf(cell, 'frrK8sController', frrK8sPod, n.ip), state: healthy(), staleConfig: always },
              metrics: { labels: labelsOf(cell, 'frrK8sMetrics', frrK8sPod, n.ip), state: faulty ? failing('frrK8sDown') : healthy() },
            },
          }
        : {}),
      peers: ['172.18.10.250', '172.18.10.251'].map((address) => ({
        address,
        port: 179,
        vrf: 'default',
        bfd: cell.bgp !== 'native',
        established: established(n.name, address),
      })),
      taints: () => [],
    };
  });

  const pools: Pool[] = [
    { name: 'default', v4: 16, v6: 0, overflow: false, inUse: () => ({ v4: 3, v6: 0 }) },
    { name: faultyPool, v4: 8, v6: 0, overflow: false, inUse: (t) => ({ v4: t >= from('poolExhausted') ? 8 : 2, v6: 0 }) },
  ];
  const [w1, w2] = nodes as [Node, Node];
  const services: Service[] = [
    { namespace: 'ingress', name: 'ingress-nginx', pool: 'default', protocol: 'bgp', ips: ['192.168.10.1'], announcers: () => nodes },
    { namespace: 'shop', name: 'frontend', pool: 'default', protocol: 'bgp', ips: ['192.168.10.2'], announcers: () => nodes },
    {
      namespace: 'dns',
      name: unannouncedService,
      pool: 'default',
      protocol: 'layer2',
      ips: ['192.168.10.3'],
      announcers: (t) => (t >= from('notAnnounced') ? [] : [w1]),
      l2Candidates: [w1, w2],
    },
    {
      ...flappingService,
      pool: faultyPool,
      protocol: 'layer2',
      ips: ['192.168.10.32'],
      // Flapping: the address moves to the other node and back every minute.
      announcers: (t) => (t >= from('l2AnnouncerFlapping') && Math.floor((t - faultTick) / 2) % 2 === 0 ? [w2] : [w1]),
      l2Candidates: [w1, w2],
    },
    {
      namespace: 'tenant-a',
      name: 'app-b',
      pool: faultyPool,
      protocol: 'layer2',
      ips: ['192.168.10.33'],
      announcers: () => [w2],
      l2Candidates: [w2, w1],
    },
  ];

  const controller: Target = {
    labels: labelsOf(cell, 'controller', `${names.pods.controller}-h3j8w`, '10.244.1.5'),
    state: failing('controllerDown'),
    staleConfig: always,
  };
  return {
    name: clusterName,
    install: { style: cell.layout === 'kustomize' ? 'kustomize' : 'helm', version: cell.metallb === '0.16' ? '0.16' : '0.15' },
    bgp: frrK8s ? 'frr-k8s' : frrSidecar ? 'frr' : 'native',
    nodes,
    controllers: [controller],
    ...(cell.kubeStateMetrics === 'absent'
      ? {}
      : {
          kubeStateMetrics: {
            labels: labelsOf(cell, 'kubeStateMetrics', 'kube-state-metrics-5f7d9c-2xkqz', '10.244.2.7'),
            state: healthy(),
          },
        }),
    pools,
    services,
  };
}

/** A stored series: name, labels (the target's overridden by the metric's own), a value per tick (NaN: none). */
export interface StoredSeries {
  readonly name: string;
  readonly labels: Labels;
  readonly values: Float64Array;
}

const peerWithoutPort = (peer: string) => peer.replace(/:-?[0-9]+$/, '');

/**
 * FRR 8.x names a session after its socket's foreign port: `IP:-1` while down, `IP:179` once up;
 * each series goes stale when the other appears (§7). Splits every BGP series of a session so.
 */
function frr8Split(series: StoredSeries[], prefix: string): StoredSeries[] {
  const sessionUp = new Map<string, Float64Array>();
  const key = (l: Labels) => `${l['pod']}|${peerWithoutPort(l['peer'] ?? '')}|${l['vrf'] ?? ''}`;
  for (const s of series) if (s.name === `${prefix}bgp_session_up`) sessionUp.set(key(s.labels), s.values);
  return series.flatMap((s) => {
    if (!s.name.startsWith(`${prefix}bgp_`)) return [s];
    const up = sessionUp.get(key(s.labels));
    if (!up) return [s];
    const ip = peerWithoutPort(s.labels['peer'] ?? '');
    const part = (established: boolean, peer: string): StoredSeries => ({
      name: s.name,
      labels: { ...s.labels, peer },
      values: s.values.map((v, t) => ((up[t] === 1) === established ? v : NaN)),
    });
    return [part(true, `${ip}:179`), part(false, `${ip}:-1`)].filter((p) => p.values.some((v) => !Number.isNaN(v)));
  });
}

/**
 * Faults that live in what an FRR exporter writes rather than in the cluster: its `vtysh` failing
 * (the target stays up, its BGP and BFD series stop) and a BFD session flapping between scrapes
 * (a down event every tick, the gauge never showing it).
 */
function frrExporterFaults(series: StoredSeries[], cell: Cell, active: readonly Fault[]): StoredSeries[] {
  const pod = faultyPod(cell, 'bgpSessionDown');
  const onFaultyExporter = (s: StoredSeries) => s.labels['pod'] === pod && s.labels['container'] === 'frr-metrics';
  return series.map((s) => {
    if (active.includes('exporterSilent') && onFaultyExporter(s) && /^(metallb|frrk8s)_(bgp|bfd)_/.test(s.name)) {
      return { ...s, values: s.values.map((v, t) => (t >= faultTick ? NaN : v)) };
    }
    if (
      active.includes('bfdFlapping') &&
      onFaultyExporter(s) &&
      s.name.endsWith('_bfd_session_down_events') &&
      peerWithoutPort(s.labels['peer'] ?? '') === faultyPeer
    ) {
      return { ...s, values: s.values.map((v, t) => (t >= faultTick && !Number.isNaN(v) ? v + (t - faultTick + 1) : v)) };
    }
    return s;
  });
}

/** From `faultTick` on, `perTick` more at each tick (a counter) or the value given (a gauge). */
const fromFault = (values: Float64Array, at: (ticksIn: number, v: number) => number): Float64Array =>
  values.map((v, t) => (t >= faultTick && !Number.isNaN(v) ? at(t - faultTick + 1, v) : v));

/**
 * Faults controller-runtime's metrics show (MetalLB >= 0.16; older cells have none of these series
 * to change): on the faulty speaker, one controller's reconciles fail, panic on every retry, and its
 * work queue's reconcile hangs; on the controller, a validating webhook answers 500 to every call.
 */
function controllerRuntimeFaults(series: StoredSeries[], cell: Cell, active: readonly Fault[]): StoredSeries[] {
  const speaker = faultyPod(cell, 'speakerDown');
  const onFaultySpeaker = (s: StoredSeries) =>
    s.labels['pod'] === speaker && s.labels['container'] === 'speaker' && (s.labels['controller'] ?? s.labels['name']) === faultyController;
  const changed = series.map((s) => {
    if (!onFaultySpeaker(s)) return s;
    if (
      active.includes('reconcileErrors') &&
      (s.name === 'controller_runtime_reconcile_errors_total' ||
        s.name === 'controller_runtime_reconcile_time_seconds_count' ||
        (s.name === 'controller_runtime_reconcile_total' && s.labels['result'] === 'error'))
    )
      return { ...s, values: fromFault(s.values, (n, v) => v + 10 * n) };
    if (active.includes('reconcilePanics') && s.name === 'controller_runtime_reconcile_panics_total')
      // The object that makes it panic is retried, and panics again each time.
      return { ...s, values: fromFault(s.values, (n, v) => v + n) };
    if (active.includes('reconcileStuck') && s.name === 'workqueue_longest_running_processor_seconds')
      return { ...s, values: fromFault(s.values, (n) => 30 * n) };
    return s;
  });
  if (!active.includes('webhookFailing')) return changed;
  // A counter series appears at its first increment: the 500s of the webhook that fails.
  const answered = changed.find((s) => s.name === 'controller_runtime_webhook_requests_total' && s.labels['webhook'] === faultyWebhook);
  if (!answered) return changed;
  const failed: StoredSeries = {
    name: answered.name,
    labels: { ...answered.labels, code: '500' },
    values: answered.values.map((v, t) => (t >= faultTick && !Number.isNaN(v) ? 5 * (t - faultTick + 1) : NaN)),
  };
  return [...changed, failed];
}

/** Every series the cell's Prometheus stores, with `active` faults from `faultTick` on. */
export function cellSeries(cell: Cell, active: readonly Fault[]): StoredSeries[] {
  const raw: SimSeries[] = [];
  writeEstate({ add: (s) => raw.push(s) }, [cellCluster(cell, active)], timeline);
  let series: StoredSeries[] = raw.map((s) => ({ name: s.name, labels: storedLabels(s), values: s.values }));
  if (cell.metallb === '0.13') series = series.filter((s) => !/^metallb_allocator_ipv[46]_/.test(s.name));
  if (cell.kubeStateMetrics === 'partial') series = series.filter((s) => !s.name.startsWith('kube_pod_'));
  if (cell.bgp === 'frr-k8s-port' || cell.bgp === 'frr-k8s-port-frr8') {
    series = series.map((s) =>
      s.name.startsWith('frrk8s_bgp_') && s.labels['peer'] ? { ...s, labels: { ...s.labels, peer: `${s.labels['peer']}:179` } } : s,
    );
  }
  if (cell.bgp === 'frr8') series = frr8Split(series, 'metallb_');
  if (cell.bgp === 'frr-k8s-port-frr8') series = frr8Split(series, 'frrk8s_');
  if (cell.bgp === 'frr-k8s-relabelled') {
    // The operator renames on both frr-k8s endpoints, kustomize on the frr-metrics one only (§7).
    series = series.map((s) =>
      s.name.startsWith('frrk8s_') && (cell.layout === 'operator' || s.labels['container'] === 'frr-metrics')
        ? { ...s, name: s.name.replace(/^frrk8s_/, 'metallb_') }
        : s,
    );
  }
  if (cell.metallb === '0.15' && cell.bgp === 'native') {
    // 0.15 keeps a stale `peer="IP"` series at 0 beside each real `IP:port` one (metallb#2806).
    const stale = series
      .filter((s) => s.name === 'metallb_bgp_session_up' && s.labels['peer'])
      .map((s) => ({
        name: s.name,
        labels: { ...s.labels, peer: peerWithoutPort(s.labels['peer'] ?? '') },
        values: s.values.map((v) => (Number.isNaN(v) ? v : 0)),
      }));
    series = [...series, ...stale];
  }
  return controllerRuntimeFaults(frrExporterFaults(series, cell, active), cell, active);
}

/**
 * Faults simulated together: they hit different things (a pool, one speaker's configuration, one
 * BGP session), none hides another's data, and none can raise another's alert. Each other fault
 * runs alone, as it takes data away (a target, a pod) or raises alerts of its own kind.
 */
export const faultGroups: readonly (readonly Fault[])[] = [
  ['poolExhausted', 'configStale', 'bgpSessionDown'],
  ['speakerDown'],
  ['controllerDown'],
  ['frrK8sDown'],
  ['notAnnounced'],
  ['speakerMissing'],
  ['exporterSilent'],
  ['bfdFlapping'],
  ['webhookFailing', 'reconcileErrors', 'reconcilePanics', 'reconcileStuck', 'l2AnnouncerFlapping'],
];

/** The labels that name what a fault hit, on the alert it raises (the cluster aside). */
export function faultIdentity(cell: Cell, fault: Fault): Record<string, string> {
  switch (fault) {
    case 'speakerDown':
    case 'bgpSessionDown':
    case 'configStale':
    case 'frrK8sDown':
      return { pod: faultyPod(cell, fault) };
    case 'controllerDown':
      return {};
    case 'poolExhausted':
      return { pool: faultyPool };
    // Without kube-state-metrics the alert counts unannounced addresses per cluster.
    case 'notAnnounced':
      return cell.kubeStateMetrics === 'absent' ? {} : { service: unannouncedService };
    case 'speakerMissing':
      return { node: faultyNode };
    case 'exporterSilent':
    case 'bfdFlapping':
      return { pod: faultyPod(cell, 'bgpSessionDown') };
    case 'webhookFailing':
      return { webhook: faultyWebhook };
    case 'reconcileErrors':
    case 'reconcilePanics':
      return { job: speakerJob(cell), controller: faultyController };
    case 'reconcileStuck':
      return { job: speakerJob(cell), name: faultyController };
    // MetalLB's `service` label is `namespace/name`.
    case 'l2AnnouncerFlapping':
      return { service: `${flappingService.namespace}/${flappingService.name}` };
  }
}

/** The speaker job of the cell's layout. */
export const speakerJob = (cell: Cell): string => layouts[cell.layout].jobs.speaker;

/** The pod the fault hits, for its identifying labels. */
export function faultyPod(cell: Cell, fault: Fault): string {
  const names = layouts[cell.layout];
  const suffix = nodeSpecs[0].suffix;
  if (fault === 'frrK8sDown') return `${names.pods.frrK8s}-${suffix}`;
  if (fault === 'bgpSessionDown') {
    if (usesFrrK8s(cell.bgp)) return `${names.pods.frrK8s}-${suffix}`;
    return `${names.pods.speaker}-${suffix}`;
  }
  return `${names.pods.speaker}-${suffix}`;
}
