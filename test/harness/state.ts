/**
 * The mutable state of one simulated cluster, kept as a history: which Services hold which
 * addresses from which tick on, when BGP sessions went down and came back, when targets failed
 * their scrapes or ran on a stale configuration. `live-model.ts` reads it as the simulator's model
 * over the ticks so far, so gauges stay consistent with each other (in use = addresses held by
 * Services, announced = Services' addresses) and counters keep their history.
 */
import type { ClusterSpec, PoolRange, PoolSpec, ServiceSpec } from './topology.js';

export interface ServiceState extends ServiceSpec {
  readonly ips: readonly string[];
  /** Tick it was created at. */
  readonly from: number;
  /** Tick it was deleted at (it exists before it). */
  to?: number;
}

/** Changes of a yes/no state: [tick, value] in time order. */
class History {
  private readonly changes: [number, boolean][] = [];

  constructor(private readonly initial: boolean) {}

  set(value: boolean, tick: number): void {
    if (value === this.now) return;
    this.changes.push([tick, value]);
  }

  get now(): boolean {
    return this.changes[this.changes.length - 1]?.[1] ?? this.initial;
  }

  /** The value at a tick (the last change at or before it wins). */
  at(tick: number): boolean {
    let value = this.initial;
    for (const [t, v] of this.changes) {
      if (t > tick) break;
      value = v;
    }
    return value;
  }
}

function rangeAddress(r: PoolRange, i: number): string {
  return r.family === 'ipv4' ? `${r.prefix}${r.offset + i}` : `${r.prefix}${(r.offset + i).toString(16)}`;
}

const existsAt = (s: ServiceState, tick: number) => tick >= s.from && (s.to === undefined || tick < s.to);

export class ClusterState {
  /** Every Service that ever existed, deleted ones included (their series end where they were deleted). */
  readonly services: ServiceState[] = [];
  private readonly sessions = new Map<string, History>();
  private readonly stale = new Map<string, History>();
  private readonly unreachable = new Map<string, History>();

  constructor(readonly spec: ClusterSpec) {
    for (const node of spec.nodes) {
      for (const peer of spec.peers) this.sessions.set(sessionKey(node.name, peer.address), new History(true));
    }
    for (const svc of spec.services) this.addService(svc, 0);
  }

  pool(name: string): PoolSpec {
    const pool = this.spec.pools.find((p) => p.name === name);
    if (!pool) throw new Error(`cluster ${this.spec.name} has no pool ${name}`);
    return pool;
  }

  /** Services that exist now. */
  current(): ServiceState[] {
    return this.services.filter((s) => s.to === undefined);
  }

  /** Addresses of a pool held by Services at `tick` (now by default), per family. */
  inUse(pool: string, family?: 'ipv4' | 'ipv6', tick?: number): number {
    return this.services
      .filter((s) => s.pool === pool && (tick === undefined ? s.to === undefined : existsAt(s, tick)))
      .flatMap((s) => s.ips)
      .filter((ip) => family === undefined || (family === 'ipv6') === ip.includes(':')).length;
  }

  capacity(pool: string, family?: 'ipv4' | 'ipv6'): number {
    return this.pool(pool)
      .ranges.filter((r) => family === undefined || r.family === family)
      .reduce((n, r) => n + r.size, 0);
  }

  private freeAddress(pool: PoolSpec, family: 'ipv4' | 'ipv6'): string | undefined {
    const held = new Set(this.current().flatMap((s) => s.ips));
    for (const r of pool.ranges.filter((x) => x.family === family)) {
      for (let i = 0; i < r.size; i++) {
        const ip = rangeAddress(r, i);
        if (!held.has(ip)) return ip;
      }
    }
    return undefined;
  }

  /** Allocate addresses as the MetalLB controller would; throws when the pool has none left. */
  addService(svc: ServiceSpec, tick: number): ServiceState {
    const pool = this.pool(svc.pool);
    const ips = svc.families.map((family) => {
      const ip = this.freeAddress(pool, family);
      if (!ip) throw new Error(`pool ${svc.pool} of cluster ${this.spec.name} has no free ${family} address`);
      return ip;
    });
    const state: ServiceState = { ...svc, ips, from: tick };
    this.services.push(state);
    return state;
  }

  removeService(namespace: string, name: string, tick: number): void {
    const svc = this.current().find((s) => s.namespace === namespace && s.name === name);
    if (!svc) throw new Error(`no service ${namespace}/${name} in cluster ${this.spec.name}`);
    svc.to = tick;
  }

  private session(node: string, peer: string): History {
    const history = this.sessions.get(sessionKey(node, peer));
    if (!history) throw new Error(`cluster ${this.spec.name}: node ${node} has no peer ${peer}`);
    return history;
  }

  setSession(node: string, peer: string, up: boolean, tick: number): void {
    this.session(node, peer).set(up, tick);
  }

  /** 1 while the session of `node` with `peer` is established, per tick. */
  established(node: string, peer: string, ticks: number): Uint8Array {
    const history = this.session(node, peer);
    return Uint8Array.from({ length: ticks }, (_, t) => (history.at(t) ? 1 : 0));
  }

  private historyOf(map: Map<string, History>, path: string): History {
    let history = map.get(path);
    if (!history) map.set(path, (history = new History(false)));
    return history;
  }

  /** A pod (by simulator path) reports a stale configuration from `tick` on, or a fresh one. */
  setStale(path: string, stale: boolean, tick: number): void {
    this.historyOf(this.stale, path).set(stale, tick);
  }

  staleAt(path: string): (tick: number) => boolean {
    const history = this.historyOf(this.stale, path);
    return (t) => history.at(t);
  }

  /** A target (by simulator path) fails its scrapes from `tick` on, or answers again. */
  setUnreachable(path: string, down: boolean, tick: number): void {
    this.historyOf(this.unreachable, path).set(down, tick);
  }

  isUnreachable(path: string): boolean {
    return this.unreachable.get(path)?.now ?? false;
  }

  unreachableAt(path: string): (tick: number) => boolean {
    const history = this.historyOf(this.unreachable, path);
    return (t) => history.at(t);
  }
}

export function sessionKey(node: string, peer: string): string {
  return `${node}|${peer}`;
}
