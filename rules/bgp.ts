import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/**
 * BGP and BFD sessions up and configured per cluster, across every enabled mode, for the
 * overview's "sessions up vs configured" at one series per cluster.
 */
export function bgpRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const rules: RecordingRule[] = [];
  for (const [family, name] of [
    ['bgp_session_up', 'metallb_bgp_session_up'],
    ['bfd_session_up', 'metallb_bfd_session_up'],
  ] as const) {
    const sessions = q.bgp(family);
    if (!sessions) continue;
    rules.push(
      { record: `cluster:${name}:sum`, expr: `sum by (${q.by()}) (${sessions})` },
      { record: `cluster:${name}:count`, expr: `count by (${q.by()}) (${sessions})` },
    );
  }
  return { name: 'metallb-bgp-rules', rules };
}
