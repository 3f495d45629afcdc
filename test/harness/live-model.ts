/**
 * The live cluster as the simulator's model (`test/sim/model.ts`): the topology, the scenario's
 * changes so far (`state.ts`), and the targets this install serves, over the ticks since the
 * simulator started. The series every target serves come from the one generator (`test/sim/series.ts`).
 */
import type { Cluster, Node, Pool, Service, Target } from '../sim/model.js';
import { Down, targetState, Up } from '../sim/timeline.js';
import type { ClusterState } from './state.js';
import type { SimTarget } from './targets.js';
import type { ResolvedOptions } from './topology.js';

export interface LiveCluster {
  readonly cluster: Cluster;
  /** The model target of each simulated one. */
  readonly targets: ReadonlyMap<SimTarget, Target>;
}

export function liveCluster(state: ClusterState, simTargets: readonly SimTarget[], opts: ResolvedOptions, ticks: number): LiveCluster {
  const spec = state.spec;
  const all = { start: 0, step: 1, ticks };
  const targets = new Map<SimTarget, Target>();
  const target = (t: SimTarget): Target => {
    const unreachable = state.unreachableAt(t.path);
    const scraped = targetState(all);
    for (let k = 0; k < ticks; k++) scraped[k] = unreachable(k) ? Down : Up;
    const model: Target = { labels: t.labels, state: scraped, staleConfig: state.staleAt(t.path) };
    targets.set(t, model);
    return model;
  };
  const of = (kind: SimTarget['kind'], node?: string) => simTargets.find((t) => t.kind === kind && (node === undefined || t.node === node));

  const bgp = opts.bgpMode === 'native' ? 'native' : opts.bgpMode === 'frr' ? 'frr' : 'frr-k8s';
  const nodes: Node[] = spec.nodes.map((n) => {
    const speaker = of('speaker', n.name);
    if (!speaker) throw new Error(`cluster ${spec.name}: no speaker on ${n.name}`);
    const sidecar = of('frrMetrics', n.name);
    const frrController = of('frrK8sController', n.name);
    const frrMetrics = of('frrK8sMetrics', n.name);
    const taints = n.taints ?? [];
    return {
      name: n.name,
      ip: n.ip,
      speaker: target(speaker),
      ...(sidecar ? { frrMetrics: target(sidecar) } : {}),
      ...(frrController && frrMetrics ? { frrK8s: { controller: target(frrController), metrics: target(frrMetrics) } } : {}),
      peers: spec.peers.map((p) => ({
        address: p.address,
        port: p.port,
        vrf: p.vrf,
        bfd: bgp !== 'native',
        established: state.established(n.name, p.address, ticks),
      })),
      taints: () => taints,
    };
  });
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));

  const pools: Pool[] = spec.pools.map((p) => ({
    name: p.name,
    v4: state.capacity(p.name, 'ipv4'),
    v6: state.capacity(p.name, 'ipv6'),
    overflow: false,
    inUse: (t) => ({ v4: state.inUse(p.name, 'ipv4', t), v6: state.inUse(p.name, 'ipv6', t) }),
  }));

  const services: Service[] = state.services.map((s) => {
    const exists = (t: number) => t >= s.from && (s.to === undefined || t < s.to);
    // BGP: every speaker advertises every BGP Service (externalTrafficPolicy: Cluster); layer 2: the elected node(s).
    const l2 = (s.l2Nodes ?? []).map((name) => nodeByName.get(name)).filter((n): n is Node => n !== undefined);
    const announcing = s.protocol === 'bgp' ? (spec.peers.length > 0 ? nodes : []) : l2;
    return {
      namespace: s.namespace,
      name: s.name,
      pool: s.pool,
      protocol: s.protocol,
      ips: s.ips,
      exists,
      announcers: (t) => (exists(t) ? announcing : []),
      ...(s.protocol === 'layer2' ? { l2Candidates: l2 } : {}),
    };
  });

  const controller = of('controller');
  if (!controller) throw new Error(`cluster ${spec.name}: no controller`);
  const ksm = of('kubeStateMetrics');
  const cluster: Cluster = {
    name: spec.name,
    install: { style: opts.install, version: '0.16' },
    bgp,
    nodes,
    controllers: [target(controller)],
    ...(ksm ? { kubeStateMetrics: target(ksm) } : {}),
    pools,
    services,
  };
  return { cluster, targets };
}
