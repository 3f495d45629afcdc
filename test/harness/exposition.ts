/**
 * Prometheus text exposition (format 0.0.4) of the simulated targets. Every family's type and help
 * come from the mixin's metric catalogue, so the simulator cannot serve a name or type the mixin
 * does not know: a typo here fails the scrape-side test instead of passing silently.
 */
import { lookupMetric, type MetricType } from '../../mixin/catalogue.js';

export type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly type: MetricType;
  readonly help: string;
  readonly lines: string[];
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Collects samples by family and renders them with `# HELP` and `# TYPE` lines. */
export class Exposition {
  private readonly families = new Map<string, Family>();

  private family(name: string): Family {
    let f = this.families.get(name);
    if (f) return f;
    const known = lookupMetric(name);
    if (!known) throw new Error(`the simulator serves ${name}, which the metric catalogue does not know`);
    if (known.entry.name !== name) throw new Error(`${name}: add histogram samples through histogram()`);
    f = { type: known.entry.type, help: known.entry.help, lines: [] };
    this.families.set(name, f);
    return f;
  }

  /** One counter or gauge sample. */
  sample(name: string, labels: Labels, value: number): this {
    const f = this.family(name);
    if (f.type === 'histogram') throw new Error(`${name} is a histogram: use histogram()`);
    f.lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
    return this;
  }

  /** A histogram from cumulative bucket counts (upper bound → count) and its sum. */
  histogram(name: string, labels: Labels, buckets: ReadonlyMap<number, number>, sum: number): this {
    const f = this.family(name);
    if (f.type !== 'histogram') throw new Error(`${name} is a ${f.type}, not a histogram`);
    const bounds = [...buckets.keys()].sort((a, b) => a - b);
    let count = 0;
    for (const le of bounds) {
      count = buckets.get(le) ?? count;
      f.lines.push(`${name}_bucket${formatLabels({ ...labels, le: formatValue(le) })} ${count}`);
    }
    f.lines.push(`${name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${count}`);
    f.lines.push(`${name}_sum${formatLabels(labels)} ${formatValue(sum)}`);
    f.lines.push(`${name}_count${formatLabels(labels)} ${count}`);
    return this;
  }

  /** The exposition text; families with no samples are left out, as client libraries do for vectors. */
  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      if (f.lines.length === 0) continue;
      out.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      out.push(`# TYPE ${name} ${f.type}`);
      out.push(...f.lines);
    }
    return out.join('\n') + '\n';
  }
}
