import { bgpFamilies, bgpSources } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { clusterSeries, problemRecord, problemsAbove, problemsAtLeast } from '../mixin/promql/problems.js';
import { Query } from '../mixin/promql/query.js';
import { anyOfPresent } from '../mixin/promql/union.js';
import type { AlertDefinition, AlertGroupDefinition } from '../mixin/types.js';
import { announcements, withHost } from './announcements.js';
import { pools } from './pools.js';
import { defineRecord, type RecordGroup, type RecordSpec } from './record.js';
import { inCluster } from '../alerts/templates.js';

const panel = (title: string) => `metallb-bgp-bfd/${title}`;
const overview = (title: string) => `metallb-overview/${title}`;

type PeerOp = 'sum' | 'count' | 'rate5m';

/**
 * The per-peer series of a family over every node of the cluster, each with the panels that draw
 * it: `sum` of a gauge, `count` of the sessions, `rate5m` of a counter. Named after MetalLB's
 * metric in every mode.
 */
const perPeer: readonly [suffix: string, op: PeerOp, panels: readonly string[]][] = [
  ['bgp_session_up', 'sum', ['BGP sessions', 'BGP session state by peer', 'Established sessions per peer']],
  ['bgp_session_up', 'count', ['BGP sessions', 'BGP session state by peer']],
  ['bgp_announced_prefixes_total', 'sum', ['Prefixes announced per peer']],
  ['bgp_received_prefixes_total', 'sum', ['Prefixes received per peer']],
  ['bgp_pending_prefixes_total', 'sum', ['Prefixes pending per peer']],
  ['bfd_session_up', 'sum', ['BFD session state by peer']],
  ['bfd_session_up', 'count', ['BFD session state by peer']],
  ['bgp_updates_total', 'rate5m', ['UPDATE messages']],
  ['bgp_updates_total_received', 'rate5m', ['UPDATE messages']],
  ['bgp_opens_sent', 'rate5m', ['OPEN and NOTIFICATION messages']],
  ['bgp_opens_received', 'rate5m', ['OPEN and NOTIFICATION messages']],
  ['bgp_notifications_sent', 'rate5m', ['OPEN and NOTIFICATION messages']],
  ['bgp_keepalives_sent', 'rate5m', ['KEEPALIVE messages']],
  ['bgp_keepalives_received', 'rate5m', ['KEEPALIVE messages']],
  ['bgp_total_sent', 'rate5m', ['All messages and route refreshes']],
  ['bgp_total_received', 'rate5m', ['All messages and route refreshes']],
  ['bgp_route_refresh_sent', 'rate5m', ['All messages and route refreshes']],
  ['bfd_control_packet_input', 'rate5m', ['BFD packets']],
  ['bfd_control_packet_output', 'rate5m', ['BFD packets']],
  ['bfd_echo_packet_input', 'rate5m', ['BFD packets']],
  ['bfd_echo_packet_output', 'rate5m', ['BFD packets']],
];

const peerName = (suffix: string, op: PeerOp) =>
  `cluster_peer_vrf:metallb_${op === 'rate5m' ? suffix.replace(/_total$/, '') : suffix}:${op}`;

const peerSpecs = new Map<string, RecordSpec>(
  perPeer.map(([suffix, op, panels]) => {
    const family = bgpFamilies[suffix];
    if (!family || (op === 'rate5m') !== (family.type === 'counter')) throw new Error(`no per-peer ${op} of ${suffix}`);
    const aggregation = op === 'rate5m' ? 'sum' : op;
    const wrap = op === 'rate5m' ? (s: string) => `rate(${s}[5m])` : undefined;
    return [
      `${suffix} ${op}`,
      defineRecord({
        name: peerName(suffix, op),
        kind: 'aggregate',
        readBy: panels.map(panel),
        expr: (q) => {
          const sessions = q.bgp(suffix, wrap);
          return sessions && `${aggregation} by (${q.by('peer', 'vrf')}) (${sessions})`;
        },
      }),
    ];
  }),
);

/** The per-peer record of a family: `sum` of a gauge, `count` of the sessions, `rate5m` of a counter. */
function peer(suffix: string, op: PeerOp): RecordSpec {
  const spec = peerSpecs.get(`${suffix} ${op}`);
  if (!spec) throw new Error(`no per-peer ${op} of ${suffix}`);
  return spec;
}

/** Sessions up or configured per cluster, summed from the per-peer series rather than from every session again. */
const perCluster = (name: string, family: 'bgp_session_up' | 'bfd_session_up', op: 'sum' | 'count', readBy: readonly string[]) =>
  defineRecord({
    name,
    kind: 'aggregate',
    readBy,
    expr: (q) => (q.bgp(family) ? `sum by (${q.by()}) (${peer(family, op).name})` : undefined),
  });

const sessionsUp = perCluster('cluster:metallb_bgp_session_up:sum', 'bgp_session_up', 'sum', [
  overview('BGP sessions'),
  overview('BGP sessions down'),
  overview('Sessions down'),
]);
const sessions = perCluster('cluster:metallb_bgp_session_up:count', 'bgp_session_up', 'count', [
  overview('BGP sessions'),
  overview('BGP sessions down'),
  overview('Sessions down'),
]);
const bfdSessionsUp = perCluster('cluster:metallb_bfd_session_up:sum', 'bfd_session_up', 'sum', [
  overview('BFD sessions'),
  overview('BFD sessions down'),
  overview('Sessions down'),
]);
const bfdSessions = perCluster('cluster:metallb_bfd_session_up:count', 'bfd_session_up', 'count', [
  overview('BFD sessions'),
  overview('BFD sessions down'),
  overview('Sessions down'),
]);

/**
 * Per-session problems, with every label of the session (pod, instance, peer, vrf, job,
 * namespace), and a 0 per cluster with sessions. The alerts and the dashboard's per-session panels
 * read these: at 1,000 nodes a range query over every session costs hundreds of milliseconds per
 * panel, while the sessions in trouble are a handful.
 */
const sessionProblems = (
  name: string,
  suffix: string,
  clusters: RecordSpec,
  problem: ((s: string) => string) | { readonly across: (q: Query) => string | undefined },
  readBy: readonly string[],
) =>
  defineRecord({
    name,
    kind: 'problems',
    readBy,
    expr: (q) => {
      const inTrouble = typeof problem === 'function' ? q.bgp(suffix, problem) : problem.across(q);
      return inTrouble && problemRecord(inTrouble, clusterSeries(clusters.name));
    },
  });

/** 1 per BGP session down. */
const sessionsDown = sessionProblems(
  'cluster_pod_peer_vrf:metallb_bgp_session_up:down',
  'bgp_session_up',
  sessions,
  (s) => `(${s} == bool 0) > 0`,
  [
    'MetalLBBGPSessionDown',
    'MetalLBBGPNoPrefixesAnnounced',
    'MetalLBBGPPrefixesPending',
    panel('BGP sessions down'),
    panel('BGP session state per node and peer'),
  ],
);

/**
 * BGP state changes per session over `thresholds.bgpFlapWindow` (named after it, e.g.
 * `changes15m`), where there were any: MetalLBBGPSessionFlapping keeps those at
 * `thresholds.bgpFlaps` or more, and the dashboard draws them all. Counted across the session's
 * `peer` spellings, so that FRR 8.x's `IP:-1` and `IP:179` are one session (`Query.bgpChanges`).
 */
const sessionChanges = (cfg: MixinConfig) =>
  sessionProblems(
    `cluster_pod_peer_vrf:metallb_bgp_session_up:changes${cfg.thresholds.bgpFlapWindow}`,
    'bgp_session_up',
    sessions,
    {
      across: (q) => {
        const changes = q.bgpChanges('bgp_session_up', cfg.thresholds.bgpFlapWindow);
        return changes && `${changes} > 0`;
      },
    },
    ['MetalLBBGPSessionFlapping', panel('Sessions that changed state'), panel('Session state changes')],
  );

/** 1 per BFD session down. */
const bfdSessionsDown = sessionProblems(
  'cluster_pod_peer_vrf:metallb_bfd_session_up:down',
  'bfd_session_up',
  bfdSessions,
  (s) => `(${s} == bool 0) > 0`,
  ['MetalLBBFDSessionDown', panel('BFD sessions down')],
);

/** BFD down events per session in the last 5 minutes, where there were any. */
const bfdDownEvents = sessionProblems(
  'cluster_pod_peer_vrf:metallb_bfd_session_down_events:increase5m',
  'bfd_session_down_events',
  bfdSessions,
  (s) => `increase(${s}[5m]) > 0`,
  [panel('BFD session down events')],
);

/**
 * BFD down events per session over the flap window, where there were any: the counter sees every
 * flap, also one that no scrape of the `bfd_session_up` gauge caught. With a 5m window this is the
 * dashboard's record above.
 */
const bfdFlaps = (cfg: MixinConfig) =>
  cfg.thresholds.bgpFlapWindow === '5m'
    ? bfdDownEvents
    : sessionProblems(
        `cluster_pod_peer_vrf:metallb_bfd_session_down_events:increase${cfg.thresholds.bgpFlapWindow}`,
        'bfd_session_down_events',
        bfdSessions,
        (s) => `increase(${s}[${cfg.thresholds.bgpFlapWindow}]) > 0`,
        ['MetalLBBFDSessionFlapping'],
      );

/**
 * FRR exporters (the FRR-mode sidecar, frr-k8s) whose target is up but that export no BGP session
 * now, though they did within the hour: when `vtysh` fails they log it and drop every BGP and BFD
 * series while `up` stays 1, which would leave every session alert silent. The record reads its own
 * last value, so a target stays on it past the hour for as long as it is up and silent. Per target (`instance`):
 * frr-k8s's controller endpoint of the same pod does not count. A restarted pod has a new name,
 * and a pod that is gone has no `up`, so neither is reported.
 */
const vanishedName = 'cluster_namespace_pod_instance:metallb_bgp_session_up:vanished';
const silentExporters = defineRecord({
  name: vanishedName,
  kind: 'problems',
  readBy: ['MetalLBFRRExporterSilent'],
  expr: (q) => {
    const target = q.by('namespace', 'pod', 'instance');
    const parts = q
      .bgpModes('bgp_session_up')
      .filter((mode) => mode !== 'native')
      .map((mode) => {
        const source = bgpSources[mode];
        const sessions = `${source.prefix}_bgp_session_up${q.selector(source.component)}`;
        const labels = q.by('job', 'namespace', 'pod', 'instance');
        return [
          `(`,
          `  group by (${labels}) (last_over_time(${sessions}[1h]))`,
          `  or`,
          `  group by (${labels}) (${vanishedName} > 0)`,
          `)`,
          `unless on (${target})`,
          sessions,
          `and on (${target})`,
          `${q.metric('up', source.component)} == 1`,
        ].join('\n');
      });
    const vanished = anyOfPresent([...new Set(parts)], 'lines');
    return vanished && problemRecord(vanished, clusterSeries(sessions.name));
  },
});

/** BGP and BFD sessions per peer, per cluster, and the sessions in trouble. */
export const bgp = {
  silentExporters,
  peer,
  sessionsUp,
  sessions,
  bfdSessionsUp,
  bfdSessions,
  sessionsDown,
  sessionChanges,
  bfdSessionsDown,
  bfdDownEvents,
  bfdFlaps,
};

/** What the dashboards draw: per peer, per cluster, and the BFD down events. */
export const bgpDashboardRecords: RecordGroup = {
  name: 'metallb-bgp-slow-rules',
  pace: 'slow',
  records: () => [...peerSpecs.values(), sessionsUp, sessions, bfdSessionsUp, bfdSessions, bfdDownEvents, silentExporters],
};

/** What the session-down alerts (`for: 2m`) read. */
export const bgpRecords: RecordGroup = {
  name: 'metallb-bgp-rules',
  records: () => [sessionsDown, bfdSessionsDown],
};

/**
 * What the flapping alerts (`for: 5m`) read: changes over the flap window, which `changes()` and
 * `increase()` count however often the rule runs.
 */
export const bgpFlapRecords: RecordGroup = {
  name: 'metallb-bgp-flap-rules',
  pace: 'medium',
  records: (cfg) => [sessionChanges(cfg), ...(bfdFlaps(cfg) === bfdDownEvents ? [] : [bfdFlaps(cfg)])],
};

/** BGP sessions, in every enabled mode (native, FRR, FRR-K8s, relabelled FRR-K8s). */
export function bgpAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const alerts: AlertDefinition[] = [];
  const session = `from {{ $labels.pod }} ({{ $labels.instance }}) to peer {{ $labels.peer }}{{ with $labels.vrf }} in VRF {{ . }}{{ end }}${inCluster(cfg)}`;

  // The record keeps the session's labels, which the Alertmanager inhibition matches on.
  if (q.bgp('bgp_session_up')) {
    alerts.push({
      alert: 'MetalLBBGPSessionDown',
      severity: 'critical',
      expr: problemsAbove(sessionsDown.name),
      summary: 'A MetalLB BGP session is down.',
      description: `BGP session ${session} is down: the routers no longer learn the service addresses this node announces.`,
    });
  }

  // The change count stays at or above the threshold for a whole window after the last change, so
  // a flap shorter than the alert's `for` still fires (config semantics keep `for` < window).
  const { bgpFlaps, bgpFlapWindow } = cfg.thresholds;
  if (q.bgp('bgp_session_up')) {
    alerts.push({
      alert: 'MetalLBBGPSessionFlapping',
      severity: 'warning',
      expr: problemsAtLeast(sessionChanges(cfg).name, bgpFlaps),
      summary: 'A MetalLB BGP session is flapping.',
      description: `BGP session ${session} changed state {{ $value | humanize }} times in the last ${bgpFlapWindow}: routes to its service addresses come and go.`,
    });
  }

  // Addresses in use anywhere in the cluster: which pools a peer should carry is in the
  // BGPAdvertisements, not in the metrics. The join is on the cluster label, the only one both
  // sides have (the seed's unlabelled sum() matched nothing).
  const inUse = `${pools.clusterInUse.name} > 0`;
  // "Established" is "not recorded as down": the recorded sessions down are a handful, while
  // reading every session's state again would double the cost of these alerts at scale.
  const established = (expr: string) => `(\n${expr}\nunless\n${problemsAbove(sessionsDown.name)}\n)`;
  const silent = q.bgp('bgp_announced_prefixes_total', (s) => `${s} == 0`);
  // A node whose speaker announces no BGP Service while others in its cluster do (the Services
  // are `externalTrafficPolicy: Local` with no endpoint there) has nothing to send (recorded in
  // rules/announcements.ts, which explains why nothing is excused where no speaker announces).
  if (silent) {
    alerts.push({
      alert: 'MetalLBBGPNoPrefixesAnnounced',
      severity: 'warning',
      // `host` joins the session to its node's speaker and is dropped again, so the alert keeps the session's labels.
      expr: `max without (host) (\n${withHost(established(silent))}\nunless on (${q.by('host')})\n${problemsAbove(announcements.idleBgpHosts.name)}\n)\nand on (${q.by()})\n${inUse}`,
      summary: 'A MetalLB BGP session is up but announces no prefix.',
      description: `BGP session ${session} is established but announces no prefix while the cluster has LoadBalancer addresses in use: check the BGPAdvertisements and their peer and node selectors.`,
    });
  }

  const pending = q.bgp('bgp_pending_prefixes_total', (s, family) => `${s} != ${family('bgp_announced_prefixes_total')}`);
  if (pending) {
    alerts.push({
      alert: 'MetalLBBGPPrefixesPending',
      severity: 'warning',
      expr: established(pending),
      summary: 'A MetalLB BGP session does not converge on the prefixes it should announce.',
      description: `BGP session ${session} should announce {{ $value | humanize }} prefixes but announces a different number: the peer does not accept or MetalLB does not send its updates.`,
    });
  }

  if (q.bgpModes('bgp_session_up').some((mode) => mode !== 'native')) {
    alerts.push({
      alert: 'MetalLBFRRExporterSilent',
      severity: 'warning',
      expr: problemsAbove(silentExporters.name),
      summary: 'An FRR metrics exporter stopped exporting BGP sessions.',
      description: `FRR metrics target {{ $labels.pod }} ({{ $labels.instance }}, job {{ $labels.job }})${inCluster(cfg)} is up but has exported no BGP session since some time in the last hour: its \`vtysh\` calls probably fail, and every BGP and BFD alert is blind for this node.`,
    });
  }
  return { name: 'metallb-bgp', alerts };
}

/** BFD sessions (FRR and FRR-K8s modes; native BGP has no BFD). */
export function bfdAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const alerts: AlertDefinition[] = [];
  if (q.bgp('bfd_session_up')) {
    alerts.push({
      alert: 'MetalLBBFDSessionDown',
      severity: 'warning',
      expr: problemsAbove(bfdSessionsDown.name),
      summary: 'A MetalLB BFD session is down.',
      description: `BFD session from {{ $labels.pod }} ({{ $labels.instance }}) to peer {{ $labels.peer }}{{ with $labels.vrf }} in VRF {{ . }}{{ end }}${inCluster(cfg)} is down: the BGP sessions that rely on it lose fast failure detection or go down with it.`,
    });
  }
  if (q.bgp('bfd_session_down_events')) {
    const { bgpFlaps, bgpFlapWindow } = cfg.thresholds;
    alerts.push({
      alert: 'MetalLBBFDSessionFlapping',
      severity: 'warning',
      expr: problemsAtLeast(bfdFlaps(cfg).name, bgpFlaps),
      summary: 'A MetalLB BFD session is flapping.',
      description: `BFD session from {{ $labels.pod }} ({{ $labels.instance }}) to peer {{ $labels.peer }}{{ with $labels.vrf }} in VRF {{ . }}{{ end }}${inCluster(cfg)} went down {{ $value | humanize }} times in the last ${bgpFlapWindow}: each time the BGP sessions that rely on it drop, even when no scrape saw it down.`,
    });
  }
  return { name: 'metallb-bfd', alerts };
}
