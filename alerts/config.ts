import { k8sClientMetric, k8sClients } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { inCluster } from './templates.js';

/** Configuration state of the controller, every speaker and every frr-k8s pod. */
export function configAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const each = (gauge: string, condition: string) =>
    `(\n  ${k8sClients.map(({ component }) => `${q.metric(k8sClientMetric(component, gauge), component)} ${condition}`).join('\n  or\n  ')}\n)`;
  const who = `{{ $labels.pod }} (job {{ $labels.job }}, namespace {{ $labels.namespace }})${inCluster(cfg)}`;
  return {
    name: 'metallb-config',
    alerts: [
      {
        alert: 'MetalLBConfigStale',
        severity: 'warning',
        expr: each('config_stale_bool', '== 1'),
        summary: 'A MetalLB component runs on a stale configuration.',
        description: `${who} failed to load the latest configuration and still runs on the previous one: recent changes to pools, peers or advertisements are not applied.`,
      },
      {
        alert: 'MetalLBConfigNotLoaded',
        severity: 'warning',
        expr: each('config_loaded_bool', '== 0'),
        summary: 'A MetalLB component has never loaded its configuration.',
        description: `${who} has not loaded its configuration once since it started: it allocates or announces nothing.`,
      },
    ],
  };
}
