import type { MixinConfig } from '../mixin/config/schema.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { announcementRecords, announcementSlowRecords, announcements } from './announcements.js';
import { bgp, bgpDashboardRecords, bgpFlapRecords, bgpRecords } from './bgp.js';
import { componentRecords, components } from './components.js';
import { controllerHealth, controllerHealthRecords, controllerHealthSlowRecords } from './controller-health.js';
import { k8sClient, k8sClientDashboardRecords, k8sClientRecords } from './k8s-client.js';
import { layer2, layer2Records } from './layer2.js';
import { poolRecords, pools } from './pools.js';
import { ruleGroup, type RecordGroup } from './record.js';

/**
 * Every recorded series, by area: `records.bgp.sessionsDown` is declared in rules/bgp.ts with its
 * expression and the alerts and panels that read it.
 */
export const records = { pools, bgp, k8sClient, announcements, layer2, components, controllerHealth };

/**
 * The recording rule groups: at Prometheus's evaluation interval, then every `mediumRulesInterval`,
 * then the slow ones (`slowRulesInterval`).
 */
export const recordGroups: readonly RecordGroup[] = [
  poolRecords,
  bgpRecords,
  bgpFlapRecords,
  k8sClientRecords,
  announcementRecords,
  controllerHealthRecords,
  bgpDashboardRecords,
  k8sClientDashboardRecords,
  announcementSlowRecords,
  layer2Records,
  componentRecords,
  controllerHealthSlowRecords,
];

/**
 * Every recording rule group, in the order they appear in prometheus_rules.yaml. Alerts that read
 * a record lag it by at most one evaluation, and need prometheus_rules.yaml loaded too (the
 * promtool tests evaluate the recording groups first, with `group_eval_order`).
 */
export function recordingGroups(cfg: MixinConfig): RuleGroup<RecordingRule>[] {
  return recordGroups.map((g) => ruleGroup(g, cfg)).filter((g) => g.rules.length > 0);
}
