import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { buildDashboard } from '../common/dashboard.js';
import { cell, type Cell, type Section } from '../common/layout.js';
import { healthySteps, stat, timeseries, upDownTimeline, zeroIsGoodSteps } from '../common/panels.js';
import { filterVariable, hostVariable, type VariableBuilder } from '../common/variables.js';
import { bgpBfdQueries } from './queries.js';

const sessionLegend = '{{instance}} → {{peer}} {{vrf}}';
const peerLegend = '{{peer}} {{vrf}}';

/** A message counter and what its line is called after the peer. */
type MessageSeries = readonly [suffix: string, legend: string];

/**
 * BGP and BFD sessions in every enabled mode (native, FRR, FRR-K8s with or without relabelling):
 * the queries join the mode-specific names, so the same dashboard works whichever mode a cluster
 * runs. Families a mode lacks drop out of the queries, and panels whose every family is missing
 * from the enabled modes are left out.
 */
export function bgpBfdDashboard(cfg: MixinConfig): dashboard.Dashboard {
  const queries = bgpBfdQueries(cfg);
  const flapWindow = cfg.thresholds.bgpFlapWindow;

  const messagePanel = (title: string, description: string, series: readonly MessageSeries[]): Cell[] => {
    const present = series.filter(([suffix]) => queries.has(suffix));
    // About 50 series per panel at most, shared by its targets.
    const k = Math.floor(48 / Math.max(present.length, 1));
    const targets = present.map(([suffix, what]) => ({ expr: queries.messageRate(suffix, k), legend: `${peerLegend} ${what}` }));
    return targets.length === 0
      ? []
      : [
          cell(12, 8, timeseries, {
            title,
            description: `${description} Over 5 minutes and all nodes (a recording rule: the node filter does not apply), the ${k} busiest peers of the time range.`,
            unit: 'ops',
            min: 0,
            targets,
          }),
        ];
  };
  /** The prefix gauges present in the enabled modes, sharing one line. */
  const prefixPanels = (panels: readonly (readonly [suffix: string, title: string, description: string])[]): Cell[] => {
    const present = panels.filter(([suffix]) => queries.has(suffix));
    return present.map(([suffix, title, description]) =>
      cell(24 / present.length, 8, timeseries, {
        title,
        description: `${description} All nodes (a recording rule: the node filter does not apply); the 25 peers with the most in the time range.`,
        unit: 'short',
        min: 0,
        targets: [{ expr: queries.prefixes(suffix), legend: peerLegend }],
      }),
    );
  };

  const filters: VariableBuilder[] = [
    hostVariable(
      'Nodes, by the address their speaker and frr-k8s pods are scraped on (they use the host network).',
      queries.variables.host,
    ),
    filterVariable({
      name: 'peer',
      label: 'Peer',
      description: 'BGP peers: `IP:port` in native and FRR mode, the IP (or interface) in FRR-K8s mode.',
      query: queries.variables.peer,
      regex: '/peer="([^"]+)"/',
      // Every session has a peer; "All" matching the empty value too keeps the per-cluster 0 of
      // the recorded sessions in trouble, so a panel with none says so instead of "No data".
      allValue: '.*',
    }),
  ];
  if (queries.hasVrf) {
    filters.push(
      filterVariable({
        name: 'vrf',
        label: 'VRF',
        description: 'FRR VRFs (`default` for the default one). Native mode has no VRF, so "All" also matches series without the label.',
        query: queries.variables.vrf,
        regex: '/vrf="([^"]+)"/',
        allValue: '.*',
      }),
    );
  }

  const hasBfd = queries.has('bfd_session_up');
  const bfdDownStat: Cell[] = hasBfd
    ? [
        cell(6, 4, stat, {
          title: 'BFD sessions down',
          description:
            'Configured BFD sessions of the selected nodes and peers that are not up (FRR and FRR-K8s modes; native mode has no BFD).',
          unit: 'short',
          steps: zeroIsGoodSteps,
          noValue: '0',
          targets: [{ expr: queries.bfdSessionsDown, legend: 'Down', instant: true }],
        }),
      ]
    : [];
  const bfdSection: Section[] = hasBfd
    ? [
        {
          title: 'BFD',
          cells: [
            cell(24, 8, upDownTimeline, {
              title: 'BFD session state by peer',
              description:
                'Worst BFD state per peer over all nodes (a recording rule: the node filter does not apply): down as soon as one node has the session down. The 25 peers in the worst state in the time range.',
              unit: 'none',
              targets: [{ expr: queries.worstPeers('bfd_session_up'), legend: peerLegend }],
            }),
            cell(12, 8, timeseries, {
              title: 'BFD session down events',
              description:
                'How often BFD sessions of the selected nodes and peers went down over 5 minutes, per node and peer (only sessions with events: a recording rule): the 20 with the most in the time range.',
              unit: 'short',
              min: 0,
              noValue: 'No BFD session went down',
              targets: [{ expr: queries.bfdDownEvents, legend: sessionLegend }],
            }),
            ...messagePanel('BFD packets', 'BFD control and echo packets per peer.', [
              ['bfd_control_packet_input', 'control in'],
              ['bfd_control_packet_output', 'control out'],
              ['bfd_echo_packet_input', 'echo in'],
              ['bfd_echo_packet_output', 'echo out'],
            ]),
          ],
        },
      ]
    : [];

  return buildDashboard(cfg, {
    title: 'BGP and BFD',
    description:
      'BGP sessions, prefixes and messages, and BFD sessions, from the speakers (native), their FRR sidecar (FRR mode) or frr-k8s (FRR-K8s mode).',
    filters,
    sections: [
      {
        title: 'Sessions',
        cells: [
          cell(6, 4, stat, {
            title: 'BGP sessions',
            description:
              'Established BGP sessions, and all sessions reported (configured), to the selected peers over all nodes (a recording rule: the node filter does not apply).',
            unit: 'short',
            steps: healthySteps,
            noValue: 'No sessions',
            targets: [
              { expr: queries.sessionsUp, legend: 'Up', instant: true },
              { expr: queries.sessionsConfigured, legend: 'Configured', instant: true },
            ],
          }),
          cell(6, 4, stat, {
            title: 'BGP sessions down',
            description: 'Configured BGP sessions of the selected nodes and peers that are not established.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.sessionsDown, legend: 'Down', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Sessions that changed state',
            description: 'BGP sessions of the selected nodes and peers that went up or down within the dashboard time range.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.sessionsChanged, legend: 'Sessions', instant: true }],
          }),
          ...bfdDownStat,
          cell(24, 8, upDownTimeline, {
            title: 'BGP session state by peer',
            description:
              'Worst BGP state per peer over all nodes (a recording rule: the node filter does not apply): down as soon as one node has the session down. The 25 peers in the worst state in the time range.',
            unit: 'none',
            targets: [{ expr: queries.worstPeers('bgp_session_up'), legend: peerLegend }],
          }),
          cell(24, 10, upDownTimeline, {
            title: 'BGP session state per node and peer',
            description:
              'Sessions (node address → peer) that were down in the time range, while they were down (a recording rule of the sessions in trouble); choose node addresses above to see all their sessions, up or down.',
            unit: 'none',
            noValue: 'No session down',
            targets: [{ expr: queries.sessionState, legend: sessionLegend }],
          }),
          cell(12, 8, timeseries, {
            title: 'Established sessions per peer',
            description:
              'How many nodes have their session to each peer up (all nodes: a recording rule, the node filter does not apply): the 25 peers with the fewest in the time range.',
            unit: 'short',
            min: 0,
            targets: [{ expr: queries.fewestEstablished, legend: peerLegend }],
          }),
          cell(12, 8, timeseries, {
            title: 'Session state changes',
            description: `How often BGP sessions of the selected nodes and peers went up or down over ${flapWindow} (the flap window of MetalLBBGPSessionFlapping), per node and peer (only sessions with changes: a recording rule): the 20 with the most in the time range.`,
            unit: 'short',
            min: 0,
            noValue: 'No session changed state',
            targets: [{ expr: queries.stateChanges, legend: sessionLegend }],
          }),
        ],
      },
      {
        title: 'Prefixes',
        cells: [
          ...prefixPanels([
            [
              'bgp_announced_prefixes_total',
              'Prefixes announced per peer',
              'Prefixes advertised to each peer, summed over nodes (each node advertises the services it may announce).',
            ],
            [
              'bgp_received_prefixes_total',
              'Prefixes received per peer',
              'Prefixes accepted from each peer, summed over nodes (FRR-K8s mode only).',
            ],
            [
              'bgp_pending_prefixes_total',
              'Prefixes pending per peer',
              'Prefixes that should be advertised to each peer, summed over nodes (native mode only); above the announced count means advertisement lags.',
            ],
          ]),
        ],
      },
      {
        title: 'Messages',
        cells: [
          ...messagePanel(
            'UPDATE messages',
            'BGP UPDATE messages sent and received per peer, summed over nodes (received: FRR and FRR-K8s modes).',
            [
              ['bgp_updates_total', 'sent'],
              ['bgp_updates_total_received', 'received'],
            ],
          ),
          ...messagePanel(
            'OPEN and NOTIFICATION messages',
            'OPEN messages sent and received, and NOTIFICATION messages sent, per peer: each OPEN is a session (re)starting, each NOTIFICATION an error that closes one (FRR and FRR-K8s modes).',
            [
              ['bgp_opens_sent', 'opens sent'],
              ['bgp_opens_received', 'opens received'],
              ['bgp_notifications_sent', 'notifications sent'],
            ],
          ),
          ...messagePanel(
            'KEEPALIVE messages',
            'KEEPALIVE messages sent and received per peer, summed over nodes (FRR and FRR-K8s modes).',
            [
              ['bgp_keepalives_sent', 'sent'],
              ['bgp_keepalives_received', 'received'],
            ],
          ),
          ...messagePanel(
            'All messages and route refreshes',
            'All BGP messages sent and received, and ROUTE-REFRESH messages sent, per peer (FRR and FRR-K8s modes).',
            [
              ['bgp_total_sent', 'sent'],
              ['bgp_total_received', 'received'],
              ['bgp_route_refresh_sent', 'route refresh sent'],
            ],
          ),
        ],
      },
      ...bfdSection,
    ],
  });
}
