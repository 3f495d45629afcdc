/**
 * Prometheus text exposition (format 0.0.4) of simulated series, as a scrape answer. Every
 * family's type and help come from the mixin's metric catalogue, so the simulator cannot serve a
 * name the mixin does not know: a typo here fails the scrape-side test instead of passing silently.
 */
import { lookupMetric, type MetricType } from '../../mixin/catalogue.js';
import type { Labels } from './model.js';
import type { SimSeries } from './series.js';

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="x",b="y"}`, or nothing for no labels; values escaped as both text formats want. */
export function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

interface Family {
  readonly type: MetricType;
  readonly help: string;
  readonly lines: string[];
}

/**
 * The exposition of `series` at `tick`: the metric's own labels only (Prometheus adds the
 * target's), families with no sample left out as client libraries do for vectors, and `up`,
 * which Prometheus records itself, never served.
 */
export function renderExposition(series: readonly Pick<SimSeries, 'name' | 'labels' | 'values'>[], tick: number): string {
  const families = new Map<string, Family>();
  for (const s of series) {
    if (s.name === 'up') continue;
    const known = lookupMetric(s.name);
    if (!known) throw new Error(`the simulator serves ${s.name}, which the metric catalogue does not know`);
    const value = s.values[tick];
    if (value === undefined || Number.isNaN(value)) continue;
    let family = families.get(known.entry.name);
    if (!family) families.set(known.entry.name, (family = { type: known.entry.type, help: known.entry.help, lines: [] }));
    family.lines.push(`${s.name}${formatLabels(s.labels)} ${formatValue(value)}`);
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    out.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    out.push(`# TYPE ${name} ${f.type}`);
    out.push(...f.lines);
  }
  return out.join('\n') + '\n';
}
