import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import { buildDashboard } from './common/dashboard.js';
import { cell, type Cell, type Section } from './common/layout.js';
import { healthySteps, stat, timeseries, upDownTimeline, zeroIsGoodSteps, type Target } from './common/panels.js';
import { changes, hostMatcher, increase, oneLine, required } from './common/queries.js';
import { filterVariable, type VariableBuilder } from './common/variables.js';
import { peerRecord } from '../rules/bgp.js';

const peerFilter = 'peer=~"$peer"';
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
  const matchers = [hostMatcher, peerFilter, vrfFilter];
  const q = Query.forDashboard(cfg, { speaker: matchers, frrMetrics: matchers, frrK8s: matchers });
  const unfiltered = Query.forDashboard(cfg);
  const hasVrf = cfg.bgp.modes.some((m) => m !== 'native');

  const sessionUp = required(q.bgp('bgp_session_up'), 'BGP session state');
  const byPeer = q.by('peer', 'vrf');
  /** A per-peer recorded series (all nodes), narrowed by the peer and VRF variables. */
  const peerSeries = (suffix: string, op: 'sum' | 'count' | 'rate5m') => `sum by (${byPeer}) (${unfiltered.scoped(peerRecord(suffix, op), peerFilter, vrfFilter)})`;
  /**
   * The k peers with the highest (or lowest) value anywhere in the range, for the whole range: a
   * range query returns at most k series, and a peer does not come and go from step to step.
   */
  const stableTop = (k: number, expr: string, pick: 'topk' | 'bottomk' = 'topk') =>
    `${expr}\nand on (${byPeer})\n${pick}(${k}, ${pick === 'topk' ? 'max' : 'min'}_over_time((${expr})[$__range:] @ end()))`;
  /** Per-peer rate of a message counter over all nodes, for the busiest peers of the range. */
  const perPeerRate = (suffix: string, what: string) => (k: number): Target | undefined =>
    q.bgp(suffix) === undefined ? undefined : { expr: stableTop(k, peerSeries(suffix, 'rate5m')), legend: `${peerLegend} ${what}` };
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
    const present = panels.filter(([suffix]) => q.bgp(suffix) !== undefined);
    return present.map(([suffix, title, description]) =>
      cell(24 / present.length, 8, timeseries({
        title,
        description: `${description} All nodes (a recording rule: the node filter does not apply); the 25 peers with the most in the time range.`,
        unit: 'short',
        min: 0,
        targets: [{ expr: stableTop(25, peerSeries(suffix, 'sum')), legend: peerLegend }],
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
    }),
    filterVariable({
      name: 'peer',
      label: 'Peer',
      description: 'BGP peers: `IP:port` in native and FRR mode, the IP (or interface) in FRR-K8s mode.',
      query: oneLine(`query_result(count by (${unfiltered.by('peer')}) (${unfiltered.bgp('bgp_session_up')}))`),
      regex: '/peer="([^"]+)"/',
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

  const bfdUp = q.bgp('bfd_session_up');
  const bfdDownStat: Cell[] =
    bfdUp === undefined
      ? []
      : [
          cell(6, 4, stat({
            title: 'BFD sessions down',
            description: 'Configured BFD sessions that are not up (FRR and FRR-K8s modes; native mode has no BFD).',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `count(${bfdUp} == 0)`, legend: 'Down', instant: true }],
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
                targets: [{ expr: stableTop(25, `${peerSeries('bfd_session_up', 'sum')} == bool ${peerSeries('bfd_session_up', 'count')}`, 'bottomk'), legend: peerLegend }],
              })),
              cell(12, 8, timeseries({
                title: 'BFD session down events',
                description: 'BFD sessions that went down, per node and peer: the 20 with the most in each interval.',
                unit: 'short',
                min: 0,
                bars: true,
                targets: [{ expr: `topk(20, sum by (${q.by('instance', 'peer', 'vrf')}) (${required(q.bgp('bfd_session_down_events', increase), 'BFD down events')}))`, legend: sessionLegend }],
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
            description: 'Established BGP sessions, and all sessions reported (configured), over the selected nodes and peers.',
            unit: 'short',
            steps: healthySteps,
            noValue: 'No sessions',
            targets: [
              { expr: `sum(${sessionUp})`, legend: 'Up', instant: true },
              { expr: `count(${sessionUp})`, legend: 'Configured', instant: true },
            ],
          })),
          cell(6, 4, stat({
            title: 'BGP sessions down',
            description: 'Configured BGP sessions that are not established.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `count(${sessionUp} == 0)`, legend: 'Down', instant: true }],
          })),
          cell(6, 4, stat({
            title: 'BGP session state changes',
            description: 'How often any selected BGP session went up or down within the dashboard time range.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `sum(${required(q.bgp('bgp_session_up', (s) => `changes(${s}[$__range])`), 'BGP session changes')})`, legend: 'Changes', instant: true }],
          })),
          ...bfdDownStat,
          cell(24, 8, upDownTimeline({
            title: 'BGP session state by peer',
            description: 'Worst BGP state per peer over all nodes (a recording rule: the node filter does not apply): down as soon as one node has the session down. The 25 peers in the worst state in the time range.',
            unit: 'none',
            targets: [{ expr: stableTop(25, `${peerSeries('bgp_session_up', 'sum')} == bool ${peerSeries('bgp_session_up', 'count')}`, 'bottomk'), legend: peerLegend }],
          })),
          cell(24, 10, upDownTimeline({
            title: 'BGP session state per node and peer',
            description: 'State of each session (node address → peer), the 50 in the worst state at each moment; choose nodes or peers above to see others.',
            unit: 'none',
            targets: [{ expr: `bottomk(50, min by (${q.by('instance', 'pod', 'peer', 'vrf')}) (${sessionUp}))`, legend: sessionLegend }],
          })),
          cell(12, 8, timeseries({
            title: 'Established sessions per peer',
            description: 'How many nodes have their session to each peer up (all nodes: a recording rule, the node filter does not apply): the 25 peers with the fewest in the time range.',
            unit: 'short',
            min: 0,
            targets: [{ expr: stableTop(25, peerSeries('bgp_session_up', 'sum'), 'bottomk'), legend: peerLegend }],
          })),
          cell(12, 8, timeseries({
            title: 'Session state changes',
            description: 'BGP sessions going up or down, per node and peer: the 20 with the most changes in each interval.',
            unit: 'short',
            min: 0,
            bars: true,
            targets: [{ expr: `topk(20, sum by (${q.by('instance', 'peer', 'vrf')}) (${required(q.bgp('bgp_session_up', changes), 'BGP session changes')}))`, legend: sessionLegend }],
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
