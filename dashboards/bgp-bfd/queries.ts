import type { MixinConfig } from '../../mixin/config/schema.js';
import { Query } from '../../mixin/promql/query.js';
import { hostMatcher, oneLine, records, required } from '../common/queries.js';
import { chosen, keepRanked, overRange, speakerAddresses, stableTopk } from '../common/selection.js';

/**
 * The peer variable lists peers by address where the rules rewrite FRR's `IP:port` to it
 * (`Query.bgp`): the raw series still carry the port, so it may follow.
 */
const peerFilter = 'peer=~"(?:$peer)(?::-?[0-9]+)?"';
const vrfFilter = 'vrf=~"$vrf"';

export type SessionFamily = 'bgp_session_up' | 'bfd_session_up';

/**
 * The queries of the BGP and BFD dashboard. Each goes through `Query.bgp` or a per-peer record,
 * so it works whichever BGP modes are enabled; `has` says which families the modes emit, so the
 * layout can leave out panels with nothing to draw.
 */
export function bgpBfdQueries(cfg: MixinConfig) {
  const unfiltered = Query.forDashboard(cfg);
  // The raw sessions read only once node addresses are chosen: see `chosen`.
  const matchers = [hostMatcher, peerFilter, vrfFilter, chosen('host')];
  const chosenHosts = Query.forDashboard(cfg, { speaker: matchers, frrMetrics: matchers, frrK8s: matchers });
  const changesRecord = records.bgp.sessionChanges(cfg).name;

  const byPeer = unfiltered.by('peer', 'vrf');
  const bySession = unfiltered.by('instance', 'pod', 'peer', 'vrf');
  /** A per-peer recorded series (all nodes), narrowed by the peer and VRF variables. */
  const peerSeries = (suffix: string, op: 'sum' | 'count' | 'rate5m') =>
    unfiltered.scoped(records.bgp.peer(suffix, op), peerFilter, vrfFilter);
  /** Recorded sessions in trouble (rules/bgp.ts), narrowed by every variable. */
  const troubled = (record: string) => unfiltered.scoped(record, hostMatcher, peerFilter, vrfFilter);
  /** The same without the per-cluster 0 the record keeps. */
  const inTrouble = (record: string) => `${troubled(record)} > 0`;
  /** The k sessions in trouble with the highest value in the range, summed per session. */
  const mostTroubled = (k: number, record: string) =>
    stableTopk(k, troubled(record), bySession, 'topk', `sum by (${bySession}) (${inTrouble(record)})`);

  return {
    /** Whether an enabled BGP mode emits this family. */
    has: (suffix: string): boolean => unfiltered.bgp(suffix) !== undefined,
    /** FRR names VRFs; native mode has none. */
    hasVrf: cfg.bgp.modes.some((m) => m !== 'native'),
    variables: {
      host: speakerAddresses(unfiltered),
      peer: oneLine(`query_result(count by (${unfiltered.by('peer')}) (${unfiltered.bgp('bgp_session_up')}))`),
      vrf: oneLine(`query_result(count by (${unfiltered.by('vrf')}) (${unfiltered.bgp('bgp_session_up')}))`),
    },

    /** Established sessions to the selected peers, over all nodes. */
    sessionsUp: `sum(${peerSeries('bgp_session_up', 'sum')})`,
    /** All sessions reported to the selected peers, over all nodes. */
    sessionsConfigured: `sum(${peerSeries('bgp_session_up', 'count')})`,
    sessionsDown: `count(${inTrouble(records.bgp.sessionsDown.name)})`,
    /** Sessions that went up or down within the time range. */
    sessionsChanged: `count(max_over_time(${troubled(changesRecord)}[$__range]) > 0)`,
    bfdSessionsDown: `count(${inTrouble(records.bgp.bfdSessionsDown.name)})`,
    /** The share of each peer's sessions that are up, for the 25 worst peers of the range (1 when all are). */
    worstPeers: (family: SessionFamily): string => {
      const [up, all] = [peerSeries(family, 'sum'), peerSeries(family, 'count')];
      return keepRanked(`${up} == bool ${all}`, byPeer, `bottomk(25, min_over_time(${overRange(up)}) / max_over_time(${overRange(all)}))`);
    },
    /** Every session of the chosen nodes, or else the sessions in trouble while they are (1 up, 0 down). */
    sessionState: [
      `min by (${bySession}) (${required(chosenHosts.bgp('bgp_session_up'), 'BGP session state')})`,
      'or',
      `min by (${bySession}) (1 - (${inTrouble(records.bgp.sessionsDown.name)}))`,
    ].join('\n'),
    /** Nodes with their session to each peer up: the 25 peers with the fewest in the range. */
    fewestEstablished: stableTopk(25, peerSeries('bgp_session_up', 'sum'), byPeer, 'bottomk'),
    /** State changes per session over the flap window: the 20 with the most in the range. */
    stateChanges: mostTroubled(20, changesRecord),
    bfdDownEvents: mostTroubled(20, records.bgp.bfdDownEvents.name),
    /** A prefix gauge per peer, summed over nodes: the 25 peers with the most in the range. */
    prefixes: (suffix: string): string => stableTopk(25, peerSeries(suffix, 'sum'), byPeer),
    /** A message counter's rate per peer over all nodes: the k busiest peers of the range. */
    messageRate: (suffix: string, k: number): string => stableTopk(k, peerSeries(suffix, 'rate5m'), byPeer),
  };
}
