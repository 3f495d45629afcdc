import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { countableCapacity, PoolCapacity } from './pool-capacity.js';

const poolTotal = 'cluster_pool:metallb_allocator_addresses_total:max';
const poolInUse = 'cluster_pool:metallb_allocator_addresses_in_use_total:max';
const familyTotal = 'cluster_pool_family:metallb_allocator_addresses_total:max';
const familyInUse = 'cluster_pool_family:metallb_allocator_addresses_in_use_total:max';

/**
 * Per-pool capacity and usage for the dashboards, one series per pool whatever the number of
 * controller pods. Later rules read the earlier ones: a group evaluates its rules in order.
 * Every pool is kept here; `pools.exclude` only silences alerts.
 */
export function poolRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const pools = new PoolCapacity(q);
  const rules: RecordingRule[] = [
    { record: poolTotal, expr: pools.pool('metallb_allocator_addresses_total') },
    { record: poolInUse, expr: pools.pool('metallb_allocator_addresses_in_use_total') },
    {
      record: 'cluster_pool:metallb_allocator_addresses_in_use:ratio',
      expr: `${poolInUse} / on (${q.by('pool')}) ${countableCapacity(poolTotal)}`,
    },
    { record: familyTotal, expr: pools.family('total') },
    { record: familyInUse, expr: pools.family('inUse') },
    {
      record: 'cluster_pool_family:metallb_allocator_addresses_in_use:ratio',
      expr: `${familyInUse} / on (${pools.familyLabels}) ${countableCapacity(familyTotal)}`,
    },
    { record: 'cluster:metallb_allocator_addresses_in_use_total:sum', expr: `sum by (${q.by()}) (${poolInUse})` },
    // Only countable pools: one /64 would turn the cluster's capacity into 9.2e18.
    { record: 'cluster:metallb_allocator_addresses_total:sum', expr: `sum by (${q.by()}) ${countableCapacity(poolTotal)}` },
  ];
  return { name: 'metallb-pools-rules', rules };
}
