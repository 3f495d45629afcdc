import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { k8sClientCounters } from '../rules/k8s-client.js';
import { inCluster, percentText } from './templates.js';

/** Kubernetes API errors per pod, as a share of its updates (no result while it updates nothing). */
export function k8sClientAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const ratios = k8sClientCounters.map(
    ({ component, updates, errors }) => `rate(${q.metric(errors, component)}[5m])\n  /\n  (rate(${q.metric(updates, component)}[5m]) > 0)`,
  );
  const threshold = cfg.thresholds.k8sUpdateErrorRatio;
  return {
    name: 'metallb-k8s-client',
    alerts: [
      {
        alert: 'MetalLBK8sClientErrorsHigh',
        severity: 'warning',
        expr: `(\n  ${ratios.join('\n  or\n  ')}\n)\n> ${threshold}`,
        summary: 'A MetalLB component fails to update Kubernetes objects.',
        description: `{{ $value | humanizePercentage }} of the Kubernetes object updates of {{ $labels.pod }} (job {{ $labels.job }})${inCluster(cfg)} failed over the last 5 minutes (threshold ${percentText(threshold)}): check the API server and MetalLB's RBAC.`,
      },
    ],
  };
}
