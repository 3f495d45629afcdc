import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertDefinition, AlertGroupDefinition } from '../mixin/types.js';
import { sessionProblemRecords } from '../rules/bgp.js';
import { inCluster } from './templates.js';

/** BFD sessions (FRR and FRR-K8s modes; native BGP has no BFD). */
export function bfdAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const alerts: AlertDefinition[] = [];
  // Recorded with the session's labels (rules/bgp.ts), for the dashboard too.
  if (q.bgp('bfd_session_up')) {
    alerts.push({
      alert: 'MetalLBBFDSessionDown',
      severity: 'warning',
      expr: `${sessionProblemRecords.bfdDown} > 0`,
      summary: 'A MetalLB BFD session is down.',
      description: `BFD session from {{ $labels.pod }} ({{ $labels.instance }}) to peer {{ $labels.peer }}{{ with $labels.vrf }} in VRF {{ . }}{{ end }}${inCluster(cfg)} is down: the BGP sessions that rely on it lose fast failure detection or go down with it.`,
    });
  }
  return { name: 'metallb-bfd', alerts };
}
