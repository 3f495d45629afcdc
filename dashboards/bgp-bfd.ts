import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import { buildDashboard } from './common/dashboard.js';
import { cell, type Cell, type Section } from './common/layout.js';
import { healthySteps, stat, timeseries, upDownTimeline, zeroIsGoodSteps, type Target } from './common/panels.js';
import { hostMatcher, oneLine, required } from './common/queries.js';
import { filterVariable, type VariableBuilder } from './common/variables.js';
import { peerRecord, sessionChangesRecord, sessionProblemRecords } from '../rules/bgp.js';

const peerFilter = 'peer=~"$peer"';
/**
 * "All" is `.*`, which matches the empty value of a label no series has; a chosen value does not.
 * So a selector with this matcher reads nothing until a node address is chosen.
 */
const hostChosen = '__host_chosen__!~"${host}"';
const vrfFilter = 'vrf=~"$vrf"';
const sessionLegend = '{{instance}} → {{peer}} {{vrf}}';
const peerLegend = '{{peer}} {{vrf}}';

/**
 * BGP and BFD sessions in every enabled mode (native, FRR, FRR-K8s with or without relabelling):
 * each query goes through `Query.bgp`, which joins the mode-specific names with `or`, so the same
 * dashboard works whichever mode a cluster runs. Families a mode lacks drop out of the queries,
 * and panels whose every family is missing from the enabled modes are left out.
 */
export function bgpBfdDashboard(cfg: MixinConfig): dashboard.Dashboard {
  const matchers = [hostMatcher, peerFilter, vrfFilter, hostChosen];
  const chosenHost = Query.forDashboard(cfg, { speaker: matchers, frrMetrics: matchers, frrK8s: matchers });
  const unfiltered = Query.forDashboard(cfg);
  const hasVrf = cfg.bgp.modes.some((m) => m !== 'native');
  const changesRecord = sessionChangesRecord(cfg);
  const flapWindow = cfg.thresholds.bgpFlapWindow;

  const byPeer = unfiltered.by('peer', 'vrf');
  const bySession = unfiltered.by('instance', 'pod', 'peer', 'vrf');
  /** A per-peer recorded series (all nodes), narrowed by the peer and VRF variables. */
  const peerSeries = (suffix: string, op: 'sum' | 'count' | 'rate5m') => unfiltered.scoped(peerRecord(suffix, op), peerFilter, vrfFilter);
  /** Recorded sessions in trouble (rules/bgp.ts), narrowed by every variable. */
  const troubled = (record: string) => unfiltered.scoped(record, hostMatcher, peerFilter, vrfFilter);
  /** The same without the per-cluster 0 the record keeps. */
  const inTrouble = (record: string) => `${troubled(record)} > 0`;
  /**
   * The k series of a recorded selector with the highest (or lowest) value anywhere in the
   * range, for the whole range: a range query returns at most k series, and a line does not come
   * and go from step to step. The ranking reads the range once, at its end.
   */
  const stableTop = (k: number, selector: string, by: string, pick: 'topk' | 'bottomk' = 'topk', shown = selector) =>
    `${shown}\nand on (${by})\n${pick}(${k}, ${pick === 'topk' ? 'max' : 'min'}_over_time(${selector}[$__range] @ end()))`;
  /** The share of a peer's sessions that are up, for the worst peers of the range (1 when all are). */
  const worstPeers = (family: 'bgp_session_up' | 'bfd_session_up') =>
    `${peerSeries(family, 'sum')} == bool ${peerSeries(family, 'count')}\nand on (${byPeer})\nbottomk(25, min_over_time(${peerSeries(family, 'sum')}[$__range] @ end()) / max_over_time(${peerSeries(family, 'count')}[$__range] @ end()))`;
  /** Per-peer rate of a message counter over all nodes, for the busiest peers of the range. */
  const perPeerRate = (suffix: string, what: string) => (k: number): Target | undefined =>
    unfiltered.bgp(suffix) === undefined ? undefined : { expr: stableTop(k, peerSeries(suffix, 'rate5m'), byPeer), legend: `${peerLegend} ${what}` };
  const messagePanel = (title: string, description: string, targets: ((k: number) => Target | undefined)[]): Cell[] => {
    const present = targets.filter((t) => t(1) !== undefined);
    // About 50 series per panel at most, shared by its targets.
    const k = Math.floor(48 / Math.max(present.length, 1));
    const built = present.map((t) => t(k)).filter((t): t is Target => t !== undefined);
    return built.length === 0
      ? []
      : [cell(12, 8, timeseries({ title, description: `${description} Over 5 minutes and all nodes (a recording rule: the node filter does not apply), the ${k} busiest peers of the time range.`, unit: 'ops', min: 0, targets: built }))];
  };
  /** The prefix gauges present in the enabled modes, sharing one line. */
  const prefixPanels = (panels: readonly (readonly [suffix: string, title: string, description: string])[]): Cell[] => {
    const present = panels.filter(([suffix]) => unfiltered.bgp(suffix) !== undefined);
    return present.map(([suffix, title, description]) =>
      cell(24 / present.length, 8, timeseries({
        title,
        description: `${description} All nodes (a recording rule: the node filter does not apply); the 25 peers with the most in the time range.`,
        unit: 'short',
        min: 0,
        targets: [{ expr: stableTop(25, peerSeries(suffix, 'sum'), byPeer), legend: peerLegend }],
      })),
    );
  };

  const filters: VariableBuilder[] = [
    filterVariable({
      name: 'host',
      label: 'Node address',
      description: 'Nodes, by the address their speaker and frr-k8s pods are scraped on (they use the host network).',
      query: oneLine(`label_values(${unfiltered.metric('up', 'speaker')}, instance)`),
      regex: '/^(.+?)(?::[0-9]+)?$/',
      // Matches the empty value too: see hostChosen.
      allValue: '.*',
    }),
    filterVariable({
      name: 'peer',
      label: 'Peer',
      description: 'BGP peers: `IP:port` in native and FRR mode, the IP (or interface) in FRR-K8s mode.',
      query: oneLine(`query_result(count by (${unfiltered.by('peer')}) (${unfiltered.bgp('bgp_session_up')}))`),
      regex: '/peer="([^"]+)"/',
      // Every session has a peer; "All" matching the empty value too keeps the per-cluster 0 of
      // the recorded sessions in trouble, so a panel with none says so instead of "No data".
      allValue: '.*',
    }),
  ];
  if (hasVrf) {
    filters.push(
      filterVariable({
        name: 'vrf',
        label: 'VRF',
        description: 'FRR VRFs (`default` for the default one). Native mode has no VRF, so "All" also matches series without the label.',
        query: oneLine(`query_result(count by (${unfiltered.by('vrf')}) (${unfiltered.bgp('bgp_session_up')}))`),
        regex: '/vrf="([^"]+)"/',
        allValue: '.*',
      }),
    );
  }

  const bfdUp = unfiltered.bgp('bfd_session_up');
  const bfdDownStat: Cell[] =
    bfdUp === undefined
      ? []
      : [
          cell(6, 4, stat({
            title: 'BFD sessions down',
            description: 'Configured BFD sessions of the selected nodes and peers that are not up (FRR and FRR-K8s modes; native mode has no BFD).',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `count(${inTrouble(sessionProblemRecords.bfdDown)})`, legend: 'Down', instant: true }],
          })),
        ];
  const bfdSection: Section[] =
    bfdUp === undefined
      ? []
      : [
          {
            title: 'BFD',
            cells: [
              cell(24, 8, upDownTimeline({
                title: 'BFD session state by peer',
                description: 'Worst BFD state per peer over all nodes (a recording rule: the node filter does not apply): down as soon as one node has the session down. The 25 peers in the worst state in the time range.',
                unit: 'none',
                targets: [{ expr: worstPeers('bfd_session_up'), legend: peerLegend }],
              })),
              cell(12, 8, timeseries({
                title: 'BFD session down events',
                description: 'How often BFD sessions of the selected nodes and peers went down over 5 minutes, per node and peer (only sessions with events: a recording rule): the 20 with the most in the time range.',
                unit: 'short',
                min: 0,
                noValue: 'No BFD session went down',
                targets: [{ expr: stableTop(20, troubled(sessionProblemRecords.bfdDownEvents), bySession, 'topk', `sum by (${bySession}) (${inTrouble(sessionProblemRecords.bfdDownEvents)})`), legend: sessionLegend }],
              })),
              ...messagePanel('BFD packets', 'BFD control and echo packets per peer.', [
                perPeerRate('bfd_control_packet_input', 'control in'),
                perPeerRate('bfd_control_packet_output', 'control out'),
                perPeerRate('bfd_echo_packet_input', 'echo in'),
                perPeerRate('bfd_echo_packet_output', 'echo out'),
              ]),
            ],
          },
        ];

  return buildDashboard(cfg, {
    title: 'BGP and BFD',
    description: 'BGP sessions, prefixes and messages, and BFD sessions, from the speakers (native), their FRR sidecar (FRR mode) or frr-k8s (FRR-K8s mode).',
    filters,
    sections: [
      {
        title: 'Sessions',
        cells: [
          cell(6, 4, stat({
            title: 'BGP sessions',
            description: 'Established BGP sessions, and all sessions reported (configured), to the selected peers over all nodes (a recording rule: the node filter does not apply).',
            unit: 'short',
            steps: healthySteps,
            noValue: 'No sessions',
            targets: [
              { expr: `sum(${peerSeries('bgp_session_up', 'sum')})`, legend: 'Up', instant: true },
              { expr: `sum(${peerSeries('bgp_session_up', 'count')})`, legend: 'Configured', instant: true },
            ],
          })),
          cell(6, 4, stat({
            title: 'BGP sessions down',
            description: 'Configured BGP sessions of the selected nodes and peers that are not established.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `count(${inTrouble(sessionProblemRecords.bgpDown)})`, legend: 'Down', instant: true }],
          })),
          cell(6, 4, stat({
            title: 'Sessions that changed state',
            description: 'BGP sessions of the selected nodes and peers that went up or down within the dashboard time range.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `count(max_over_time(${troubled(changesRecord)}[$__range]) > 0)`, legend: 'Sessions', instant: true }],
          })),
          ...bfdDownStat,
          cell(24, 8, upDownTimeline({
            title: 'BGP session state by peer',
            description: 'Worst BGP state per peer over all nodes (a recording rule: the node filter does not apply): down as soon as one node has the session down. The 25 peers in the worst state in the time range.',
            unit: 'none',
            targets: [{ expr: worstPeers('bgp_session_up'), legend: peerLegend }],
          })),
          cell(24, 10, upDownTimeline({
            title: 'BGP session state per node and peer',
            description: 'Sessions (node address → peer) that were down in the time range, while they were down (a recording rule of the sessions in trouble); choose node addresses above to see all their sessions, up or down.',
            unit: 'none',
            noValue: 'No session down',
            targets: [{
              expr: `min by (${bySession}) (${required(chosenHost.bgp('bgp_session_up'), 'BGP session state')})\nor\nmin by (${bySession}) (1 - (${inTrouble(sessionProblemRecords.bgpDown)}))`,
              legend: sessionLegend,
            }],
          })),
          cell(12, 8, timeseries({
            title: 'Established sessions per peer',
            description: 'How many nodes have their session to each peer up (all nodes: a recording rule, the node filter does not apply): the 25 peers with the fewest in the time range.',
            unit: 'short',
            min: 0,
            targets: [{ expr: stableTop(25, peerSeries('bgp_session_up', 'sum'), byPeer, 'bottomk'), legend: peerLegend }],
          })),
          cell(12, 8, timeseries({
            title: 'Session state changes',
            description: `How often BGP sessions of the selected nodes and peers went up or down over ${flapWindow} (the flap window of MetalLBBGPSessionFlapping), per node and peer (only sessions with changes: a recording rule): the 20 with the most in the time range.`,
            unit: 'short',
            min: 0,
            noValue: 'No session changed state',
            targets: [{ expr: stableTop(20, troubled(changesRecord), bySession, 'topk', `sum by (${bySession}) (${inTrouble(changesRecord)})`), legend: sessionLegend }],
          })),
        ],
      },
      {
        title: 'Prefixes',
        cells: [
          ...prefixPanels([
            ['bgp_announced_prefixes_total', 'Prefixes announced per peer', 'Prefixes advertised to each peer, summed over nodes (each node advertises the services it may announce).'],
            ['bgp_received_prefixes_total', 'Prefixes received per peer', 'Prefixes accepted from each peer, summed over nodes (FRR-K8s mode only).'],
            ['bgp_pending_prefixes_total', 'Prefixes pending per peer', 'Prefixes that should be advertised to each peer, summed over nodes (native mode only); above the announced count means advertisement lags.'],
          ]),
        ],
      },
      {
        title: 'Messages',
        cells: [
          ...messagePanel('UPDATE messages', 'BGP UPDATE messages sent and received per peer, summed over nodes (received: FRR and FRR-K8s modes).', [
            perPeerRate('bgp_updates_total', 'sent'),
            perPeerRate('bgp_updates_total_received', 'received'),
          ]),
          ...messagePanel('OPEN and NOTIFICATION messages', 'OPEN messages sent and received, and NOTIFICATION messages sent, per peer: each OPEN is a session (re)starting, each NOTIFICATION an error that closes one (FRR and FRR-K8s modes).', [
            perPeerRate('bgp_opens_sent', 'opens sent'),
            perPeerRate('bgp_opens_received', 'opens received'),
            perPeerRate('bgp_notifications_sent', 'notifications sent'),
          ]),
          ...messagePanel('KEEPALIVE messages', 'KEEPALIVE messages sent and received per peer, summed over nodes (FRR and FRR-K8s modes).', [
            perPeerRate('bgp_keepalives_sent', 'sent'),
            perPeerRate('bgp_keepalives_received', 'received'),
          ]),
          ...messagePanel('All messages and route refreshes', 'All BGP messages sent and received, and ROUTE-REFRESH messages sent, per peer (FRR and FRR-K8s modes).', [
            perPeerRate('bgp_total_sent', 'sent'),
            perPeerRate('bgp_total_received', 'received'),
            perPeerRate('bgp_route_refresh_sent', 'route refresh sent'),
          ]),
        ],
      },
      ...bfdSection,
    ],
  });
}
