import type { MixinConfig } from '../mixin/config/schema.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { poolRules } from './pools.js';

/** Every recording rule group, in the order they appear in prometheus_rules.yaml. */
export function recordingGroups(cfg: MixinConfig): RuleGroup<RecordingRule>[] {
  return [poolRules(cfg)].filter((g) => g.rules.length > 0);
}
