import type { MixinConfig } from '../mixin/config/schema.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { k8sClientProblemRecords } from '../rules/k8s-client.js';
import { inCluster, percentText } from './templates.js';

/**
 * Kubernetes API errors per pod, as a share of its updates (no result while it updates nothing).
 * The recording rule computes the ratio of every pod once and keeps those with failures, with all
 * their labels.
 */
export function k8sClientAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const threshold = cfg.thresholds.k8sUpdateErrorRatio;
  return {
    name: 'metallb-k8s-client',
    alerts: [
      {
        alert: 'MetalLBK8sClientErrorsHigh',
        severity: 'warning',
        expr: `${k8sClientProblemRecords.updateErrorRatio} > ${threshold}`,
        summary: 'A MetalLB component fails to update Kubernetes objects.',
        description: `{{ $value | humanizePercentage }} of the Kubernetes object updates of {{ $labels.pod }} (job {{ $labels.job }})${inCluster(cfg)} failed over the last 5 minutes (threshold ${percentText(threshold)}): check the API server and MetalLB's RBAC.`,
      },
    ],
  };
}
