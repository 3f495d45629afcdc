/**
 * The mutable state of one simulated cluster: which Services hold which addresses, which BGP
 * sessions are up, and the clocks that make counters grow. Gauges are derived from it at scrape
 * time, so they are always consistent with each other (in-use = addresses held by Services,
 * announced = Services' addresses, prefixes = BGP Services' addresses).
 */
import type { ClusterSpec, PoolRange, PoolSpec, ServiceSpec } from './topology.js';

export interface ServiceState extends ServiceSpec {
  readonly ips: readonly string[];
}

/** Time a session has been up, and how often it went down and came back. */
export class SessionClock {
  private accumulatedMs = 0;
  private upSince: number | undefined;
  downs = 0;
  ups = 0;

  constructor(now: number) {
    this.upSince = now;
  }

  get up(): boolean {
    return this.upSince !== undefined;
  }

  set(up: boolean, now: number): void {
    if (up === this.up) return;
    if (up) {
      this.upSince = now;
      this.ups += 1;
    } else {
      this.accumulatedMs += now - (this.upSince ?? now);
      this.upSince = undefined;
      this.downs += 1;
    }
  }

  /** Seconds of established session so far: message counters grow only while it is up. */
  upSeconds(now: number): number {
    return (this.accumulatedMs + (this.upSince === undefined ? 0 : now - this.upSince)) / 1000;
  }
}

function rangeAddress(r: PoolRange, i: number): string {
  return r.family === 'ipv4' ? `${r.prefix}${r.offset + i}` : `${r.prefix}${(r.offset + i).toString(16)}`;
}

export class ClusterState {
  readonly services: ServiceState[] = [];
  /** `node|peerAddress` → session clock. */
  readonly sessions = new Map<string, SessionClock>();
  /** Pods (by simulator path) that report a stale configuration. */
  readonly staleConfig = new Set<string>();
  readonly startedAt: number;

  constructor(
    readonly spec: ClusterSpec,
    now: number,
  ) {
    this.startedAt = now;
    for (const node of spec.nodes) {
      for (const peer of spec.peers) this.sessions.set(sessionKey(node.name, peer.address), new SessionClock(now));
    }
    for (const svc of spec.services) this.addService(svc);
  }

  pool(name: string): PoolSpec {
    const pool = this.spec.pools.find((p) => p.name === name);
    if (!pool) throw new Error(`cluster ${this.spec.name} has no pool ${name}`);
    return pool;
  }

  /** Addresses of a pool held by Services, per family. */
  inUse(pool: string, family?: 'ipv4' | 'ipv6'): number {
    return this.services
      .filter((s) => s.pool === pool)
      .flatMap((s) => s.ips)
      .filter((ip) => family === undefined || (family === 'ipv6') === ip.includes(':')).length;
  }

  capacity(pool: string, family?: 'ipv4' | 'ipv6'): number {
    return this.pool(pool)
      .ranges.filter((r) => family === undefined || r.family === family)
      .reduce((n, r) => n + r.size, 0);
  }

  private freeAddress(pool: PoolSpec, family: 'ipv4' | 'ipv6'): string | undefined {
    const held = new Set(this.services.flatMap((s) => s.ips));
    for (const r of pool.ranges.filter((x) => x.family === family)) {
      for (let i = 0; i < r.size; i++) {
        const ip = rangeAddress(r, i);
        if (!held.has(ip)) return ip;
      }
    }
    return undefined;
  }

  /** Allocate addresses as the MetalLB controller would; throws when the pool has none left. */
  addService(svc: ServiceSpec): ServiceState {
    const pool = this.pool(svc.pool);
    const ips = svc.families.map((family) => {
      const ip = this.freeAddress(pool, family);
      if (!ip) throw new Error(`pool ${svc.pool} of cluster ${this.spec.name} has no free ${family} address`);
      return ip;
    });
    const state: ServiceState = { ...svc, ips };
    this.services.push(state);
    return state;
  }

  removeService(namespace: string, name: string): void {
    const i = this.services.findIndex((s) => s.namespace === namespace && s.name === name);
    if (i < 0) throw new Error(`no service ${namespace}/${name} in cluster ${this.spec.name}`);
    this.services.splice(i, 1);
  }

  session(node: string, peer: string): SessionClock {
    const clock = this.sessions.get(sessionKey(node, peer));
    if (!clock) throw new Error(`cluster ${this.spec.name}: node ${node} has no peer ${peer}`);
    return clock;
  }

  /** Services whose addresses a node's speaker announces, with the protocol. */
  announcedBy(node: string): ServiceState[] {
    return this.services.filter((s) => (s.protocol === 'bgp' ? this.spec.peers.length > 0 : (s.l2Nodes ?? []).includes(node)));
  }

  /** Addresses a node advertises over BGP (one prefix per address). */
  bgpPrefixes(): string[] {
    return this.services.filter((s) => s.protocol === 'bgp').flatMap((s) => s.ips);
  }
}

export function sessionKey(node: string, peer: string): string {
  return `${node}|${peer}`;
}
