import type { MixinConfig } from '../mixin/config/schema.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { announcementAlerts } from '../rules/announcements.js';
import { bfdAlerts, bgpAlerts } from '../rules/bgp.js';
import { componentAlerts } from '../rules/components.js';
import { controllerHealthAlerts, layer2AnnouncerAlerts } from '../rules/controller-health.js';
import { configAlerts, k8sClientAlerts } from '../rules/k8s-client.js';
import { poolAlerts } from '../rules/pools.js';

/**
 * Every alert group, in the order they appear in prometheus_alerts.yaml. Each alert is defined in
 * rules/<area>.ts beside the recorded series it reads (`records.bgp.sessionsDown` and
 * MetalLBBGPSessionDown in rules/bgp.ts); its descriptions share the phrases of alerts/templates.ts.
 */
export function alertGroups(cfg: MixinConfig): AlertGroupDefinition[] {
  return [
    poolAlerts(cfg),
    configAlerts(cfg),
    k8sClientAlerts(cfg),
    bgpAlerts(cfg),
    bfdAlerts(cfg),
    announcementAlerts(cfg),
    componentAlerts(cfg),
    controllerHealthAlerts(cfg),
    layer2AnnouncerAlerts(cfg),
  ];
}
