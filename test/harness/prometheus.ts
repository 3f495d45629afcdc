/**
 * The real `prometheus` binary (the Debian package, 2.42) on 127.0.0.1 with a throwaway TSDB, and a
 * typed client for the parts of its HTTP API the tests read. Always pair `startPrometheus` with
 * `stop()` in a `finally` or `afterAll`; as a last resort every child still running when Node exits
 * is killed (see `ServerProcess`), so a crashed test run leaves no process behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, ServerProcess } from '../../mixin/tools/process.js';
import { spawnPrometheus } from '../../mixin/tools/prometheus.js';

export { freePort };

export interface PrometheusOptions {
  /** `scrape_configs` entries, e.g. `simulator.scrapeConfigs()`. */
  readonly scrapeConfigs: readonly object[];
  /**
   * Rule files (absolute paths or globs) to load. A glob over an empty directory lets a test fill
   * it once the targets are up and then `reload()`, so no rule sees the empty start-up TSDB.
   */
  readonly ruleFiles?: readonly string[];
  /** Pass `--web.enable-lifecycle`, which `reload()` needs (default false). */
  readonly lifecycle?: boolean;
  /** Alertmanager base URL (`http://127.0.0.1:port`) to send alerts to, e.g. an `AlertReceiver`. */
  readonly alertmanagerUrl?: string;
  /** Scrape interval (default `1s`). */
  readonly scrapeInterval?: string;
  /** Rule evaluation interval (default `1s`). */
  readonly evaluationInterval?: string;
  /** How long to wait for `/-/ready` (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** The binary (default `prometheus` on PATH). */
  readonly binary?: string;
}

/** One sample of an instant vector. */
export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** One series of a range query. */
export interface MatrixSeries {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}

export type QueryResult =
  | { readonly resultType: 'vector'; readonly result: VectorSample[] }
  | { readonly resultType: 'matrix'; readonly result: MatrixSeries[] }
  | { readonly resultType: 'scalar' | 'string'; readonly result: [number, string] };

/** An entry of `/api/v1/alerts`: a pending or firing alert (resolved ones are not listed). */
export interface ApiAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

export interface ApiRule {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  readonly query: string;
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly labels?: Record<string, string>;
  /** Alerting rules only. */
  readonly state?: 'inactive' | 'pending' | 'firing';
  readonly alerts?: ApiAlert[];
}

export interface ApiRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: ApiRule[];
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

export interface ApiTarget {
  readonly labels: Record<string, string>;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}

/** An error answer of the API (`status: "error"`), or an HTTP failure. */
export class PrometheusApiError extends Error {
  constructor(
    readonly path: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`${path}: ${errorType}: ${message}`);
    this.name = 'PrometheusApiError';
  }
}

export interface WaitOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Poll period (default 250 ms). */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly what?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Poll `probe` until it returns something other than `undefined`/`false`, and return that. On
 * timeout, throws with `what` and the last value or error seen.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, opts: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms waiting for ${opts.what ?? 'a condition'} (last: ${detail})`);
    }
    await sleep(opts.intervalMs ?? 250);
  }
}

function prometheusConfig(opts: PrometheusOptions): object {
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: opts.scrapeInterval ?? '1s',
      scrape_timeout: opts.scrapeInterval ?? '1s',
      evaluation_interval: opts.evaluationInterval ?? '1s',
    },
    rule_files: [...(opts.ruleFiles ?? [])],
    scrape_configs: [...opts.scrapeConfigs],
  };
  if (opts.alertmanagerUrl) {
    const url = new URL(opts.alertmanagerUrl);
    config['alerting'] = {
      alertmanagers: [{ api_version: 'v2', scheme: url.protocol.replace(':', ''), static_configs: [{ targets: [url.host] }] }],
    };
  }
  return config;
}

/** A running Prometheus; see `startPrometheus`. */
export class PrometheusServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;

  constructor(
    private readonly server: ServerProcess,
    /** Temporary directory holding `prometheus.yml` and the TSDB (removed by `stop()`). */
    readonly workDir: string,
  ) {
    this.url = server.url;
  }

  /** Prometheus's own log (stdout and stderr), for printing when a test fails. */
  log(): string {
    return this.server.log();
  }

  /** True once the process has exited (crash or stop). */
  get hasExited(): boolean {
    return this.server.hasExited;
  }

  /** GET an API path and return `data`, throwing `PrometheusApiError` on an error answer. */
  async get<T>(path: string, params: Record<string, string | readonly string[]> = {}): Promise<T> {
    const url = new URL(path, this.url);
    for (const [k, v] of Object.entries(params)) {
      for (const one of typeof v === 'string' ? [v] : v) url.searchParams.append(k, one);
    }
    const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    let body: { status?: string; data?: T; errorType?: string; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new PrometheusApiError(path, `http ${res.status}`, text.slice(0, 300));
    }
    if (body.status !== 'success') throw new PrometheusApiError(path, body.errorType ?? `http ${res.status}`, body.error ?? text.slice(0, 300));
    return body.data as T;
  }

  /** Instant query at `time` (seconds since the epoch; default now). */
  query(expr: string, time?: number): Promise<QueryResult> {
    const params: Record<string, string> = { query: expr };
    if (time !== undefined) params['time'] = String(time);
    return this.get<QueryResult>('/api/v1/query', params);
  }

  /** Instant query that must return a vector; returns its samples. */
  async queryVector(expr: string, time?: number): Promise<VectorSample[]> {
    const r = await this.query(expr, time);
    if (r.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got ${r.resultType}`);
    return r.result;
  }

  /** Range query over [start, end] (seconds since the epoch) with `step` seconds. */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<MatrixSeries[]> {
    const r = await this.get<QueryResult>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) });
    if (r.resultType !== 'matrix') throw new Error(`${expr}: range query returned ${r.resultType}`);
    return r.result;
  }

  /** Series matching any of `matchers` (e.g. `['{job="metallb"}']`). */
  series(matchers: readonly string[], start?: number, end?: number): Promise<Record<string, string>[]> {
    const params: Record<string, string | readonly string[]> = { 'match[]': matchers };
    if (start !== undefined) params['start'] = String(start);
    if (end !== undefined) params['end'] = String(end);
    return this.get<Record<string, string>[]>('/api/v1/series', params);
  }

  /** Label names, optionally of series matching `matchers`. */
  labels(matchers: readonly string[] = []): Promise<string[]> {
    return this.get<string[]>('/api/v1/labels', matchers.length > 0 ? { 'match[]': matchers } : {});
  }

  /** Values of one label, optionally of series matching `matchers`. */
  labelValues(name: string, matchers: readonly string[] = []): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(name)}/values`, matchers.length > 0 ? { 'match[]': matchers } : {});
  }

  /** Pending and firing alerts. */
  async alerts(): Promise<ApiAlert[]> {
    return (await this.get<{ alerts: ApiAlert[] }>('/api/v1/alerts')).alerts;
  }

  /** Rule groups with their rules' health and state. */
  async rules(type?: 'alert' | 'record'): Promise<ApiRuleGroup[]> {
    return (await this.get<{ groups: ApiRuleGroup[] }>('/api/v1/rules', type ? { type } : {})).groups;
  }

  /** Active scrape targets. */
  async targets(): Promise<ApiTarget[]> {
    return (await this.get<{ activeTargets: ApiTarget[] }>('/api/v1/targets', { state: 'active' })).activeTargets;
  }

  /** Wait until every active target has been scraped successfully. */
  async waitForTargetsUp(expected: number, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        const t = await this.targets();
        return t.length === expected && t.every((x) => x.health === 'up');
      },
      { timeoutMs, what: `${expected} targets up` },
    );
  }

  /**
   * Wait until every rule group has been evaluated at least `rounds` times after now (so results
   * reflect the latest scrapes).
   */
  async waitForEvaluations(rounds = 1, timeoutMs = 20_000): Promise<void> {
    const since = Date.now();
    const intervalMs = 1000;
    await waitFor(
      async () => {
        const groups = await this.rules();
        return groups.every((g) => Date.parse(g.lastEvaluation) >= since + (rounds - 1) * intervalMs);
      },
      { timeoutMs, what: `${rounds} rule evaluation round(s)` },
    );
  }

  /** Re-read the config and rule files (needs `lifecycle: true`); throws if Prometheus rejects them. */
  async reload(): Promise<void> {
    const res = await fetch(new URL('/-/reload', this.url), { method: 'POST', signal: AbortSignal.timeout(20_000) });
    if (!res.ok) throw new PrometheusApiError('/-/reload', `http ${res.status}`, await res.text());
  }

  /** Stop Prometheus (SIGTERM, then SIGKILL after 5 s) and delete its directory. Safe to call twice. */
  async stop(): Promise<void> {
    await this.server.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

async function launch(opts: PrometheusOptions, workDir: string, configFile: string): Promise<PrometheusServer> {
  const prometheus = new ServerProcess(
    spawnPrometheus({
      binary: opts.binary ?? 'prometheus',
      configFile,
      dataDir: join(workDir, 'data'),
      port: await freePort(),
      flags: [
        '--storage.tsdb.retention.time=1d',
        // Resolved alerts reach the receiver on the next evaluation; firing ones are re-sent every second.
        '--rules.alert.resend-delay=1s',
        '--log.level=info',
        ...(opts.lifecycle ? ['--web.enable-lifecycle'] : []),
      ],
    }),
  );
  const server = new PrometheusServer(prometheus, workDir);
  try {
    await prometheus.ready(opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }
  return server;
}

/**
 * Write a config (1 s scrapes and evaluations by default), start Prometheus on a free port of
 * 127.0.0.1, and wait until it is ready. Retries once if another process took the port first.
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    const workDir = mkdtempSync(join(tmpdir(), 'metallb-mixin-prometheus-'));
    const configFile = join(workDir, 'prometheus.yml');
    writeFileSync(configFile, stringify(prometheusConfig(opts)));
    try {
      return await launch(opts, workDir, configFile);
    } catch (err) {
      rmSync(workDir, { recursive: true, force: true });
      lastError = err;
      if (!(err instanceof Error) || !/address already in use/.test(err.message)) break;
    }
  }
  throw lastError;
}
