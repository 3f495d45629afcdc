import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** Sessions up and configured per cluster, named after MetalLB's metric in every mode. */
export const sessionRecords = {
  bgp_session_up: { up: 'cluster:metallb_bgp_session_up:sum', all: 'cluster:metallb_bgp_session_up:count' },
  bfd_session_up: { up: 'cluster:metallb_bfd_session_up:sum', all: 'cluster:metallb_bfd_session_up:count' },
} as const;

/**
 * BGP and BFD sessions up and configured per cluster, across every enabled mode, for the
 * overview's "sessions up vs configured" at one series per cluster.
 */
export function bgpRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const rules: RecordingRule[] = [];
  for (const [family, names] of Object.entries(sessionRecords)) {
    const sessions = q.bgp(family);
    if (!sessions) continue;
    rules.push(
      { record: names.up, expr: `sum by (${q.by()}) (${sessions})` },
      { record: names.all, expr: `count by (${q.by()}) (${sessions})` },
    );
  }
  return { name: 'metallb-bgp-rules', rules };
}
