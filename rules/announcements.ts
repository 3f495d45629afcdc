import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/**
 * Distinct service IPs announced per cluster and protocol. In BGP mode every speaker announces
 * every IP, so the raw series grow with nodes x services; the overview reads this instead.
 */
export function announcementRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  return {
    name: 'metallb-announcements-rules',
    rules: [
      {
        record: 'cluster_protocol:metallb_speaker_announced_ips:count',
        expr: `count by (${q.by('protocol')}) (group by (${q.by('protocol', 'ip')}) (${q.metric('metallb_speaker_announced')}))`,
      },
    ],
  };
}
