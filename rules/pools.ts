import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertDefinition, AlertGroupDefinition } from '../mixin/types.js';
import { countableCapacity, PoolCapacity } from './pool-capacity.js';
import { defineRecord, type RecordGroup, type RecordSpec } from './record.js';
import { inCluster, poolFamily, ratioOf } from '../alerts/templates.js';

const poolsPanel = (title: string) => `metallb-address-pools/${title}`;

/**
 * Per-pool capacity and usage, one series per pool whatever the number of controller pods, per
 * pool and address family, and per cluster. Every pool is kept here; `pools.exclude` only silences
 * alerts.
 */
export const pools = {
  poolTotal: defineRecord({
    name: 'cluster_pool:metallb_allocator_addresses_total:max',
    kind: 'aggregate',
    readBy: [
      poolsPanel('Usable addresses'),
      poolsPanel('Fewest free addresses'),
      poolsPanel('Pools by usage'),
      poolsPanel('Free addresses by pool'),
      poolsPanel('Usable addresses by pool'),
      'metallb-overview/Usage of all pools',
    ],
    expr: (q) => new PoolCapacity(q).pool('metallb_allocator_addresses_total'),
  }),
  poolInUse: defineRecord({
    name: 'cluster_pool:metallb_allocator_addresses_in_use_total:max',
    kind: 'aggregate',
    readBy: [
      poolsPanel('Addresses in use'),
      poolsPanel('Fewest free addresses'),
      poolsPanel('Pools by usage'),
      poolsPanel('Free addresses by pool'),
      poolsPanel('Addresses in use by pool'),
      'metallb-overview/Usage of all pools',
    ],
    expr: (q) => new PoolCapacity(q).pool('metallb_allocator_addresses_in_use_total'),
  }),
  poolUsage: defineRecord({
    name: 'cluster_pool:metallb_allocator_addresses_in_use:ratio',
    kind: 'aggregate',
    readBy: [
      poolsPanel('Highest pool usage'),
      poolsPanel('Pools by usage'),
      poolsPanel('Usage by pool'),
      'metallb-overview/Pools by usage',
    ],
    expr: (q): string => `${pools.poolInUse.name} / on (${q.by('pool')}) ${countableCapacity(pools.poolTotal.name)}`,
  }),
  familyTotal: defineRecord({
    name: 'cluster_pool_family:metallb_allocator_addresses_total:max',
    kind: 'aggregate',
    readBy: ['MetalLBAddressPoolExhausted', 'MetalLBAddressPoolHeadroomLow', poolsPanel('Addresses per IP family')],
    expr: (q) => new PoolCapacity(q).family('total'),
  }),
  familyInUse: defineRecord({
    name: 'cluster_pool_family:metallb_allocator_addresses_in_use_total:max',
    kind: 'aggregate',
    readBy: ['MetalLBAddressPoolExhausted', 'MetalLBAddressPoolHeadroomLow', poolsPanel('Addresses per IP family')],
    expr: (q) => new PoolCapacity(q).family('inUse'),
  }),
  familyUsage: defineRecord({
    name: 'cluster_pool_family:metallb_allocator_addresses_in_use:ratio',
    kind: 'aggregate',
    readBy: [
      'MetalLBAddressPoolUsageHigh',
      poolsPanel('IPv4 usage by pool'),
      poolsPanel('IPv6 usage by pool'),
      poolsPanel('Addresses per IP family'),
    ],
    expr: (q): string =>
      `${pools.familyInUse.name} / on (${new PoolCapacity(q).familyLabels}) ${countableCapacity(pools.familyTotal.name)}`,
  }),
  clusterInUse: defineRecord({
    name: 'cluster:metallb_allocator_addresses_in_use_total:sum',
    kind: 'aggregate',
    readBy: ['MetalLBBGPNoPrefixesAnnounced', 'metallb-overview/Addresses in use'],
    expr: (q): string => `sum by (${q.by()}) (${pools.poolInUse.name})`,
  }),
  clusterCapacity: defineRecord({
    name: 'cluster:metallb_allocator_addresses_total:sum',
    kind: 'aggregate',
    readBy: ['metallb-overview/Usage of all pools', 'metallb-overview/Usable addresses'],
    // Only countable pools: one /64 would turn the cluster's capacity into 9.2e18.
    expr: (q): string => `sum by (${q.by()}) ${countableCapacity(pools.poolTotal.name)}`,
  }),
};

export const poolRecords: RecordGroup = { name: 'metallb-pools-rules', records: () => Object.values(pools) };

/** A pool record as the alerts read it: without the pools of `pools.exclude` (Prometheus anchors the regex). */
function forAlerts(cfg: MixinConfig, record: RecordSpec): string {
  return cfg.pools.exclude.length > 0 ? `${record.name}{pool!~${JSON.stringify(cfg.pools.exclude.join('|'))}}` : record.name;
}

/**
 * Address pools, per pool and address family, read from the records the dashboards draw. Pools
 * whose capacity is not a count (IPv6 /64 sentinel, overflowed sums, a family the pool does not
 * have) never alert: see PoolCapacity.
 */
export function poolAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const capacity = countableCapacity(forAlerts(cfg, pools.familyTotal));
  const inUse = forAlerts(cfg, pools.familyInUse);
  const on = `on (${new PoolCapacity(q).familyLabels})`;
  const where = `Address pool {{ $labels.pool }}${poolFamily}${inCluster(cfg)}`;
  const { warning, critical } = cfg.thresholds.poolUsage;
  const free = cfg.thresholds.poolFreeAddresses;

  const usage = (severity: 'warning' | 'critical', percent: number): AlertDefinition => ({
    alert: 'MetalLBAddressPoolUsageHigh',
    severity,
    expr: `${forAlerts(cfg, pools.familyUsage)} > ${ratioOf(percent)}`,
    summary: 'A MetalLB address pool is running out of addresses.',
    description: `${where} has {{ $value | humanizePercentage }} of its addresses in use, above the ${percent}% threshold: new LoadBalancer Services will soon get no address from it.`,
  });

  const alerts: AlertDefinition[] = [
    {
      alert: 'MetalLBAddressPoolExhausted',
      severity: 'critical',
      expr: `${inUse} >= ${on} ${capacity}`,
      summary: 'A MetalLB address pool has no free address left.',
      description: `${where} has all of its {{ $value | humanize }} addresses in use: new LoadBalancer Services that need an address from it stay pending.`,
    },
    usage('warning', warning),
    usage('critical', critical),
    {
      // Only pools larger than the headroom: a pool of one or two addresses always has "few" free
      // and would alert while idle; when it fills, MetalLBAddressPoolExhausted says so.
      alert: 'MetalLBAddressPoolHeadroomLow',
      severity: 'warning',
      expr: `(${capacity} > ${free}) - ${on} ${inUse} < ${free}`,
      summary: 'A MetalLB address pool has few free addresses left.',
      description: `${where} has only {{ $value | humanize }} free addresses left (fewer than ${free}).`,
    },
  ];
  return { name: 'metallb-pools', alerts };
}
