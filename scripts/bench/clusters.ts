import { podName, targetLabels, type Install as SimInstall } from '../../test/sim/install.js';
import { maxInt64, type Cluster, type Node, type Peer, type Pool, type Service, type Target } from '../../test/sim/model.js';
import { Random } from '../../test/sim/random.js';
import { targetState, Up, type Timeline } from '../../test/sim/timeline.js';

/**
 * The bench's estate: clusters, their nodes, BGP peers, pools and services, and the faults that
 * happen during the window, as the simulator's model (`test/sim/model.ts`); the simulator's
 * series generator turns it into samples.
 */

/** How MetalLB was installed, which decides the job, endpoint and port labels of its targets. */
type Install = 'helm-0.16' | 'helm-0.15' | 'kustomize-0.16';
/** Where BGP series come from: frr-k8s (`frrk8s_*`, 0.16 default), the speaker (`metallb_bgp_*`), or no BGP. */
type BgpBackend = 'frr-k8s' | 'native' | 'none';

const installs: Readonly<Record<Install, SimInstall>> = {
  'helm-0.16': { style: 'helm', version: '0.16' },
  'helm-0.15': { style: 'helm', version: '0.15' },
  'kustomize-0.16': { style: 'kustomize', version: '0.16' },
};

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

/** A cluster of the bench: the model's cluster, with the plan it was built from. */
export interface BenchCluster extends Cluster {
  readonly plan: ClusterPlan;
}

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
const unreachableTaints = [
  { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
];

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
  const runsFrrK8s = plan.bgp === 'frr-k8s';
  const install = installs[plan.install];
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
    const speakerPod = podName(install.style, 'speaker', rng.suffix(5));
    const speaker: Target = {
      labels: targetLabels(install, 'speaker', speakerPod, ip, plan.name),
      state: targetState(tl, { downs: speakerDowns }),
      ...(faults.stale === i ? { staleConfig: (t: number) => t >= faultSchedule.staleConfigFrom } : {}),
      ...(faults.errorBurst === i ? { updateErrors: (t: number) => t >= faultSchedule.errorBurst[0] && t <= faultSchedule.errorBurst[1] } : {}),
    };

    let frrK8s: Node['frrK8s'];
    if (runsFrrK8s) {
      const pod = podName(install.style, 'frrK8s', rng.suffix(5));
      const downs = [...(faults.frrRestarts.has(i) ? [restartWindow(rng)] : []), ...(unreachable ? [tail] : [])];
      const state = targetState(tl, { downs });
      frrK8s = {
        controller: { labels: targetLabels(install, 'frrK8sController', pod, ip, plan.name), state },
        metrics: { labels: targetLabels(install, 'frrK8sMetrics', pod, ip, plan.name), state },
      };
    }

    const peers: Peer[] = [];
    if (plan.bgp !== 'none') {
      const native = plan.bgp === 'native';
      const torIps = [`10.${index}.${rack}.253`, `10.${index}.${rack}.254`];
      torIps.forEach((tor, k) => {
        const session = peerFlaps.has(i) && k === 0 ? flapping(tl, rng) : peerDown === i && k === 1 ? established(tl, faultSchedule.sessionDownFrom) : established(tl);
        peers.push({ address: tor, port: 179, vrf: 'default', bfd: !native, established: session });
      });
      // Every tenth rack also peers with the storage fabric in its own VRF.
      if (!native && rack % 10 === 3) peers.push({ address: `172.16.${rack}.1`, port: 179, vrf: 'storage', bfd: false, established: established(tl) });
    }

    nodes.push({
      name,
      ip,
      speaker,
      ...(frrK8s ? { frrK8s } : {}),
      peers,
      // An unreachable node turns NotReady and gets the unreachable taints.
      ...(unreachable
        ? {
            ready: (t: number) => t < notReadyFrom,
            taints: (t: number) => (t >= notReadyFrom ? unreachableTaints : []),
          }
        : {}),
    });
  }
  return nodes;
}

/** The controller Deployment rolls out: old and new pod report the same pools for a while. */
function buildControllers(plan: ClusterPlan, index: number, tl: Timeline, rng: Random): Target[] {
  const install = installs[plan.install];
  const oldPod = podName(install.style, 'controller', `${rng.suffix(10)}-${rng.suffix(5)}`);
  const newPod = podName(install.style, 'controller', `${rng.suffix(10)}-${rng.suffix(5)}`);
  return [
    { labels: targetLabels(install, 'controller', oldPod, `100.64.${index}.17`, plan.name), state: targetState(tl, { to: faultSchedule.rollout.oldUntil }) },
    { labels: targetLabels(install, 'controller', newPod, `100.64.${index}.42`, plan.name), state: targetState(tl, { from: faultSchedule.rollout.newFrom }) },
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
    v4,
    v6,
    overflow: spec.overflow ?? false,
    inUse: (tick) => ({ v4: Math.round(start + ((v4Used - start) * tick) / (tl.ticks - 1)), v6: v6Used }),
  };
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
      const name = `svc-${serial++}`;
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
        namespace: 'ingress', name: `ingress-nginx-${k}`, pool: 'default', protocol: 'bgp',
        ips: [ipOf(index, poolIndex, 60_000 + k, 'v4')],
        announcers: (t) => nodes.filter((node) => alive(node, t)),
      });
    }
  }
  return { pools, services };
}

export function buildEstate(size: number, tl: Timeline): BenchCluster[] {
  return clusterPlans(size).map((plan, index) => {
    const rng = new Random(`${plan.name}/${size}`);
    const nodes = buildNodes(plan, index, tl, rng);
    const controllers = buildControllers(plan, index, tl, rng);
    const { pools, services } = buildServices(plan, index, nodes, tl, rng);
    const install = installs[plan.install];
    const kubeStateMetrics: Target = {
      labels: targetLabels(install, 'kubeStateMetrics', `kube-state-metrics-${rng.suffix(10)}-${rng.suffix(5)}`, `100.64.${index}.90`, plan.name),
      state: targetState(tl),
    };
    return { name: plan.name, install, bgp: plan.bgp, plan, nodes, controllers, kubeStateMetrics, pools, services, occasionalErrors: true };
  });
}
