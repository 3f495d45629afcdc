import type { Query } from '../mixin/promql/query.js';
import { anyOf } from '../mixin/promql/union.js';

/**
 * MetalLB counts a CIDR with 62 or more host bits (an IPv6 /64) as MaxInt64 (~9.22e18), and sums
 * that overflow go negative (metallb#3140). A capacity outside (0, 2^62) is not a count of
 * addresses, so no usage, headroom or exhaustion is computed from it; a family a pool does not
 * have (IPv6 of an IPv4-only pool) reports 0 and drops out the same way.
 */
export const countableCapacity = (capacity: string) => `(${capacity} > 0 < 2^62)`;

/** The allocator gauges of one address family, and the label value that names it. */
interface FamilyGauges {
  readonly family: string;
  readonly total: string;
  readonly inUse: string;
}

const ipv4: FamilyGauges = {
  family: 'ipv4',
  total: 'metallb_allocator_ipv4_addresses_total',
  inUse: 'metallb_allocator_ipv4_addresses_in_use_total',
};
const ipv6: FamilyGauges = {
  family: 'ipv6',
  total: 'metallb_allocator_ipv6_addresses_total',
  inUse: 'metallb_allocator_ipv6_addresses_in_use_total',
};
/** Older MetalLB has only the combined gauges; their series get `family="all"`. */
const combined: FamilyGauges = {
  family: 'all',
  total: 'metallb_allocator_addresses_total',
  inUse: 'metallb_allocator_addresses_in_use_total',
};

/**
 * Builds the per-pool PromQL shared by the pool alerts and recording rules. Every series is
 * `max by (cluster, pool)`: two controller pods reporting the same pool during a rollout collapse
 * into one series, so the joins below stay one-to-one.
 */
export class PoolCapacity {
  constructor(
    private readonly q: Query,
    /** Extra matchers on every allocator selector, e.g. the alerts' pool exclusion. */
    private readonly extra: readonly string[] = [],
  ) {}

  /** The labels that name one pool family: cluster, pool, family. */
  get familyLabels(): string {
    return this.q.by('pool', 'family');
  }

  /** `max by (cluster, pool)` of one allocator gauge. */
  pool(metric: string): string {
    return `max by (${this.q.by('pool')}) (${this.q.metric(metric, 'controller', ...this.extra)})`;
  }

  /**
   * One series per pool and family: `ipv4` and `ipv6` where the per-family gauges exist, else
   * `all` from the combined gauge, so mixed-version fleets are covered pool by pool.
   */
  family(kind: 'total' | 'inUse'): string {
    const tagged = (expr: string, family: string) => `label_replace(${expr}, "family", "${family}", "", "")`;
    // MetalLB >= 0.14 sets all six per-family gauges for every pool: the IPv4 total tells them apart.
    const fallback = `${this.pool(combined[kind])} unless on (${this.q.by('pool')}) ${this.pool(ipv4.total)}`;
    const parts = [
      tagged(this.pool(ipv4[kind]), ipv4.family),
      tagged(this.pool(ipv6[kind]), ipv6.family),
      tagged(fallback, combined.family),
    ];
    return anyOf(parts, 'lines');
  }

  /** Capacity per pool and family, only where it is a real count. */
  countableFamilyTotal(): string {
    return countableCapacity(this.family('total'));
  }
}
