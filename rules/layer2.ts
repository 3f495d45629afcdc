import { problemRecord } from '../mixin/promql/problems.js';
import type { Query } from '../mixin/promql/query.js';
import { defineRecord, type RecordGroup } from './record.js';

const panel = (title: string) => `metallb-layer2/${title}`;

/** The 5-minute rate of a speakers' ARP/NDP counter per speaker (`instance`, the node's address). */
const perSpeaker = (q: Query, counter: string) => `sum by (${q.by('instance')}) (rate(${q.metric(counter)}[5m]))`;

const requests = defineRecord({
  name: 'cluster_instance:metallb_layer2_requests_received:rate5m',
  kind: 'aggregate',
  readBy: [panel('Requests by node')],
  expr: (q) => perSpeaker(q, 'metallb_layer2_requests_received'),
});

/**
 * Requests minus responses, where a speaker answered fewer requests than it received: replies
 * that failed to send. Healthy speakers answer every request for their addresses, so they are not
 * recorded. A speaker whose every reply failed has no responses series (a counter appears on its
 * first increment): its requests count whole. The requests come from the record above (same
 * group, same timestamp), not read again.
 */
const unanswered = defineRecord({
  name: 'cluster_instance:metallb_layer2_requests_unanswered:rate5m',
  kind: 'problems',
  readBy: [panel('Unanswered requests by node')],
  expr: (q) =>
    problemRecord(
      `${requests.name}\n- (${perSpeaker(q, 'metallb_layer2_responses_sent')} or ${requests.name} * 0)\n> 0`,
      q.clustersScraping('speaker'),
    ),
});

/** Gratuitous packets, where a speaker sent any: it does when it takes addresses over. */
const gratuitous = defineRecord({
  name: 'cluster_instance:metallb_layer2_gratuitous_sent:rate5m',
  kind: 'problems',
  readBy: [panel('Gratuitous packets by node')],
  expr: (q) => problemRecord(`${perSpeaker(q, 'metallb_layer2_gratuitous_sent')} > 0`, q.clustersScraping('speaker')),
});

/**
 * ARP/NDP rates per speaker: the raw counters have one series per speaker and address ever
 * announced (MetalLB never deletes them), so the layer-2 dashboard reads these instead and ranks
 * them over the whole time range cheaply. Only the requests are kept for every speaker; failed
 * replies and gratuitous packets only where there are any, which on a healthy cluster is nowhere
 * or a few nodes (about 1,800 series fewer in the 1,000-node benchmark). There is no per-address
 * record: it would keep one series per address the speakers announced since they started (about
 * 3,100 per counter in the benchmark).
 */
export const layer2 = { requests, unanswered, gratuitous };

export const layer2Records: RecordGroup = { name: 'metallb-layer2-slow-rules', pace: 'slow', records: () => Object.values(layer2) };
