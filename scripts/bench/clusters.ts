import { componentsForModes, type BgpMode } from '../../mixin/catalogue.js';
import { Random } from './random.js';
import { targetState, Up, type TargetState, type Timeline } from './timeline.js';

/**
 * The synthetic estate: clusters, their nodes, BGP peers, pools and services, and the faults that
 * happen during the window. Only the shape lives here; `series.ts` turns it into samples.
 */

/** How MetalLB was installed, which decides the job, endpoint and port labels of its targets. */
type Install = 'helm-0.16' | 'helm-0.15' | 'kustomize-0.16';
/** Where BGP series come from: frr-k8s (`frrk8s_*`, 0.16 default), the speaker (`metallb_bgp_*`), or no BGP. */
type BgpBackend = Extract<BgpMode, 'frr-k8s' | 'native'> | 'none';

export interface ClusterPlan {
  readonly name: string;
  readonly install: Install;
  readonly bgp: BgpBackend;
  readonly nodes: number;
  readonly servicesPerNode: number;
}

/** The cluster a user opens the dashboards on: the largest. */
export const selectedCluster = 'prod-eu1';

/**
 * A bench size of N nodes: the cluster the dashboards are opened on has N nodes (frr-k8s, Helm 0.16),
 * beside a native-BGP cluster on MetalLB 0.15 and a layer-2-only kustomize cluster. The extra
 * clusters make the alerts aggregate across clusters, give the seed's `metallb_bgp_*` queries data,
 * and exercise the other install styles.
 */
function clusterPlans(size: number): ClusterPlan[] {
  return [
    { name: selectedCluster, install: 'helm-0.16', bgp: 'frr-k8s', nodes: size, servicesPerNode: 10 },
    { name: 'prod-us1', install: 'helm-0.15', bgp: 'native', nodes: Math.max(3, Math.round(size * 0.3)), servicesPerNode: 10 },
    { name: 'edge-ams1', install: 'kustomize-0.16', bgp: 'none', nodes: Math.max(2, Math.round(size * 0.1)), servicesPerNode: 5 },
  ];
}

export type Labels = Readonly<Record<string, string>>;

export interface Target {
  readonly labels: Labels;
  readonly state: TargetState;
}

export interface Peer {
  /** The `peer` label value: `IP:port` in native mode, the neighbour IP in frr-k8s. */
  readonly peer: string;
  /** FRR's VRF; undefined in native mode, which has no `vrf` label. */
  readonly vrf: string | undefined;
  readonly bfd: boolean;
  /** 1 while the session is established (before the target's own state is applied). */
  readonly established: Uint8Array;
}

export interface Node {
  readonly name: string;
  readonly ip: string;
  readonly speaker: Target;
  /** frr-k8s pod: the controller container (9140) and the frr-metrics container (9141). */
  readonly frrK8s?: { readonly controller: Target; readonly metrics: Target };
  readonly peers: readonly Peer[];
  /** kube-state-metrics Ready condition: false from this tick on (the node became unreachable). */
  readonly notReadyFrom?: number;
  /** The speaker runs on a stale config from this tick on. */
  readonly staleConfigFrom?: number;
  /** Ticks where this speaker's k8s updates fail often. */
  readonly errorBurst?: readonly [number, number];
}

interface Pool {
  readonly name: string;
  readonly protocol: 'layer2' | 'bgp';
  /** Usable addresses per family as MetalLB reports them (an IPv6 /64 reports MaxInt64). */
  readonly v4: number;
  readonly v6: number;
  /** An IPv6 /64 listed before an IPv4 range: MetalLB's sum overflows to a negative total (metallb#3140). */
  readonly overflow: boolean;
  /** Addresses in use per family at each tick. */
  readonly inUse: (tick: number) => { v4: number; v6: number };
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  readonly pool: string;
  readonly protocol: 'layer2' | 'bgp';
  readonly ips: readonly string[];
  /** Nodes that announce it at a tick (a layer-2 service: the elected node; BGP: every announcing node). */
  readonly announcers: (tick: number) => readonly Node[];
  /** Layer 2 only: the nodes that may own the IP (elected, then its failover). */
  readonly l2Candidates?: readonly Node[];
}

export interface Cluster {
  readonly plan: ClusterPlan;
  readonly nodes: readonly Node[];
  /** Controller pods; during the rollout two overlap. */
  readonly controllers: readonly Target[];
  readonly kubeStateMetrics: Target;
  readonly pools: readonly Pool[];
  readonly services: readonly Service[];
}

/** MetalLB reports a CIDR with at least 62 host bits as MaxInt64. */
const maxInt64 = 9_223_372_036_854_775_807;

/** When the faults happen, in ticks of the timeline (30 s each). */
export const faultSchedule = {
  /** Speakers and frr-k8s pods that restart do so somewhere in this stretch. */
  restartsBetween: [20, 125],
  /** The controller rollout: the new pod starts, then the old one goes. */
  rollout: { newFrom: 96, oldUntil: 100 },
  sessionDownFrom: 60,
  flappingFrom: [80, 90],
  staleConfigFrom: 90,
  errorBurst: [70, 90],
  notReadyFrom: 110,
  /** One layer-2 IP per cluster (the n-th layer-2 service) is announced by two nodes at once. */
  splitBrain: { service: 7, from: 100, to: 110 },
} as const;

const namespaces = ['shop', 'payments', 'search', 'ingress', 'data', 'ml', 'auth', 'media', 'iot', 'billing'];
const nodesPerRack = 40;

interface Ports {
  readonly port: number;
  readonly endpoint: string;
}

function targetLabels(plan: ClusterPlan, component: 'speaker' | 'controller', pod: string, ip: string): Labels {
  const ports: Ports = plan.install === 'helm-0.15' ? { port: 7472, endpoint: 'metrics' } : { port: 9120, endpoint: 'metricshttps' };
  const kustomize = plan.install === 'kustomize-0.16';
  const job =
    component === 'speaker' ? (kustomize ? 'speaker-monitor-service' : 'metallb') : kustomize ? 'controller-monitor-service' : 'metallb-controller-monitor-service';
  const service = kustomize ? `${component}-monitor-service` : `metallb-${component}-monitor-service`;
  return {
    cluster: plan.name,
    job,
    namespace: 'metallb-system',
    service,
    endpoint: ports.endpoint,
    pod,
    container: component,
    instance: `${ip}:${ports.port}`,
  };
}

function frrK8sLabels(plan: ClusterPlan, pod: string, ip: string, container: 'controller' | 'frr-metrics'): Labels {
  const metrics = container === 'frr-metrics';
  return {
    cluster: plan.name,
    job: 'metallb-frr-k8s-frr-k8s-monitor-service',
    namespace: 'metallb-system',
    service: 'metallb-frr-k8s-frr-k8s-monitor-service',
    endpoint: metrics ? 'frrmetricshttps' : 'metricshttps',
    pod,
    container,
    instance: `${ip}:${metrics ? 9141 : 9140}`,
  };
}

/** Sessions that go down and up every few scrapes in the last half hour. */
function flapping(tl: Timeline, rng: Random): Uint8Array {
  const up = new Uint8Array(tl.ticks).fill(1);
  let t = rng.int(...faultSchedule.flappingFrom);
  while (t < tl.ticks) {
    const down = rng.int(1, 3);
    for (let i = t; i < Math.min(t + down, tl.ticks); i++) up[i] = 0;
    t += down + rng.int(3, 8);
  }
  return up;
}

function established(tl: Timeline, from = tl.ticks): Uint8Array {
  const up = new Uint8Array(tl.ticks);
  for (let t = 0; t < tl.ticks; t++) up[t] = t < from ? 1 : 0;
  return up;
}

/** One scrape-failure window per restarting target. */
function restartWindow(rng: Random): readonly [number, number] {
  const at = rng.int(...faultSchedule.restartsBetween);
  return [at, at + rng.int(1, 3)];
}

interface NodeFaults {
  readonly speakerRestarts: ReadonlySet<number>;
  readonly frrRestarts: ReadonlySet<number>;
  readonly notReady: number | undefined;
  readonly stale: number;
  readonly errorBurst: number;
}

function pickFaults(count: number, rng: Random): NodeFaults {
  const indices = [...Array(count).keys()];
  const restarts = Math.max(1, Math.round(count * 0.02));
  return {
    speakerRestarts: new Set(rng.sample(indices, restarts)),
    frrRestarts: new Set(rng.sample(indices, Math.max(1, Math.round(count * 0.01)))),
    notReady: count >= 3 ? rng.int(0, count - 1) : undefined,
    stale: rng.int(0, count - 1),
    errorBurst: rng.int(0, count - 1),
  };
}

function buildNodes(plan: ClusterPlan, index: number, tl: Timeline, rng: Random): Node[] {
  const runsFrrK8s = componentsForModes(plan.bgp === 'none' ? [] : [plan.bgp]).includes('frrK8s');
  const faults = pickFaults(plan.nodes, rng);
  const { notReadyFrom } = faultSchedule;
  const nodes: Node[] = [];
  const prefix = plan.name.replace(/^prod-|^edge-/, '');
  const peerFlaps = new Set(rng.sample([...Array(plan.nodes).keys()], Math.max(2, Math.round(plan.nodes * 0.005))));
  const peerDown = rng.int(0, plan.nodes - 1);
  for (let i = 0; i < plan.nodes; i++) {
    const rack = Math.floor(i / nodesPerRack);
    const ip = `10.${index}.${rack}.${(i % nodesPerRack) + 10}`;
    const name = `${prefix}-r${String(rack).padStart(2, '0')}-n${String(i % nodesPerRack).padStart(2, '0')}`;
    const unreachable = faults.notReady === i;
    const tail: [number, number] = [notReadyFrom, tl.ticks - 1];
    const speakerDowns = [...(faults.speakerRestarts.has(i) ? [restartWindow(rng)] : []), ...(unreachable ? [tail] : [])];
    const speakerPod = `${plan.install.startsWith('kustomize') ? 'speaker' : 'metallb-speaker'}-${rng.suffix(5)}`;
    const speaker: Target = { labels: targetLabels(plan, 'speaker', speakerPod, ip), state: targetState(tl, { downs: speakerDowns }) };

    let frrK8s: Node['frrK8s'];
    if (runsFrrK8s) {
      const pod = `metallb-frr-k8s-${rng.suffix(5)}`;
      const downs = [...(faults.frrRestarts.has(i) ? [restartWindow(rng)] : []), ...(unreachable ? [tail] : [])];
      const state = targetState(tl, { downs });
      frrK8s = {
        controller: { labels: frrK8sLabels(plan, pod, ip, 'controller'), state },
        metrics: { labels: frrK8sLabels(plan, pod, ip, 'frr-metrics'), state },
      };
    }

    const peers: Peer[] = [];
    if (plan.bgp !== 'none') {
      const native = plan.bgp === 'native';
      const torIps = [`10.${index}.${rack}.253`, `10.${index}.${rack}.254`];
      torIps.forEach((tor, k) => {
        const session = peerFlaps.has(i) && k === 0 ? flapping(tl, rng) : peerDown === i && k === 1 ? established(tl, faultSchedule.sessionDownFrom) : established(tl);
        peers.push({ peer: native ? `${tor}:179` : tor, vrf: native ? undefined : 'default', bfd: !native, established: session });
      });
      // Every tenth rack also peers with the storage fabric in its own VRF.
      if (!native && rack % 10 === 3) peers.push({ peer: `172.16.${rack}.1`, vrf: 'storage', bfd: false, established: established(tl) });
    }

    nodes.push({
      name,
      ip,
      speaker,
      ...(frrK8s ? { frrK8s } : {}),
      peers,
      ...(unreachable ? { notReadyFrom } : {}),
      ...(faults.stale === i ? { staleConfigFrom: faultSchedule.staleConfigFrom } : {}),
      ...(faults.errorBurst === i ? { errorBurst: faultSchedule.errorBurst } : {}),
    });
  }
  return nodes;
}

/** The controller Deployment rolls out: old and new pod report the same pools for a while. */
function buildControllers(plan: ClusterPlan, index: number, tl: Timeline, rng: Random): Target[] {
  const base = plan.install.startsWith('kustomize') ? 'controller' : 'metallb-controller';
  const oldPod = `${base}-${rng.suffix(10)}-${rng.suffix(5)}`;
  const newPod = `${base}-${rng.suffix(10)}-${rng.suffix(5)}`;
  return [
    { labels: targetLabels(plan, 'controller', oldPod, `100.64.${index}.17`), state: targetState(tl, { to: faultSchedule.rollout.oldUntil }) },
    { labels: targetLabels(plan, 'controller', newPod, `100.64.${index}.42`), state: targetState(tl, { from: faultSchedule.rollout.newFrom }) },
  ];
}

interface PoolSpec {
  readonly name: string;
  readonly protocol: 'layer2' | 'bgp';
  /** Share of the cluster's services allocated from it. */
  readonly share: number;
  readonly family: 'v4' | 'v6' | 'dual';
  /** Usage of the IPv4 range at the end of the window (capacity is derived from it). */
  readonly usage: number;
  /** IPv6 range is a /64, reported as MaxInt64; with `overflow`, listed before an IPv4 range, so the total overflows negative. */
  readonly slash64?: boolean;
  readonly overflow?: boolean;
  /** Usage grows over the window up to `usage` (the pool filling up). */
  readonly filling?: boolean;
}

const bgpPools: readonly PoolSpec[] = [
  { name: 'public-v4', protocol: 'bgp', share: 0.3, family: 'v4', usage: 0.97, filling: true },
  { name: 'default', protocol: 'bgp', share: 0.35, family: 'v4', usage: 0.5 },
  { name: 'dual-stack', protocol: 'bgp', share: 0.1, family: 'dual', usage: 0.6 },
  { name: 'v6-only', protocol: 'bgp', share: 0.05, family: 'v6', usage: 0, slash64: true },
  { name: 'mixed-v6-v4', protocol: 'bgp', share: 0.02, family: 'dual', usage: 0.3, slash64: true, overflow: true },
  { name: 'l2-internal', protocol: 'layer2', share: 0.18, family: 'v4', usage: 0.4 },
];
const l2Pools: readonly PoolSpec[] = [
  { name: 'l2-public', protocol: 'layer2', share: 0.4, family: 'v4', usage: 0.97, filling: true },
  { name: 'l2-internal', protocol: 'layer2', share: 0.5, family: 'dual', usage: 0.4 },
  { name: 'l2-v6', protocol: 'layer2', share: 0.1, family: 'v6', usage: 0, slash64: true },
];
/** A tiny pool in every cluster, fully used: percentages misfire on it. */
const mgmtPool: PoolSpec = { name: 'mgmt', protocol: 'layer2', share: 0, family: 'v4', usage: 1 };
const mgmtServices = 4;

function buildPool(spec: PoolSpec, services: number, tl: Timeline): Pool {
  const v4Used = spec.family === 'v6' ? 0 : services;
  const v6Used = spec.family === 'v4' ? 0 : services;
  const v4 = spec.family === 'v6' ? 0 : spec.usage > 0 ? Math.ceil(v4Used / spec.usage) : 256;
  const v6 = spec.family === 'v4' ? 0 : spec.slash64 ? maxInt64 : 256 * Math.ceil((v6Used * 2) / 256 + 1);
  const start = spec.filling ? Math.floor(v4Used * 0.93) : v4Used;
  return {
    name: spec.name,
    protocol: spec.protocol,
    v4,
    v6,
    overflow: spec.overflow ?? false,
    inUse: (tick) => ({ v4: Math.round(start + ((v4Used - start) * tick) / (tl.ticks - 1)), v6: v6Used }),
  };
}

/** `addresses_total` as MetalLB's allocator reports it: saturated at MaxInt64, or overflowed negative. */
export function poolTotal(pool: Pool): number {
  if (pool.overflow) return -(maxInt64 - pool.v4);
  return pool.v6 === maxInt64 ? maxInt64 : pool.v4 + pool.v6;
}

function ipOf(clusterIndex: number, poolIndex: number, n: number, family: 'v4' | 'v6'): string {
  return family === 'v4'
    ? `${100 + poolIndex}.${clusterIndex}.${(n >> 8) & 255}.${n & 255}`
    : `2001:db8:${clusterIndex}:${poolIndex}::${n.toString(16)}`;
}

function alive(node: Node, tick: number): boolean {
  return node.speaker.state[tick] === Up;
}

/**
 * Services and who announces them. Layer 2: the elected node, or its failover while the elected
 * speaker is down. BGP with `externalTrafficPolicy: Local`: the two nodes with endpoints; three
 * ingress services per cluster use `Cluster` and are announced by every speaker.
 */
function buildServices(plan: ClusterPlan, index: number, nodes: readonly Node[], tl: Timeline, rng: Random) {
  const specs = plan.bgp === 'none' ? l2Pools : bgpPools;
  const total = plan.nodes * plan.servicesPerNode;
  const pools: Pool[] = [];
  const services: Service[] = [];
  let serial = 0;
  let layer2Seen = 0;
  const add = (spec: PoolSpec, poolIndex: number, count: number) => {
    pools.push(buildPool(spec, count, tl));
    for (let n = 0; n < count; n++) {
      const ips = spec.family === 'dual' ? [ipOf(index, poolIndex, n, 'v4'), ipOf(index, poolIndex, n, 'v6')] : [ipOf(index, poolIndex, n, spec.family)];
      const namespace = rng.pick(namespaces);
      const name = `${namespace}/svc-${serial++}`;
      if (spec.protocol === 'layer2') {
        const [home, backup] = rng.sample(nodes, 2) as [Node, Node];
        const candidates = [home, backup];
        const splitBrain = layer2Seen++ === faultSchedule.splitBrain.service;
        services.push({
          namespace, name, pool: spec.name, protocol: 'layer2', ips, l2Candidates: candidates,
          announcers: (t) => {
            const up = candidates.filter((c) => alive(c, t));
            return splitBrain && t >= faultSchedule.splitBrain.from && t <= faultSchedule.splitBrain.to ? up : up.slice(0, 1);
          },
        });
      } else {
        const endpoints = rng.sample(nodes, 2);
        services.push({ namespace, name, pool: spec.name, protocol: 'bgp', ips, announcers: (t) => endpoints.filter((e) => alive(e, t)) });
      }
    }
  };
  specs.forEach((spec, i) => add(spec, i, Math.round(total * spec.share)));
  add(mgmtPool, specs.length, mgmtServices);
  if (plan.bgp !== 'none') {
    const poolIndex = specs.findIndex((s) => s.name === 'default');
    for (let k = 0; k < 3; k++) {
      services.push({
        namespace: 'ingress', name: `ingress/ingress-nginx-${k}`, pool: 'default', protocol: 'bgp',
        ips: [ipOf(index, poolIndex, 60_000 + k, 'v4')],
        announcers: (t) => nodes.filter((node) => alive(node, t)),
      });
    }
  }
  return { pools, services };
}

export function buildEstate(size: number, tl: Timeline): Cluster[] {
  return clusterPlans(size).map((plan, index) => {
    const rng = new Random(`${plan.name}/${size}`);
    const nodes = buildNodes(plan, index, tl, rng);
    const controllers = buildControllers(plan, index, tl, rng);
    const { pools, services } = buildServices(plan, index, nodes, tl, rng);
    const kubeStateMetrics: Target = {
      labels: {
        cluster: plan.name, job: 'kube-state-metrics', namespace: 'monitoring', service: 'kube-state-metrics',
        endpoint: 'http-metrics', pod: `kube-state-metrics-${rng.suffix(10)}-${rng.suffix(5)}`,
        container: 'kube-state-metrics', instance: `100.64.${index}.90:8080`,
      },
      state: targetState(tl),
    };
    return { plan, nodes, controllers, kubeStateMetrics, pools, services };
  });
}
