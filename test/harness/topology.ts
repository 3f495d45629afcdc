/**
 * The simulated cluster as data: nodes, address pools, LoadBalancer Services and BGP peers. The
 * live simulator starts from it; scenarios change it. Kept apart from the HTTP and rendering
 * code so a scenario reads as a list of facts ("pool tenant-a is full", "peer 10.0.0.1 is down").
 */
import type { BgpMode } from '../../mixin/catalogue.js';
import type { InstallStyle } from '../sim/install.js';

export type { InstallStyle } from '../sim/install.js';

export interface NodeSpec {
  readonly name: string;
  /** The node's InternalIP: hostNetwork pods (speaker, frr-k8s) are scraped at this address. */
  readonly ip: string;
  /** kube-state-metrics taints, e.g. the control-plane NoSchedule taint. */
  readonly taints?: readonly { key: string; value: string; effect: string }[];
}

/** One address range of a pool, e.g. `192.168.10.0/29` as base `192.168.10.` and size 8. */
export interface PoolRange {
  readonly family: 'ipv4' | 'ipv6';
  /** Addresses are `${prefix}${offset + i}`. */
  readonly prefix: string;
  readonly offset: number;
  readonly size: number;
}

export interface PoolSpec {
  readonly name: string;
  readonly ranges: readonly PoolRange[];
}

export interface ServiceSpec {
  readonly namespace: string;
  readonly name: string;
  readonly pool: string;
  /** One address per family the Service asks for (two for a dual-stack Service). */
  readonly families: readonly ('ipv4' | 'ipv6')[];
  readonly protocol: 'layer2' | 'bgp';
  /** Layer 2 only: the node(s) whose speaker announces it (two means a duplicate announcer). */
  readonly l2Nodes?: readonly string[];
}

export interface PeerSpec {
  readonly address: string;
  readonly port: number;
  readonly vrf: string;
}

export interface ClusterSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly pools: readonly PoolSpec[];
  readonly services: readonly ServiceSpec[];
  /** BGP peers of every node's speaker (empty for a layer-2-only cluster). */
  readonly peers: readonly PeerSpec[];
}

/** A small but complete cluster: three nodes, three pools (one dual-stack), L2 and BGP Services, two routers. */
export function defaultCluster(name: string, index = 0): ClusterSpec {
  const subnet = 10 + index;
  const nodes: NodeSpec[] = [
    {
      name: 'control-plane',
      ip: `172.18.${subnet}.2`,
      taints: [{ key: 'node-role.kubernetes.io/control-plane', value: '', effect: 'NoSchedule' }],
    },
    { name: 'worker-1', ip: `172.18.${subnet}.3` },
    { name: 'worker-2', ip: `172.18.${subnet}.4` },
  ];
  const pools: PoolSpec[] = [
    { name: 'default', ranges: [{ family: 'ipv4', prefix: `192.168.${subnet}.`, offset: 1, size: 16 }] },
    { name: 'tenant-a', ranges: [{ family: 'ipv4', prefix: `192.168.${subnet}.`, offset: 32, size: 8 }] },
    {
      name: 'dual-stack',
      ranges: [
        { family: 'ipv4', prefix: `192.168.${subnet}.`, offset: 64, size: 16 },
        { family: 'ipv6', prefix: `fd00:${subnet}::`, offset: 0, size: 256 },
      ],
    },
  ];
  const services: ServiceSpec[] = [
    { namespace: 'ingress', name: 'ingress-nginx', pool: 'default', families: ['ipv4'], protocol: 'bgp' },
    { namespace: 'shop', name: 'frontend', pool: 'default', families: ['ipv4'], protocol: 'bgp' },
    { namespace: 'dns', name: 'coredns-external', pool: 'default', families: ['ipv4'], protocol: 'layer2', l2Nodes: ['worker-1'] },
    { namespace: 'shop', name: 'api', pool: 'dual-stack', families: ['ipv4', 'ipv6'], protocol: 'bgp' },
    ...['a', 'b', 'c', 'd', 'e'].map((s): ServiceSpec => ({
      namespace: 'tenant-a',
      name: `app-${s}`,
      pool: 'tenant-a',
      families: ['ipv4'],
      protocol: 'layer2',
      l2Nodes: [s.charCodeAt(0) % 2 === 0 ? 'worker-2' : 'worker-1'],
    })),
  ];
  const peers: PeerSpec[] = [
    { address: `172.18.${subnet}.250`, port: 179, vrf: 'default' },
    { address: `172.18.${subnet}.251`, port: 179, vrf: 'default' },
  ];
  return { name, nodes, pools, services, peers };
}

/** Options of the simulated installation. */
export interface SimulatorOptions {
  /**
   * Cluster names. With one cluster, no `cluster` target label is added (a single-cluster
   * Prometheus); with several, every target gets `cluster: <name>`.
   */
  readonly clusters?: readonly string[];
  /** Full cluster specs; overrides `clusters`. */
  readonly clusterSpecs?: readonly ClusterSpec[];
  /** Force the `cluster` target label even with a single cluster. */
  readonly clusterLabel?: boolean;
  readonly install?: InstallStyle;
  readonly bgpMode?: BgpMode;
  /** Serve kube-state-metrics (default true). */
  readonly kubeStateMetrics?: boolean;
}

export interface ResolvedOptions {
  readonly clusters: readonly ClusterSpec[];
  readonly multiCluster: boolean;
  readonly install: InstallStyle;
  readonly bgpMode: BgpMode;
  readonly kubeStateMetrics: boolean;
}

export function resolveOptions(opts: SimulatorOptions = {}): ResolvedOptions {
  const clusters = opts.clusterSpecs ?? (opts.clusters ?? ['kind']).map((name, i) => defaultCluster(name, i));
  if (clusters.length === 0) throw new Error('the simulator needs at least one cluster');
  return {
    clusters,
    multiCluster: opts.clusterLabel ?? clusters.length > 1,
    install: opts.install ?? 'helm',
    bgpMode: opts.bgpMode ?? 'frr-k8s',
    kubeStateMetrics: opts.kubeStateMetrics ?? true,
  };
}
