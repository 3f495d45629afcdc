import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertDefinition, AlertGroupDefinition } from '../mixin/types.js';
import { inCluster } from './templates.js';

/** BGP sessions, in every enabled mode (native, FRR, FRR-K8s, relabelled FRR-K8s). */
export function bgpAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const alerts: AlertDefinition[] = [];

  const sessionUp = q.bgp('bgp_session_up', (s) => `${s} == 0`);
  if (sessionUp) {
    alerts.push({
      alert: 'MetalLBBGPSessionDown',
      severity: 'critical',
      expr: sessionUp,
      summary: 'A MetalLB BGP session is down.',
      description: `BGP session from {{ $labels.pod }} ({{ $labels.instance }}) to peer {{ $labels.peer }}{{ with $labels.vrf }} in VRF {{ . }}{{ end }}${inCluster(cfg)} is down: the routers no longer learn the service addresses this node announces.`,
    });
  }

  return { name: 'metallb-bgp', alerts };
}
