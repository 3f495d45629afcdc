import { describe, expect, it } from 'vitest';
import { lookupMetric } from '../mixin/catalogue.js';
import { readDashboard } from '../mixin/grafana/model.js';
import { MetalLBSimulator } from './harness/simulator.js';
import { filterOptions, selectValue } from './harness/variables.js';

/** `name{labels} value` lines of an exposition, as a map from the series to its value. */
function samples(exposition: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('the simulator', () => {
  it('serves counters that never go down while the timeline grows, through scenario steps', async () => {
    const sim = await MetalLBSimulator.start({ install: 'helm', bgpMode: 'frr-k8s' });
    try {
      const speaker = '/c/kind/speaker/worker-1';
      const frr = '/c/kind/frr-k8s/worker-1/frr-metrics';
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await pause(1_200);
      const before = { speaker: samples(sim.scrape(speaker) ?? ''), frr: samples(sim.scrape(frr) ?? '') };
      sim.setPeerSession('worker-1', '172.18.10.250', false);
      sim.fillPool('tenant-a');
      // A step takes effect from the next tick (one second).
      await pause(2_200);
      const after = { speaker: samples(sim.scrape(speaker) ?? ''), frr: samples(sim.scrape(frr) ?? '') };
      for (const side of ['speaker', 'frr'] as const) {
        for (const [series, value] of before[side]) {
          // Counters by the catalogue's word: MetalLB names some gauges `*_total`.
          if (lookupMetric(series.split('{')[0] ?? series)?.seriesType !== 'counter') continue;
          expect(after[side].get(series), series).toBeGreaterThanOrEqual(value);
        }
      }
      // The dropped session: down on both BGP and BFD, the other peer still up.
      expect(after.frr.get('frrk8s_bgp_session_up{peer="172.18.10.250",vrf="default"}')).toBe(0);
      expect(after.frr.get('frrk8s_bfd_session_up{peer="172.18.10.250",vrf="default"}')).toBe(0);
      expect(after.frr.get('frrk8s_bgp_session_up{peer="172.18.10.251",vrf="default"}')).toBe(1);
      // tenant-a (8 addresses, 5 in use) filled up by three layer-2 Services, one per new address.
      const controller = samples(sim.scrape('/c/kind/controller/0') ?? '');
      expect(controller.get('metallb_allocator_addresses_in_use_total{pool="tenant-a"}')).toBe(8);
      expect(controller.get('metallb_allocator_addresses_total{pool="tenant-a"}')).toBe(8);
      expect(
        after.speaker.get('metallb_speaker_announced{service="fill/tenant-a-0",protocol="layer2",node="worker-1",ip="192.168.10.37"}'),
      ).toBe(1);
    } finally {
      await sim.stop();
    }
  });

  it('answers the same for the same tick, whoever asked before', async () => {
    const [a, b] = await Promise.all([MetalLBSimulator.start({ bgpMode: 'native' }), MetalLBSimulator.start({ bgpMode: 'native' })]);
    try {
      const at = (sim: MetalLBSimulator, ms: number) =>
        sim.scrape('/c/kind/speaker/worker-2', (sim as unknown as { startedAt: number }).startedAt + ms);
      at(a, 3_000);
      at(a, 9_000);
      expect(at(a, 20_000)).toBe(at(b, 20_000));
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe("Grafana's variable regex, one rule for the harness and the bench", () => {
  it('keeps the first capture group, drops what does not match, and removes duplicates', () => {
    expect(filterOptions(['10.0.0.1:9120', '10.0.0.2:9120', '10.0.0.1:9121', '[fd00::1]:9120'], '/^(.+?)(?::[0-9]+)?$/')).toEqual([
      '10.0.0.1',
      '10.0.0.2',
      '[fd00::1]',
    ]);
    expect(filterOptions(['up{peer="10.0.0.1"} 1 1700000000000', 'up{vrf="red"} 1 1700000000000'], '/peer="([^"]+)"/')).toEqual([
      '10.0.0.1',
    ]);
  });

  it('keeps the whole option when the regex has no group, and a named group `value` before the first', () => {
    expect(filterOptions(['metallb-speaker-x', 'metallb-controller-y'], '/speaker/')).toEqual(['metallb-speaker-x']);
    expect(filterOptions(['a=1;b=2'], '/(?<text>a=\\d);b=(?<value>\\d)/')).toEqual(['2']);
  });

  it('anchors a regex written without slashes, as Grafana does', () => {
    expect(filterOptions(['west', 'west-1', 'northwest'], 'west.*')).toEqual(['west', 'west-1']);
  });

  it('selects the saved value while offered, else All where the variable has it, else the first option', () => {
    const [pool, cluster] = readDashboard({
      templating: {
        list: [
          { name: 'pool', type: 'query', multi: true, includeAll: true, allValue: '.+', current: { value: 'gold' } },
          { name: 'cluster', type: 'query' },
        ],
      },
    }).variables;
    if (!pool || !cluster) throw new Error('variables not read');
    expect(selectValue(pool, ['gold', 'silver']).rendered).toBe('gold');
    expect(selectValue(pool, ['silver', 'bronze']).rendered).toBe('.+');
    expect(selectValue(cluster, ['west', 'east']).rendered).toBe('west');
    expect(selectValue(cluster, ['west', 'east'], 'east').rendered).toBe('east');
    expect(() => selectValue(cluster, ['west'], 'east')).toThrow(/offers \["west"\], not east/);
  });
});
