import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnPrometheus, untilReady } from '../../mixin/tools/prometheus.js';

/** Prometheus's own account of a query (`stats=all`), in milliseconds and samples. */
interface QueryStats {
  readonly execMs: number;
  readonly evalMs: number;
  readonly samples: number;
  readonly peakSamples: number;
}

export interface QueryResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Series returned (vector elements or matrix series). */
  readonly series: number;
  /** Wall time of the HTTP request as a client sees it, including transfer and JSON decoding. */
  readonly clientMs: number;
  readonly stats?: QueryStats;
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType?: string;
    result?: unknown[];
    stats?: {
      timings?: { execTotalTime?: number; evalTotalTime?: number };
      samples?: { totalQueryableSamples?: number; peakSamples?: number };
    };
  };
}

/** The real `prometheus` binary serving a backfilled TSDB on 127.0.0.1, queried through its HTTP API. */
export class PrometheusServer {
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.on('error', (err) => (this.log += `spawn failed: ${err.message}\n`));
  }

  /** Starts Prometheus on `dataDir` (no scrape jobs, no rules) and waits until it is ready. */
  static async start(binary: string, dataDir: string, workDir: string): Promise<PrometheusServer> {
    const config = join(workDir, 'prometheus.yml');
    writeFileSync(config, 'global: {}\n');
    const { child, url } = spawnPrometheus({
      binary,
      configFile: config,
      dataDir,
      port: await freePort(),
      // Retention counts back from the newest block, so a fixed date in the past stays queryable.
      flags: ['--storage.tsdb.retention.time=100y', '--log.level=warn'],
    });
    const server = new PrometheusServer(child, url);
    const outcome = await untilReady(child, url, 120_000);
    if (outcome === 'ready') return server;
    if (outcome === 'exited') throw new Error(`prometheus exited with ${child.exitCode}:\n${server.log}`);
    await server.stop();
    throw new Error(`prometheus did not become ready:\n${server.log}`);
  }

  get output(): string {
    return this.log;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** An instant query at `time` (unix seconds). */
  query(expr: string, time: number): Promise<QueryResult> {
    return this.call('/api/v1/query', { query: expr, time: String(time), stats: 'all' });
  }

  /** A range query, as Grafana sends it for a time series panel. */
  queryRange(expr: string, start: number, end: number, step: number): Promise<QueryResult> {
    return this.call('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step), stats: 'all' });
  }

  /** Values of `label` on series matching `match` (what Grafana's `label_values()` variables ask). */
  async labelValues(label: string, match: string | undefined, start: number, end: number): Promise<{ values: string[]; clientMs: number; error?: string }> {
    const params = new URLSearchParams({ start: String(start), end: String(end) });
    if (match) params.append('match[]', match);
    const started = performance.now();
    const response = await fetch(`${this.url}/api/v1/label/${encodeURIComponent(label)}/values?${params}`);
    const body = (await response.json()) as { status: string; error?: string; data?: string[] };
    const clientMs = performance.now() - started;
    if (body.status !== 'success') return { values: [], clientMs, error: body.error ?? `HTTP ${response.status}` };
    return { values: body.data ?? [], clientMs };
  }

  /**
   * An instant query's result as Grafana's `query_result()` variable lists it:
   * `name{a="x",b="y"} value timestamp_ms`, one line per series.
   */
  async queryResultLines(expr: string, time: number): Promise<{ lines: string[]; clientMs: number }> {
    const started = performance.now();
    const response = await fetch(`${this.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr, time: String(time) }),
    });
    const body = (await response.json()) as { data?: { resultType?: string; result?: { metric: Record<string, string>; value: [number, string] }[] } };
    const clientMs = performance.now() - started;
    if (body.data?.resultType !== 'vector') return { lines: [], clientMs };
    const lines = (body.data.result ?? []).map(({ metric, value }) => {
      const { __name__: name = '', ...labels } = metric;
      return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} ${value[1]} ${value[0] * 1000}`;
    });
    return { lines, clientMs };
  }

  private async call(path: string, params: Record<string, string>): Promise<QueryResult> {
    const started = performance.now();
    // POST with a form body, as Grafana's Prometheus data source does by default.
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
    const body = (await response.json()) as ApiResponse;
    const clientMs = performance.now() - started;
    if (body.status !== 'success' || !body.data) return { ok: false, error: body.error ?? `HTTP ${response.status}`, series: 0, clientMs };
    const timings = body.data.stats?.timings;
    const samples = body.data.stats?.samples;
    return {
      ok: true,
      // A scalar or string result is one value, not a list of series.
      series: body.data.resultType === 'vector' || body.data.resultType === 'matrix' ? (body.data.result?.length ?? 0) : 1,
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
  }
}
