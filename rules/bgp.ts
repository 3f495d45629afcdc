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
 * Per-session problem series, with every label of the session (pod, instance, peer, vrf, job,
 * namespace): one series per session in trouble (1 while down; the BFD down events of the last
 * 5 minutes; the state changes of the flap window, see `sessionChangesRecord`), plus a 0 per cluster with sessions, so a healthy cluster shows
 * the rule evaluates (readers keep values above 0). The alerts and the dashboard's per-session
 * panels read these: at 1,000 nodes a range query over every session costs hundreds of
 * milliseconds per panel, while the sessions in trouble are a handful.
 */
export const sessionProblemRecords = {
  bgpDown: 'cluster_pod_peer_vrf:metallb_bgp_session_up:down',
  bfdDown: 'cluster_pod_peer_vrf:metallb_bfd_session_up:down',
  bfdDownEvents: 'cluster_pod_peer_vrf:metallb_bfd_session_down_events:increase5m',
} as const;

/**
 * BGP state changes per session over `thresholds.bgpFlapWindow` (named after it, e.g. `changes15m`),
 * where there were any: MetalLBBGPSessionFlapping keeps those at `thresholds.bgpFlaps` or more, and
 * the dashboard draws them all.
 */
export function sessionChangesRecord(cfg: MixinConfig): string {
  return `cluster_pod_peer_vrf:metallb_bgp_session_up:changes${cfg.thresholds.bgpFlapWindow}`;
}

/**
 * BGP and BFD sessions per peer (the dashboard's peer panels), per cluster (the overview, summed
 * from the per-peer series rather than from every session again), and the sessions in trouble.
 * The rules of a group run in order at one timestamp, so later rules read earlier ones.
 */
export function bgpRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const rules: RecordingRule[] = [];
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
  for (const [family, names] of Object.entries(sessionRecords)) {
    if (!q.bgp(family)) continue;
    rules.push(
      { record: names.up, expr: `sum by (${q.by()}) (${peerRecord(family, 'sum')})` },
      { record: names.all, expr: `sum by (${q.by()}) (${peerRecord(family, 'count')})` },
    );
  }
  const p = sessionProblemRecords;
  // The record, the family it reads, the family whose sessions it falls back on, the problem.
  const problems: [record: string, suffix: string, sessions: keyof typeof sessionRecords, problem: (s: string) => string][] = [
    [p.bgpDown, 'bgp_session_up', 'bgp_session_up', (s) => `(${s} == bool 0) > 0`],
    [sessionChangesRecord(cfg), 'bgp_session_up', 'bgp_session_up', (s) => `changes(${s}[${cfg.thresholds.bgpFlapWindow}]) > 0`],
    [p.bfdDown, 'bfd_session_up', 'bfd_session_up', (s) => `(${s} == bool 0) > 0`],
    [p.bfdDownEvents, 'bfd_session_down_events', 'bfd_session_up', (s) => `increase(${s}[5m]) > 0`],
  ];
  for (const [record, suffix, sessions, problem] of problems) {
    const inTrouble = q.bgp(suffix, problem);
    if (!inTrouble) continue;
    rules.push({ record, expr: `${inTrouble}\nor\n${sessionRecords[sessions].all} * 0` });
  }
  return { name: 'metallb-bgp-rules', rules };
}
