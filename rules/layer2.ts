import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** The speakers' ARP/NDP counters (each carries `ip`; the speaker's node address is `instance`). */
export const layer2Counters = ['metallb_layer2_requests_received', 'metallb_layer2_responses_sent', 'metallb_layer2_gratuitous_sent'] as const;
export type Layer2Counter = (typeof layer2Counters)[number];

/** The recorded 5-minute rate of a layer-2 counter per speaker (`instance`, the node's address). */
export function layer2RateRecord(counter: Layer2Counter): string {
  return `cluster_instance:${counter}:rate5m`;
}

/**
 * ARP/NDP rates per speaker: the raw counters have one series per speaker and address ever
 * announced (MetalLB never deletes them), so the layer-2 dashboard reads these instead and ranks
 * them over the whole time range cheaply. There is no per-address record: it would keep one
 * series per address the speakers announced since they started (about 3,100 per counter in the
 * 1,000-node benchmark).
 */
export function layer2Rules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const perSpeaker = (counter: Layer2Counter) => `sum by (${q.by('instance')}) (rate(${q.metric(counter)}[5m]))`;
  return {
    name: 'metallb-layer2-rules',
    rules: layer2Counters.map((counter) => ({
      record: layer2RateRecord(counter),
      // A speaker whose every reply failed has no responses series (a counter appears on its first
      // increment): it records 0 there, so requests minus responses shows that speaker too.
      expr: counter === 'metallb_layer2_responses_sent' ? `${perSpeaker(counter)}\nor\n${perSpeaker('metallb_layer2_requests_received')} * 0` : perSpeaker(counter),
    })),
  };
}
