import { bgpFamilies } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** Sessions up and configured per cluster, named after MetalLB's metric in every mode. */
export const sessionRecords = {
  bgp_session_up: { up: 'cluster:metallb_bgp_session_up:sum', all: 'cluster:metallb_bgp_session_up:count' },
  bfd_session_up: { up: 'cluster:metallb_bfd_session_up:sum', all: 'cluster:metallb_bfd_session_up:count' },
} as const;

/** Gauges summed per peer (sessions up, prefixes), and the counters the dashboard rates per peer. */
const perPeerGauges = ['bgp_session_up', 'bgp_announced_prefixes_total', 'bgp_received_prefixes_total', 'bgp_pending_prefixes_total', 'bfd_session_up'];
const perPeerCounters = [
  'bgp_updates_total', 'bgp_updates_total_received', 'bgp_opens_sent', 'bgp_opens_received', 'bgp_notifications_sent',
  'bgp_keepalives_sent', 'bgp_keepalives_received', 'bgp_total_sent', 'bgp_total_received', 'bgp_route_refresh_sent',
  'bfd_control_packet_input', 'bfd_control_packet_output', 'bfd_echo_packet_input', 'bfd_echo_packet_output', 'bfd_session_down_events',
];

/**
 * The per-peer series of a family, over every node of the cluster: `sum` of a gauge, `count` of
 * the sessions, `rate5m` of a counter. Named after MetalLB's metric in every mode.
 */
export function peerRecord(suffix: string, op: 'sum' | 'count' | 'rate5m'): string {
  const family = bgpFamilies[suffix];
  if (!family || (op === 'rate5m') !== (family.type === 'counter')) throw new Error(`no per-peer ${op} of ${suffix}`);
  return `cluster_peer_vrf:metallb_${op === 'rate5m' ? suffix.replace(/_total$/, '') : suffix}:${op}`;
}

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
  // Per peer, for the BGP/BFD dashboard: a handful of peers instead of one series per node and peer.
  const byPeer = q.by('peer', 'vrf');
  for (const suffix of perPeerGauges) {
    const sessions = q.bgp(suffix);
    if (!sessions) continue;
    rules.push({ record: peerRecord(suffix, 'sum'), expr: `sum by (${byPeer}) (${sessions})` });
    if (suffix.endsWith('_session_up')) rules.push({ record: peerRecord(suffix, 'count'), expr: `count by (${byPeer}) (${sessions})` });
  }
  for (const suffix of perPeerCounters) {
    const rates = q.bgp(suffix, (s) => `rate(${s}[5m])`);
    if (rates) rules.push({ record: peerRecord(suffix, 'rate5m'), expr: `sum by (${byPeer}) (${rates})` });
  }
  return { name: 'metallb-bgp-rules', rules };
}
