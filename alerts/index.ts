import type { MixinConfig } from '../mixin/config/schema.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { bgpAlerts } from './bgp.js';

/** Every alert group, in the order they appear in prometheus_alerts.yaml. */
export function alertGroups(cfg: MixinConfig): AlertGroupDefinition[] {
  return [bgpAlerts(cfg)];
}
