import type { MixinConfig } from '../mixin/config/schema.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { announcementRules } from './announcements.js';
import { bgpRules } from './bgp.js';
import { k8sClientRules } from './k8s-client.js';
import { poolRules } from './pools.js';

/**
 * Every recording rule group, in the order they appear in prometheus_rules.yaml.
 *
 * The alerts read raw series, not these rules: Prometheus evaluates rule groups independently
 * (and promtool in no fixed order), so an alert on a recorded series would lag one evaluation
 * behind and go blind wherever only the alerts file is loaded. The rules serve the dashboards,
 * where one series per cluster or pool replaces thousands.
 */
export function recordingGroups(cfg: MixinConfig): RuleGroup<RecordingRule>[] {
  return [poolRules(cfg), bgpRules(cfg), k8sClientRules(cfg), announcementRules(cfg)].filter((g) => g.rules.length > 0);
}
