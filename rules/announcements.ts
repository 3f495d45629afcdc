import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** Nodes announcing each service IP, per cluster and protocol. */
export const announcersRecord = 'cluster_protocol_ip:metallb_speaker_announced_nodes:count';
export const announcedIpsRecord = 'cluster_protocol:metallb_speaker_announced_ips:count';

/**
 * Announcements per service IP, then distinct IPs per cluster and protocol. In BGP mode every
 * eligible speaker announces every IP, so the raw series grow with nodes x services; the
 * not-announced and duplicate-announcer alerts and the overview read one series per IP instead.
 * Nodes are counted once each: two Services sharing an IP on one node are one announcer.
 */
export function announcementRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  return {
    name: 'metallb-announcements-rules',
    rules: [
      {
        record: announcersRecord,
        expr: `count by (${q.by('protocol', 'ip')}) (group by (${q.by('protocol', 'ip', 'node')}) (${q.metric('metallb_speaker_announced')}))`,
      },
      {
        record: announcedIpsRecord,
        expr: `count by (${q.by('protocol')}) (${announcersRecord})`,
      },
    ],
  };
}
