/**
 * A query as the bench measures it: through the one Prometheus client, with Prometheus's own
 * account of its cost (`stats=all`) and the wall time a client sees, including transfer and
 * decoding. A rejected query is a result to report, not a reason to stop.
 */
import { PrometheusApiError } from '../../mixin/doctor/client.js';
import { measuredQuery } from '../../test/harness/prometheus-api.js';
import type { PrometheusServer } from '../../test/harness/prometheus.js';

/** Prometheus's own account of a query (`stats=all`), in milliseconds and samples. */
interface QueryStats {
  readonly execMs: number;
  readonly evalMs: number;
  readonly samples: number;
  readonly peakSamples: number;
}

export interface TimedResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Series returned (vector elements or matrix series). */
  readonly series: number;
  /** Wall time of the request as a client sees it. */
  readonly clientMs: number;
  readonly stats?: QueryStats;
}

type Params = readonly (readonly [string, string])[];

async function timed(prom: PrometheusServer, path: string, params: Params): Promise<TimedResult> {
  const started = performance.now();
  try {
    const data = await prom.client.read(path, [...params, ['stats', 'all']], measuredQuery);
    const clientMs = performance.now() - started;
    const timings = data.stats?.timings;
    const samples = data.stats?.samples;
    return {
      ok: true,
      // A scalar or string result is one value, not a list of series.
      series: data.resultType === 'vector' || data.resultType === 'matrix' ? data.result.length : 1,
      clientMs,
      ...(timings
        ? {
            stats: {
              execMs: (timings.execTotalTime ?? 0) * 1000,
              evalMs: (timings.evalTotalTime ?? 0) * 1000,
              samples: samples?.totalQueryableSamples ?? 0,
              peakSamples: samples?.peakSamples ?? 0,
            },
          }
        : {}),
    };
  } catch (err) {
    if (!(err instanceof PrometheusApiError)) throw err;
    return { ok: false, error: `${err.errorType}: ${err.detail}`, series: 0, clientMs: performance.now() - started };
  }
}

/** An instant query at `time` (unix seconds). */
export function timedQuery(prom: PrometheusServer, expr: string, time: number): Promise<TimedResult> {
  return timed(prom, 'api/v1/query', [
    ['query', expr],
    ['time', String(time)],
  ]);
}

/** A range query, as Grafana sends it for a time series panel. */
export function timedRangeQuery(prom: PrometheusServer, expr: string, start: number, end: number, step: number): Promise<TimedResult> {
  return timed(prom, 'api/v1/query_range', [
    ['query', expr],
    ['start', String(start)],
    ['end', String(end)],
    ['step', String(step)],
  ]);
}
