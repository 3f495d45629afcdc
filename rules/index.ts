import type { MixinConfig } from '../mixin/config/schema.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { announcementRules } from './announcements.js';
import { bgpRules } from './bgp.js';
import { componentRules } from './components.js';
import { k8sClientRules } from './k8s-client.js';
import { layer2Rules } from './layer2.js';
import { poolRules } from './pools.js';

/**
 * Every recording rule group, in the order they appear in prometheus_rules.yaml.
 *
 * The rules serve the dashboards, where one series per cluster, pool, peer or component replaces
 * thousands, and the alerts whose raw inputs grow with nodes x services (announcements): those
 * alerts lag one evaluation behind the raw series, and need prometheus_rules.yaml loaded too (the
 * promtool tests evaluate the recording groups first, with `group_eval_order`).
 */
export function recordingGroups(cfg: MixinConfig): RuleGroup<RecordingRule>[] {
  return [poolRules(cfg), bgpRules(cfg), k8sClientRules(cfg), announcementRules(cfg), layer2Rules(cfg), componentRules(cfg)].filter((g) => g.rules.length > 0);
}
