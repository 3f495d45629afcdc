import type { MixinConfig } from '../mixin/config/schema.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { announcementAlerts } from './announcements.js';
import { bfdAlerts } from './bfd.js';
import { bgpAlerts } from './bgp.js';
import { componentAlerts } from './components.js';
import { configAlerts } from './config.js';
import { k8sClientAlerts } from './k8s-client.js';
import { poolAlerts } from './pools.js';

/** Every alert group, in the order they appear in prometheus_alerts.yaml. */
export function alertGroups(cfg: MixinConfig): AlertGroupDefinition[] {
  return [
    poolAlerts(cfg),
    configAlerts(cfg),
    k8sClientAlerts(cfg),
    bgpAlerts(cfg),
    bfdAlerts(cfg),
    announcementAlerts(cfg),
    componentAlerts(cfg),
  ];
}
