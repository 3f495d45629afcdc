import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bgpFamilies, bgpMetricName, bgpModes, catalogue, type BgpMode } from '../../mixin/catalogue.js';
import { repoRoot } from '../helpers/cli.js';

/**
 * The catalogue is the one place the mixin (and the simulated exporter) takes metric types from, so
 * `npm run check-reference` checks it against the metric reference, read where it is kept (beside
 * the checkout, or where METALLB_METRICS_REFERENCE points): a wrong type or a missing metric in the
 * catalogue would otherwise pass every other test. Not part of `npm test`, which needs nothing
 * beside the checkout.
 */
const referenceFile = process.env['METALLB_METRICS_REFERENCE'] ?? join(repoRoot, '..', 'shared', 'reference', 'metallb-metrics.md');
if (!existsSync(referenceFile)) {
  throw new Error(`no metric reference at ${referenceFile}: set METALLB_METRICS_REFERENCE to the path of metallb-metrics.md`);
}

type RefType = 'counter' | 'gauge';

interface Section {
  readonly heading: string;
  readonly lines: readonly string[];
}

/** The `###` sections of the reference's metric inventory (`## 1.`), in order. */
function inventorySections(markdown: string): Section[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^## 1\. /.test(l));
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  const sections: { heading: string; lines: string[] }[] = [];
  for (const line of lines.slice(start + 1, end)) {
    if (line.startsWith('### ')) sections.push({ heading: line.slice(4).replaceAll('**', ''), lines: [] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
const backticked = (cell: string) => /^`([a-z][a-z0-9_]*)`$/.exec(cell)?.[1];

interface RefMetric {
  readonly name: string;
  readonly type: RefType;
  /** The help cell or the sentence it was read from. */
  readonly text: string;
}

/**
 * Metrics of one section: table rows whose first cell is a metric name (type from the `Type` column,
 * or from the section's "All of these are **gauges**"), and typed mentions in the prose such as
 * "`frrk8s_k8s_client_updates_total` (counter)" or "`metallb_speaker_announced` is a **gauge**".
 */
function sectionMetrics(section: Section): RefMetric[] {
  const text = section.lines.join('\n');
  const allOf = /All (?:of these )?are \*\*(counter|gauge)s\*\*/.exec(text)?.[1] as RefType | undefined;
  const out: RefMetric[] = [];
  let header: string[] | undefined;
  for (const line of section.lines) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const row = cells(line);
    if (!header) {
      header = row;
      continue;
    }
    const name = backticked(row[0] ?? '');
    if (!name) continue;
    const typeColumn = header.indexOf('Type');
    const type = (typeColumn >= 0 ? row[typeColumn] : allOf) as RefType | undefined;
    if (type !== 'counter' && type !== 'gauge') throw new Error(`${section.heading}: no type for ${name}`);
    out.push({ name, type, text: row.at(-1) ?? '' });
  }
  for (const m of text.matchAll(/`((?:metallb|frrk8s)_[a-z0-9_]+)`\**\s*(?:\((counter|gauge)|is an? \*\*(counter|gauge)\*\*)/g)) {
    out.push({ name: m[1]!, type: (m[2] ?? m[3]) as RefType, text: m[0] });
  }
  return out;
}

const reference = readFileSync(referenceFile, 'utf8');
const sections = inventorySections(reference);
const sectionMatching = (pattern: RegExp): Section => {
  const found = sections.filter((s) => pattern.test(s.heading));
  if (found.length !== 1) throw new Error(`${referenceFile}: expected one section matching ${String(pattern)}, found ${found.length}`);
  return found[0]!;
};

const nativeSection = sectionMatching(/native BGP mode/);
const frrSection = sectionMatching(/FRR mode \(deprecated/);
const frrK8sSection = sectionMatching(/FRR-K8s mode/);
const bgpSections = new Set([nativeSection, frrSection, frrK8sSection]);
const isBgpOrBfd = (name: string) => /^(metallb|frrk8s)_(bgp|bfd)_/.test(name);

/** frr-k8s serves FRR mode's BGP and BFD families under the `frrk8s` namespace, plus what §1.7 adds. */
const frrK8sNote = /same (\d+) BGP and (\d+) BFD metrics as §1\.6 with the \*\*namespace `frrk8s`\*\*/.exec(frrK8sSection.lines.join('\n'));
/** The opt-in metricRelabeling, e.g. "`frrk8s_bgp_(.*)` becomes `metallb_bgp_$1`". */
const relabellings = [...frrK8sSection.lines.join('\n').matchAll(/`frrk8s_([a-z]+)_\(\.\*\)` becomes `metallb_([a-z]+)_\$1`/g)].map(
  (m) => ({ from: `frrk8s_${m[1]!}_`, to: `metallb_${m[2]!}_` }),
);

const frrMetrics = sectionMetrics(frrSection).filter((m) => isBgpOrBfd(m.name));
const frrK8sMetrics: RefMetric[] = [
  ...frrMetrics.map((m) => ({ ...m, name: m.name.replace(/^metallb_/, 'frrk8s_') })),
  ...sectionMetrics(frrK8sSection).filter((m) => isBgpOrBfd(m.name)),
];
const relabel = (name: string) => {
  const rule = relabellings.find((r) => name.startsWith(r.from));
  return rule ? rule.to + name.slice(rule.from.length) : name;
};

/** The BGP/BFD metrics (name → type) the reference gives for each mode. */
const referenceByMode: Record<BgpMode, RefMetric[]> = {
  native: sectionMetrics(nativeSection).filter((m) => isBgpOrBfd(m.name)),
  frr: frrMetrics,
  'frr-k8s': frrK8sMetrics,
  'frr-k8s-relabelled': frrK8sMetrics.map((m) => ({ ...m, name: relabel(m.name) })),
};

/** Every metric of MetalLB's own components: the non-BGP sections plus each mode's families. */
const referenceMetrics: RefMetric[] = [
  ...sections.filter((s) => !bgpSections.has(s)).flatMap(sectionMetrics),
  ...sectionMetrics(frrK8sSection).filter((m) => !isBgpOrBfd(m.name)),
  ...Object.values(referenceByMode).flat(),
];
const referenceTypes = new Map<string, Set<RefType>>();
for (const m of referenceMetrics) referenceTypes.set(m.name, (referenceTypes.get(m.name) ?? new Set()).add(m.type));

/** Registered but never set: the reference says so in its help cell, and the catalogue must leave it out. */
const neverEmitted = (m: RefMetric) => /never `?\.?Set\(\)`?|no series ever/i.test(m.text);

const ownMetric = (name: string) => /^(metallb|frrk8s)_/.test(name);
const catalogueOwn = [...catalogue.values()].filter((e) => ownMetric(e.name));

const sorted = (metrics: readonly { name: string; type: string }[]) => [...new Set(metrics.map((m) => `${m.name} ${m.type}`))].sort();

describe('metric catalogue against the metric reference', () => {
  it('reads the reference: every inventory section, typed rows and the mode notes', () => {
    expect(sections.map((s) => s.heading.split(' ')[0])).toEqual(expect.arrayContaining(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7']));
    expect(referenceTypes.size).toBeGreaterThan(60);
    // One type per name, whichever section or mode states it.
    for (const [name, types] of referenceTypes) expect([...types], name).toHaveLength(1);
    expect(frrK8sNote, 'the note that frr-k8s serves the FRR-mode families').not.toBeNull();
    const [bgp, bfd] = [Number(frrK8sNote![1]), Number(frrK8sNote![2])];
    expect(frrMetrics.filter((m) => m.name.startsWith('metallb_bgp_'))).toHaveLength(bgp);
    expect(frrMetrics.filter((m) => m.name.startsWith('metallb_bfd_'))).toHaveLength(bfd);
    expect(relabellings).toEqual([
      { from: 'frrk8s_bgp_', to: 'metallb_bgp_' },
      { from: 'frrk8s_bfd_', to: 'metallb_bfd_' },
    ]);
  });

  it('lists every MetalLB and frr-k8s metric with the type the reference gives', () => {
    expect(catalogueOwn.length).toBeGreaterThan(40);
    for (const entry of catalogueOwn) {
      const types = referenceTypes.get(entry.name);
      expect(types, `${entry.name} is not in the metric reference`).toBeDefined();
      expect(entry.type, entry.name).toBe([...types!][0]);
    }
  });

  it('lists every metric the reference gives for MetalLB and frr-k8s, except the one never emitted', () => {
    const missing = referenceMetrics.filter((m) => !neverEmitted(m) && !catalogue.has(m.name)).map((m) => m.name);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('leaves out metallb_allocator_services_allocated_total because the reference says it is never set', () => {
    const excluded = referenceMetrics.filter(neverEmitted);
    expect(excluded.map((m) => m.name)).toEqual(['metallb_allocator_services_allocated_total']);
    expect(reference).toMatch(/`metallb_allocator_services_allocated_total` is registered but \*\*never set\*\*/);
    expect(catalogue.has('metallb_allocator_services_allocated_total')).toBe(false);
  });

  it.each(bgpModes)('has exactly the BGP and BFD families of %s mode, with their prefix and type', (mode) => {
    const fromCatalogue = Object.values(bgpFamilies)
      .filter((f) => f.modes.includes(mode))
      .map((f) => ({ name: bgpMetricName(f, mode), type: f.type }));
    expect(sorted(fromCatalogue)).toEqual(sorted(referenceByMode[mode]));
  });

  it('keeps the `_total` gauges gauges and the counters without `_total` counters', () => {
    const totalGauges = referenceMetrics.filter((m) => m.type === 'gauge' && m.name.endsWith('_total'));
    const bareCounters = referenceMetrics.filter((m) => m.type === 'counter' && !m.name.endsWith('_total'));
    // Key facts 3 and 4 of the reference name them; the tables above must agree.
    expect(totalGauges.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'metallb_allocator_addresses_total',
        'metallb_bgp_announced_prefixes_total',
        'metallb_bgp_pending_prefixes_total',
      ]),
    );
    expect(bareCounters.map((m) => m.name)).toEqual(expect.arrayContaining(['metallb_layer2_requests_received', 'metallb_bgp_opens_sent']));
    for (const m of [...totalGauges, ...bareCounters].filter((r) => !neverEmitted(r)))
      expect(catalogue.get(m.name)?.type, m.name).toBe(m.type);
  });
});
