import { readDashboard, type GrafanaDashboard } from '../../mixin/grafana/model.js';
import { filterOptions, interpolate, optionsQuery, panelTargets, variableQueryText, variableText, type GrafanaSettings } from './grafana.js';
import type { PrometheusServer, QueryResult } from './prometheus.js';
import type { DashboardSpec, QuerySet, Source } from './queries.js';
import { median } from './stats.js';

/** One query as sent, with the median of its repeated runs. */
export interface Measured {
  readonly source: Source;
  /** `alerts`, `rules`, or the dashboard file. */
  readonly file: string;
  /** The alert or record name, or the panel title. */
  readonly name: string;
  readonly refId?: string;
  readonly mode: 'instant' | 'range';
  readonly expr: string;
  /** Prometheus's own execution time (`stats.timings.execTotalTime`), median, ms. */
  readonly execMs: number;
  /** The client's wall time for the request, median, ms. */
  readonly clientMs: number;
  readonly series: number;
  /** Samples Prometheus loaded (`stats.samples.totalQueryableSamples`): cost that does not depend on the machine. */
  readonly samples: number;
  readonly error?: string;
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

interface Planned {
  readonly source: Source;
  readonly file: string;
  readonly name: string;
  readonly refId?: string;
  readonly mode: 'instant' | 'range';
  readonly expr: string;
  readonly step?: number;
}

const shorten = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Resolves a dashboard's variables against Prometheus, in order, as a dashboard load does. */
async function resolveVariables(
  prom: PrometheusServer,
  spec: DashboardSpec,
  dashboard: GrafanaDashboard,
  opts: MeasureOptions,
): Promise<{ values: Map<string, string>; loads: VariableLoad[] }> {
  const values = new Map<string, string>();
  const loads: VariableLoad[] = [];
  const start = opts.time - opts.grafana.rangeSeconds;
  for (const variable of dashboard.variables) {
    if (variable.type === 'datasource' || variable.type === 'adhoc' || !variable.name) continue;
    const query = optionsQuery(variable, interpolate(variableQueryText(variable), values, opts.grafana.scrapeSeconds, opts.grafana));
    let options: string[] = [];
    const times: number[] = [];
    for (let r = 0; r < opts.repeat; r++) {
      if (query.kind === 'labelValues') {
        const res = await prom.labelValues(query.label, query.match, start, opts.time);
        options = res.values;
        times.push(res.clientMs);
      } else if (query.kind === 'queryResult') {
        const res = await prom.queryResultLines(query.expr, opts.time);
        options = res.lines;
        times.push(res.clientMs);
      } else {
        options = [...query.values];
      }
    }
    options = filterOptions(options, variable.regex);
    const text = variable.name === opts.clusterVariable ? opts.cluster : variableText(variable, options);
    values.set(variable.name, text);
    loads.push({ source: spec.source, file: spec.file, name: variable.name, options: options.length, value: shorten(text), clientMs: times.length ? median(times) : 0 });
  }
  return { values, loads };
}

async function planDashboard(prom: PrometheusServer, spec: DashboardSpec, opts: MeasureOptions): Promise<{ planned: Planned[]; loads: VariableLoad[] }> {
  const dashboard = readDashboard(spec.json);
  const { values, loads } = await resolveVariables(prom, spec, dashboard, opts);
  const planned: Planned[] = [];
  for (const target of panelTargets(dashboard, opts.grafana)) {
    const expr = interpolate(target.expr, values, target.step, opts.grafana);
    const base = { source: spec.source, file: spec.file, name: target.panel, refId: target.refId, expr };
    if (target.range) planned.push({ ...base, mode: 'range', step: target.step });
    if (target.instant) planned.push({ ...base, mode: 'instant' });
  }
  return { planned, loads };
}

function run(prom: PrometheusServer, q: Planned, opts: MeasureOptions): Promise<QueryResult> {
  if (q.mode === 'instant' || q.step === undefined) return prom.query(q.expr, opts.time);
  // Grafana aligns the range to the step.
  const end = Math.floor(opts.time / q.step) * q.step;
  const start = Math.floor((opts.time - opts.grafana.rangeSeconds) / q.step) * q.step;
  return prom.queryRange(q.expr, start, end, q.step);
}

/**
 * Runs every query of every set `repeat` times, one at a time. The repeats are the outer loop, so
 * that whatever else the machine does at some moment weighs on ours and the seed's alike.
 */
export async function measure(prom: PrometheusServer, sets: readonly QuerySet[], opts: MeasureOptions, progress: (line: string) => void): Promise<Measurement> {
  const planned: Planned[] = [];
  const variables: VariableLoad[] = [];
  for (const set of sets) {
    for (const r of set.rules) planned.push({ source: r.source, file: r.file, name: r.name, mode: 'instant', expr: r.expr });
    for (const d of set.dashboards) {
      const plan = await planDashboard(prom, d, opts);
      planned.push(...plan.planned);
      variables.push(...plan.loads);
    }
  }
  const runs: QueryResult[][] = planned.map(() => []);
  for (let r = 0; r < opts.repeat; r++) {
    const started = performance.now();
    for (const [i, q] of planned.entries()) (runs[i] as QueryResult[]).push(await run(prom, q, opts));
    progress(`  pass ${r + 1}/${opts.repeat}: ${planned.length} queries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const queries = planned.map((q, i): Measured => {
    const results = runs[i] as QueryResult[];
    const last = results[results.length - 1] as QueryResult;
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
    };
  });
  return { queries, variables };
}
