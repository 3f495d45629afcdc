/**
 * The simulated MetalLB estate over a timeline: clusters, their scrape targets, nodes, BGP peers,
 * pools and Services, each state given per tick. The bench builds one for a fixed window with
 * faults scheduled in it; the live simulator builds one from the scenario's changes so far.
 * `series.ts` turns either into the series MetalLB, frr-k8s and kube-state-metrics expose.
 */
import type { Install } from './install.js';
import type { TargetState } from './timeline.js';

export type Labels = Readonly<Record<string, string>>;

/** One scrape endpoint. */
export interface Target {
  /** The target labels Prometheus attaches (the metric's own labels win: every monitor sets honorLabels). */
  readonly labels: Labels;
  readonly state: TargetState;
  /** MetalLB and frr-k8s processes: running on a stale configuration at a tick. */
  readonly staleConfig?: (tick: number) => boolean;
  /** MetalLB and frr-k8s processes: Kubernetes updates failing often at a tick. */
  readonly updateErrors?: (tick: number) => boolean;
}

/** Where BGP series come from: frr-k8s (`frrk8s_*`, 0.16 default), the FRR-mode sidecar, the speaker (`metallb_bgp_*`), or no BGP. */
export type BgpBackend = 'frr-k8s' | 'frr' | 'native' | 'none';

export interface Peer {
  readonly address: string;
  readonly port: number;
  /** FRR's VRF; native mode has no `vrf` label. */
  readonly vrf: string;
  readonly bfd: boolean;
  /** 1 while the session is established (before the target's own state is applied). */
  readonly established: Uint8Array;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface Node {
  readonly name: string;
  readonly ip: string;
  readonly speaker: Target;
  /** FRR mode: the speaker pod's frr-metrics container. */
  readonly frrMetrics?: Target;
  /** frr-k8s pod: the controller container (9140) and the frr-metrics container (9141). */
  readonly frrK8s?: { readonly controller: Target; readonly metrics: Target };
  readonly peers: readonly Peer[];
  /** kube-state-metrics Ready condition (default: always ready). */
  readonly ready?: (tick: number) => boolean;
  /** kube-state-metrics taints at a tick. */
  readonly taints?: (tick: number) => readonly Taint[];
}

export interface Pool {
  readonly name: string;
  /** Usable addresses per family as MetalLB reports them (an IPv6 /64 reports MaxInt64). */
  readonly v4: number;
  readonly v6: number;
  /** An IPv6 /64 listed before an IPv4 range: MetalLB's sum overflows to a negative total (metallb#3140). */
  readonly overflow: boolean;
  /** Addresses in use per family at a tick. */
  readonly inUse: (tick: number) => { readonly v4: number; readonly v6: number };
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  readonly pool: string;
  readonly protocol: 'layer2' | 'bgp';
  readonly ips: readonly string[];
  /** The Service exists at a tick (default: always). */
  readonly exists?: (tick: number) => boolean;
  /** Nodes that announce it at a tick (layer 2: the elected node, two in a split brain; BGP: every announcing node). */
  readonly announcers: (tick: number) => readonly Node[];
  /** Layer 2 only: the nodes that may own the IP (elected, then its failover). */
  readonly l2Candidates?: readonly Node[];
}

export interface Cluster {
  readonly name: string;
  readonly install: Install;
  readonly bgp: BgpBackend;
  readonly nodes: readonly Node[];
  /** Controller pods; during a rollout two overlap. */
  readonly controllers: readonly Target[];
  readonly kubeStateMetrics?: Target;
  readonly pools: readonly Pool[];
  readonly services: readonly Service[];
  /**
   * Now and then a Kubernetes update or a reconcile fails, as in a real cluster (the bench). The live simulator
   * has none, so that a healthy cluster raises no alert however long a test runs.
   */
  readonly occasionalErrors?: boolean;
}

/** MetalLB reports a CIDR with at least 62 host bits as MaxInt64. */
export const maxInt64 = 9_223_372_036_854_775_807;

/** `addresses_total` as MetalLB's allocator reports it: saturated at MaxInt64, or overflowed negative. */
export function poolTotal(pool: Pool): number {
  if (pool.overflow) return -(maxInt64 - pool.v4);
  return pool.v6 === maxInt64 ? maxInt64 : pool.v4 + pool.v6;
}
