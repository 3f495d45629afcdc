import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertDefinition, AlertGroupDefinition } from '../mixin/types.js';
import { sessionChangesRecord, sessionProblemRecords } from '../rules/bgp.js';
import { bgpIdleHostsRecord, withHost } from '../rules/announcements.js';
import { PoolCapacity } from '../rules/pool-capacity.js';
import { inCluster } from './templates.js';

/** BGP sessions, in every enabled mode (native, FRR, FRR-K8s, relabelled FRR-K8s). */
export function bgpAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const alerts: AlertDefinition[] = [];
  const session = `from {{ $labels.pod }} ({{ $labels.instance }}) to peer {{ $labels.peer }}{{ with $labels.vrf }} in VRF {{ . }}{{ end }}${inCluster(cfg)}`;

  // The sessions down are recorded (rules/bgp.ts) for the dashboard too; the record keeps the
  // session's labels, which the Alertmanager inhibition matches on.
  if (q.bgp('bgp_session_up')) {
    alerts.push({
      alert: 'MetalLBBGPSessionDown',
      severity: 'critical',
      expr: `${sessionProblemRecords.bgpDown} > 0`,
      summary: 'A MetalLB BGP session is down.',
      description: `BGP session ${session} is down: the routers no longer learn the service addresses this node announces.`,
    });
  }

  // The change count stays at or above the threshold for a whole window after the last change, so
  // a flap shorter than the alert's `for` still fires (config semantics keep `for` < window).
  const { bgpFlaps, bgpFlapWindow } = cfg.thresholds;
  // Recorded with the session's labels (rules/bgp.ts), which the dashboard draws too.
  if (q.bgp('bgp_session_up')) {
    alerts.push({
      alert: 'MetalLBBGPSessionFlapping',
      severity: 'warning',
      expr: `${sessionChangesRecord(cfg)} >= ${bgpFlaps}`,
      summary: 'A MetalLB BGP session is flapping.',
      description: `BGP session ${session} changed state {{ $value | humanize }} times in the last ${bgpFlapWindow}: routes to its service addresses come and go.`,
    });
  }

  // Addresses in use anywhere in the cluster: which pools a peer should carry is in the
  // BGPAdvertisements, not in the metrics. The join is on the cluster label, the only one both
  // sides have (the seed's unlabelled sum() matched nothing).
  const inUse = `sum by (${q.by()}) (${new PoolCapacity(q).pool('metallb_allocator_addresses_in_use_total')}) > 0`;
  // "Established" is "not recorded as down": the recorded sessions down are a handful, while
  // reading every session's state again would double the cost of these alerts at scale.
  const established = (expr: string) => `(\n${expr}\nunless\n${sessionProblemRecords.bgpDown} > 0\n)`;
  const silent = q.bgp('bgp_announced_prefixes_total', (s) => `${s} == 0`);
  // A node whose speaker announces no BGP Service while others in its cluster do (the Services
  // are `externalTrafficPolicy: Local` with no endpoint there) has nothing to send (recorded in
  // rules/announcements.ts, which explains why nothing is excused where no speaker announces).
  if (silent) {
    alerts.push({
      alert: 'MetalLBBGPNoPrefixesAnnounced',
      severity: 'warning',
      // `host` joins the session to its node's speaker and is dropped again, so the alert keeps the session's labels.
      expr: `max without (host) (\n${withHost(established(silent))}\nunless on (${q.by('host')})\n${bgpIdleHostsRecord} > 0\n)\nand on (${q.by()})\n${inUse}`,
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

  return { name: 'metallb-bgp', alerts };
}
