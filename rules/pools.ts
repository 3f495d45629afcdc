import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { countableCapacity, PoolCapacity } from './pool-capacity.js';

/** The series this group records, per pool, per pool and address family, and per cluster. */
export const poolRecords = {
  poolTotal: 'cluster_pool:metallb_allocator_addresses_total:max',
  poolInUse: 'cluster_pool:metallb_allocator_addresses_in_use_total:max',
  poolUsage: 'cluster_pool:metallb_allocator_addresses_in_use:ratio',
  familyTotal: 'cluster_pool_family:metallb_allocator_addresses_total:max',
  familyInUse: 'cluster_pool_family:metallb_allocator_addresses_in_use_total:max',
  familyUsage: 'cluster_pool_family:metallb_allocator_addresses_in_use:ratio',
  clusterInUse: 'cluster:metallb_allocator_addresses_in_use_total:sum',
  clusterCapacity: 'cluster:metallb_allocator_addresses_total:sum',
} as const;

/**
 * Per-pool capacity and usage for the dashboards, one series per pool whatever the number of
 * controller pods. Later rules read the earlier ones: a group evaluates its rules in order.
 * Every pool is kept here; `pools.exclude` only silences alerts.
 */
export function poolRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const pools = new PoolCapacity(q);
  const { poolTotal, poolInUse, familyTotal, familyInUse } = poolRecords;
  const rules: RecordingRule[] = [
    { record: poolTotal, expr: pools.pool('metallb_allocator_addresses_total') },
    { record: poolInUse, expr: pools.pool('metallb_allocator_addresses_in_use_total') },
    {
      record: poolRecords.poolUsage,
      expr: `${poolInUse} / on (${q.by('pool')}) ${countableCapacity(poolTotal)}`,
    },
    { record: familyTotal, expr: pools.family('total') },
    { record: familyInUse, expr: pools.family('inUse') },
    {
      record: poolRecords.familyUsage,
      expr: `${familyInUse} / on (${pools.familyLabels}) ${countableCapacity(familyTotal)}`,
    },
    { record: poolRecords.clusterInUse, expr: `sum by (${q.by()}) (${poolInUse})` },
    // Only countable pools: one /64 would turn the cluster's capacity into 9.2e18.
    { record: poolRecords.clusterCapacity, expr: `sum by (${q.by()}) ${countableCapacity(poolTotal)}` },
  ];
  return { name: 'metallb-pools-rules', rules };
}
