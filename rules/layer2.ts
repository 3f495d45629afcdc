import type { Query } from '../mixin/promql/query.js';
import { defineRecord, type RecordGroup } from './record.js';

const panel = (title: string) => `metallb-layer2/${title}`;

/** The 5-minute rate of a speakers' ARP/NDP counter per speaker (`instance`, the node's address). */
const perSpeaker = (q: Query, counter: string) => `sum by (${q.by('instance')}) (rate(${q.metric(counter)}[5m]))`;

const requests = defineRecord({
  name: 'cluster_instance:metallb_layer2_requests_received:rate5m',
  kind: 'aggregate',
  readBy: [panel('Requests and responses by node'), panel('Unanswered requests by node')],
  expr: (q) => perSpeaker(q, 'metallb_layer2_requests_received'),
});

const responses = defineRecord({
  name: 'cluster_instance:metallb_layer2_responses_sent:rate5m',
  kind: 'aggregate',
  readBy: [panel('Requests and responses by node'), panel('Unanswered requests by node')],
  // A speaker whose every reply failed has no responses series (a counter appears on its first
  // increment): it records 0 there, so requests minus responses shows that speaker too. The
  // requests come from the record above (same group, same timestamp), not read again.
  expr: (q) => `${perSpeaker(q, 'metallb_layer2_responses_sent')}\nor\n${requests.name} * 0`,
});

const gratuitous = defineRecord({
  name: 'cluster_instance:metallb_layer2_gratuitous_sent:rate5m',
  kind: 'aggregate',
  readBy: [panel('Gratuitous packets by node')],
  expr: (q) => perSpeaker(q, 'metallb_layer2_gratuitous_sent'),
});

/**
 * ARP/NDP rates per speaker: the raw counters have one series per speaker and address ever
 * announced (MetalLB never deletes them), so the layer-2 dashboard reads these instead and ranks
 * them over the whole time range cheaply. There is no per-address record: it would keep one
 * series per address the speakers announced since they started (about 3,100 per counter in the
 * 1,000-node benchmark).
 */
export const layer2 = { requests, responses, gratuitous };

export const layer2Records: RecordGroup = { name: 'metallb-layer2-slow-rules', slow: true, records: () => Object.values(layer2) };
