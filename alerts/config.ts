import type { MixinConfig } from '../mixin/config/schema.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { k8sClientProblemRecords } from '../rules/k8s-client.js';
import { inCluster } from './templates.js';

/**
 * Configuration state of the controller, every speaker and every frr-k8s pod. The recording rules
 * read every pod once and keep the pods in trouble with all their labels, so these alerts name the
 * same pod, job and namespace as the raw gauges would.
 */
export function configAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const who = `{{ $labels.pod }} (job {{ $labels.job }}, namespace {{ $labels.namespace }})${inCluster(cfg)}`;
  return {
    name: 'metallb-config',
    alerts: [
      {
        alert: 'MetalLBConfigStale',
        severity: 'warning',
        expr: `${k8sClientProblemRecords.configStale} > 0`,
        summary: 'A MetalLB component runs on a stale configuration.',
        description: `${who} failed to load the latest configuration and still runs on the previous one: recent changes to pools, peers or advertisements are not applied.`,
      },
      {
        alert: 'MetalLBConfigNotLoaded',
        severity: 'warning',
        expr: `${k8sClientProblemRecords.configNotLoaded} > 0`,
        summary: 'A MetalLB component has never loaded its configuration.',
        description: `${who} has not loaded its configuration once since it started: it allocates or announces nothing.`,
      },
    ],
  };
}
