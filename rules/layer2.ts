import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** The speakers' ARP/NDP counters (each carries `ip`; the speaker's node address is `instance`). */
export const layer2Counters = ['metallb_layer2_requests_received', 'metallb_layer2_responses_sent', 'metallb_layer2_gratuitous_sent'] as const;
export type Layer2Counter = (typeof layer2Counters)[number];

/** The recorded 5-minute rate of a layer-2 counter, per speaker (`instance`) or per service address (`ip`). */
export function layer2RateRecord(counter: Layer2Counter, by: 'instance' | 'ip'): string {
  return `cluster_${by}:${counter}:rate5m`;
}

/**
 * ARP/NDP rates per speaker and per address: the raw counters have one series per speaker and
 * address ever announced (MetalLB never deletes them), so the layer-2 dashboard reads these
 * instead and ranks them over the whole time range cheaply.
 */
export function layer2Rules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  return {
    name: 'metallb-layer2-rules',
    rules: layer2Counters.flatMap((counter) =>
      (['instance', 'ip'] as const).map((by) => ({
        record: layer2RateRecord(counter, by),
        expr: `sum by (${q.by(by)}) (rate(${q.metric(counter)}[5m]))`,
      })),
    ),
  };
}
