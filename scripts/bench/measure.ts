import { expandResolved } from '../../mixin/grafana/expand.js';
import { readDashboard } from '../../mixin/grafana/model.js';
import type { VectorSample } from '../../test/harness/prometheus-api.js';
import type { PrometheusServer } from '../../test/harness/prometheus.js';
import { resolvableVariables, resolveVariable, variableMap, type VariableOptionsSource, type VariableValue } from '../../test/harness/variables.js';
import { builtinVariables, panelTargets, type GrafanaSettings } from './grafana.js';
import type { DashboardQueries, QuerySet, Source } from './queries.js';
import { median } from './stats.js';
import { timedQuery, timedRangeQuery, type TimedResult } from './timed-query.js';

/** One query the bench sends. */
interface Query {
  readonly source: Source;
  /** `alerts`, `rules`, or the dashboard file. */
  readonly file: string;
  /** The alert or record name, or the panel title. */
  readonly name: string;
  readonly refId?: string;
  readonly mode: 'instant' | 'range';
  readonly expr: string;
}

/** One query as sent, with the median of its repeated runs. */
export interface Measured extends Query {
  /** Prometheus's own execution time (`stats.timings.execTotalTime`), median, ms. */
  readonly execMs: number;
  /** The client's wall time for the request, median, ms. */
  readonly clientMs: number;
  readonly series: number;
  /** Samples Prometheus loaded (`stats.samples.totalQueryableSamples`): cost that does not depend on the machine. */
  readonly samples: number;
  readonly error?: string;
  /** Evaluations per minute of a rule (undefined for dashboard queries). */
  readonly perMinute?: number;
}

export interface VariableLoad {
  readonly source: Source;
  readonly file: string;
  readonly name: string;
  readonly options: number;
  /** What the variable expanded to in the queries (shortened). */
  readonly value: string;
  readonly clientMs: number;
}

export interface Measurement {
  readonly queries: Measured[];
  readonly variables: VariableLoad[];
}

export interface MeasureOptions {
  readonly repeat: number;
  /** Evaluation time of instant queries and end of the dashboard range, unix seconds. */
  readonly time: number;
  readonly grafana: GrafanaSettings;
  /** The value the `cluster` variable is set to: the cluster a user opens. */
  readonly cluster: string;
  readonly clusterVariable: string;
}

interface Planned extends Query {
  /** Range queries: Grafana's step, seconds. */
  readonly step?: number;
  readonly perMinute?: number;
}

const shorten = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Asks Prometheus for a variable's options `repeat` times, as the queries are, and keeps the
 * median wall time of the lookups since the last `take()`.
 */
class TimedOptions implements VariableOptionsSource {
  private times: number[] = [];

  constructor(
    private readonly prom: PrometheusServer,
    private readonly repeat: number,
  ) {}

  private async timed<T>(ask: () => Promise<T>): Promise<T> {
    let answer: T | undefined;
    for (let r = 0; r < this.repeat; r++) {
      const started = performance.now();
      answer = await ask();
      this.times.push(performance.now() - started);
    }
    return answer as T;
  }

  labelValues(label: string, matchers: readonly string[], start: number, end: number): Promise<string[]> {
    return this.timed(() => this.prom.labelValues(label, matchers, start, end));
  }

  queryVector(expr: string, time: number): Promise<VectorSample[]> {
    return this.timed(() => this.prom.queryVector(expr, time));
  }

  /** Median ms of the lookups since the last call (0 when there were none: a static variable). */
  take(): number {
    const times = this.times;
    this.times = [];
    return times.length > 0 ? median(times) : 0;
  }
}

async function planDashboard(prom: PrometheusServer, spec: DashboardQueries, opts: MeasureOptions): Promise<{ planned: Planned[]; loads: VariableLoad[] }> {
  const source = new TimedOptions(prom, opts.repeat);
  const range = { end: opts.time, window: opts.grafana.rangeSeconds };
  const lookupBuiltins = builtinVariables(opts.grafana.scrapeSeconds, opts.grafana);
  const resolved = new Map<string, VariableValue>();
  const loads: VariableLoad[] = [];
  // The variables in order, as a dashboard load resolves them; the cluster one set to the cluster a user opens.
  for (const variable of resolvableVariables(spec.json)) {
    const chosen = variable.name === opts.clusterVariable ? opts.cluster : undefined;
    const value = await resolveVariable(variable, source, lookupBuiltins, resolved, range, chosen);
    resolved.set(variable.name, value);
    loads.push({ source: spec.source, file: spec.file, name: variable.name, options: value.options.length, value: shorten(value.rendered), clientMs: source.take() });
  }
  const planned: Planned[] = [];
  for (const target of panelTargets(readDashboard(spec.json), opts.grafana)) {
    const expr = expandResolved(target.expr, variableMap(builtinVariables(target.step, opts.grafana), resolved));
    const base = { source: spec.source, file: spec.file, name: target.panel, refId: target.refId, expr };
    if (target.range) planned.push({ ...base, mode: 'range', step: target.step });
    if (target.instant) planned.push({ ...base, mode: 'instant' });
  }
  return { planned, loads };
}

function run(prom: PrometheusServer, q: Planned, opts: MeasureOptions): Promise<TimedResult> {
  if (q.mode === 'instant' || q.step === undefined) return timedQuery(prom, q.expr, opts.time);
  // Grafana aligns the range to the step.
  const end = Math.floor(opts.time / q.step) * q.step;
  const start = Math.floor((opts.time - opts.grafana.rangeSeconds) / q.step) * q.step;
  return timedRangeQuery(prom, q.expr, start, end, q.step);
}

/**
 * Runs every query of every set `repeat` times, one at a time. The repeats are the outer loop, so
 * that whatever else the machine does at some moment weighs on ours and the seed's alike.
 */
export async function measure(prom: PrometheusServer, sets: readonly QuerySet[], opts: MeasureOptions, progress: (line: string) => void): Promise<Measurement> {
  const planned: Planned[] = [];
  const variables: VariableLoad[] = [];
  for (const set of sets) {
    for (const r of set.rules) planned.push({ source: r.source, file: r.file, name: r.name, mode: 'instant', expr: r.expr, perMinute: r.perMinute });
    for (const d of set.dashboards) {
      const plan = await planDashboard(prom, d, opts);
      planned.push(...plan.planned);
      variables.push(...plan.loads);
    }
  }
  const runs: TimedResult[][] = planned.map(() => []);
  for (let r = 0; r < opts.repeat; r++) {
    const started = performance.now();
    for (const [i, q] of planned.entries()) (runs[i] as TimedResult[]).push(await run(prom, q, opts));
    progress(`  pass ${r + 1}/${opts.repeat}: ${planned.length} queries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const queries = planned.map((q, i): Measured => {
    const results = runs[i] as TimedResult[];
    const last = results[results.length - 1] as TimedResult;
    const failed = results.find((x) => !x.ok);
    return {
      source: q.source,
      file: q.file,
      name: q.name,
      ...(q.refId !== undefined ? { refId: q.refId } : {}),
      mode: q.mode,
      expr: q.expr,
      execMs: median(results.map((x) => x.stats?.execMs ?? NaN)),
      clientMs: median(results.map((x) => x.clientMs)),
      series: last.series,
      samples: last.stats?.samples ?? 0,
      ...(failed ? { error: failed.error ?? 'failed' } : {}),
      ...(q.perMinute !== undefined ? { perMinute: q.perMinute } : {}),
    };
  });
  return { queries, variables };
}
