import { describe, expect, it } from 'vitest';
import { catalogue } from '../mixin/catalogue.js';

// Metric types, written out from the metric reference (its key facts 3 and 4: `_total` gauges,
// counters without `_total`); `npm run check-reference` compares the whole catalogue with it.
const writtenTypes: Readonly<Record<string, 'counter' | 'gauge'>> = {
  metallb_allocator_addresses_total: 'gauge',
  metallb_allocator_addresses_in_use_total: 'gauge',
  metallb_bgp_announced_prefixes_total: 'gauge',
  metallb_bgp_pending_prefixes_total: 'gauge',
  metallb_bgp_session_up: 'gauge',
  frrk8s_bgp_session_up: 'gauge',
  metallb_layer2_requests_received: 'counter',
  metallb_bgp_opens_sent: 'counter',
  metallb_bfd_session_down_events: 'counter',
  metallb_k8s_client_updates_total: 'counter',
  metallb_speaker_announced: 'gauge',
};

describe('metric catalogue', () => {
  it.each(Object.entries(writtenTypes))('%s is a %s', (name, type) => {
    expect(catalogue.get(name)?.type).toBe(type);
  });

  it('leaves out metallb_allocator_services_allocated_total, which MetalLB registers but never sets', () => {
    expect(catalogue.has('metallb_allocator_services_allocated_total')).toBe(false);
  });
});
