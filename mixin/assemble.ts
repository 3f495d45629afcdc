import { alertGroups } from '../alerts/index.js';
import { recordingGroups } from '../rules/index.js';
import { dashboardSet } from '../dashboards/index.js';
import type { MixinConfig } from './config/schema.js';
import { applyAlertSettings } from './passes/alerts.js';
import { applyDashboardSettings } from './passes/dashboards.js';
import type { Mixin } from './types.js';

/** The whole mixin as data: alerts, recording rules and dashboards, with every pass applied. */
export function assembleMixin(cfg: MixinConfig): Mixin {
  return {
    prometheusAlerts: { groups: applyAlertSettings(alertGroups(cfg), cfg) },
    prometheusRules: { groups: recordingGroups(cfg) },
    grafanaDashboards: applyDashboardSettings(dashboardSet(cfg), cfg),
  };
}
