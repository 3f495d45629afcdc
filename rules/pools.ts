import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/**
 * Per-pool capacity and usage. `max by (cluster, pool)` collapses the duplicate series two
 * controller pods report during a rollout, so later joins are one-to-one.
 */
export function poolRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const rules: RecordingRule[] = [
    {
      record: 'cluster_pool:metallb_allocator_addresses_total:max',
      expr: `max by (${q.by('pool')}) (${q.metric('metallb_allocator_addresses_total')})`,
    },
    {
      record: 'cluster_pool:metallb_allocator_addresses_in_use_total:max',
      expr: `max by (${q.by('pool')}) (${q.metric('metallb_allocator_addresses_in_use_total')})`,
    },
  ];
  return { name: 'metallb-pools-rules', rules };
}
