/**
 * The real `prometheus` binary (the Debian package, 2.42) on 127.0.0.1, for the end-to-end tests
 * (scraping the simulator, with a throwaway TSDB) and the bench (serving a backfilled TSDB), read
 * through the one Prometheus client (`mixin/doctor/client.ts`). Always pair `startPrometheus` with
 * `stop()` in a `finally` or `afterAll`; as a last resort every child still running when Node exits
 * is killed (see `ServerProcess`), so a crashed run leaves no process behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PrometheusApiError, PrometheusClient } from '../../mixin/doctor/client.js';
import { freePort, ServerProcess, spawnServer } from './process.js';
import {
  activeTargets,
  alertList,
  queryResult,
  ruleGroups,
  seriesList,
  stringList,
  type ApiAlert,
  type ApiRuleGroup,
  type ApiTarget,
  type MatrixSeries,
  type QueryResult,
  type VectorSample,
} from './prometheus-api.js';

export { freePort, PrometheusApiError };
export type { ApiAlert, ApiRule, ApiRuleGroup, ApiTarget, MatrixSeries, QueryResult, VectorSample } from './prometheus-api.js';

export interface PrometheusOptions {
  /** `scrape_configs` entries, e.g. `simulator.scrapeConfigs()`; none for a Prometheus that only serves `dataDir`. */
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
  /** An existing TSDB to serve (a backfill), left in place by `stop()`; default a throwaway one. */
  readonly dataDir?: string;
  /** `--storage.tsdb.retention.time` (default `1d`). Retention counts back from the newest block: data from a fixed past date needs years. */
  readonly retention?: string;
  /** `--log.level` (default `info`). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait for `/-/ready` (default 30 s; a large TSDB takes longer to open). */
  readonly readyTimeoutMs?: number;
  /** How long one API request may take (default 20 s). */
  readonly requestTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL (default 5 s). */
  readonly stopGraceMs?: number;
  /** The binary (default `$PROMETHEUS`, else `prometheus` on PATH). */
  readonly binary?: string;
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

/** Query parameters: a name, once per value. */
type Params = readonly (readonly [string, string])[];

const timeRange = (start?: number, end?: number): Params => [
  ...(start !== undefined ? [['start', String(start)] as const] : []),
  ...(end !== undefined ? [['end', String(end)] as const] : []),
];

/** A running Prometheus; see `startPrometheus`. */
export class PrometheusServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The one Prometheus client, on this server. */
  readonly client: PrometheusClient;

  constructor(
    private readonly server: ServerProcess,
    /** Temporary directory holding `prometheus.yml` (and the TSDB unless `dataDir` was given); removed by `stop()`. */
    readonly workDir: string,
    requestTimeoutMs: number,
    private readonly stopGraceMs: number,
  ) {
    this.url = server.url;
    this.client = new PrometheusClient({ url: server.url, timeoutMs: requestTimeoutMs });
  }

  /** Prometheus's own log (stdout and stderr), for printing when a test fails. */
  log(): string {
    return this.server.log();
  }

  /** True once the process has exited (crash or stop). */
  get hasExited(): boolean {
    return this.server.hasExited;
  }

  /** Instant query at `time` (seconds since the epoch; default now). */
  query(expr: string, time?: number): Promise<QueryResult> {
    return this.client.read(
      'api/v1/query',
      [['query', expr], ...(time !== undefined ? [['time', String(time)] as const] : [])],
      queryResult,
    );
  }

  /** Instant query that must return a vector; returns its samples. */
  async queryVector(expr: string, time?: number): Promise<VectorSample[]> {
    const r = await this.query(expr, time);
    if (r.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got ${r.resultType}`);
    return r.result;
  }

  /** Range query over [start, end] (seconds since the epoch) with `step` seconds. */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<MatrixSeries[]> {
    const params: Params = [['query', expr], ...timeRange(start, end), ['step', String(step)]];
    const r = await this.client.read('api/v1/query_range', params, queryResult);
    if (r.resultType !== 'matrix') throw new Error(`${expr}: range query returned ${r.resultType}`);
    return r.result;
  }

  /** Series matching any of `matchers` (e.g. `['{job="metallb"}']`). */
  series(matchers: readonly string[], start?: number, end?: number): Promise<Record<string, string>[]> {
    return this.client.read('api/v1/series', [...matchers.map((m) => ['match[]', m] as const), ...timeRange(start, end)], seriesList);
  }

  /** Label names, optionally of series matching `matchers`. */
  labels(matchers: readonly string[] = []): Promise<string[]> {
    return this.client.labelNames(matchers);
  }

  /** Values of one label, optionally of series matching `matchers` and within [start, end]. */
  labelValues(name: string, matchers: readonly string[] = [], start?: number, end?: number): Promise<string[]> {
    const path = `api/v1/label/${encodeURIComponent(name)}/values`;
    return this.client.read(path, [...matchers.map((m) => ['match[]', m] as const), ...timeRange(start, end)], stringList);
  }

  /** Pending and firing alerts. */
  async alerts(): Promise<ApiAlert[]> {
    return (await this.client.read('api/v1/alerts', [], alertList)).alerts;
  }

  /** Rule groups with their rules' health and state. */
  async rules(type?: 'alert' | 'record'): Promise<ApiRuleGroup[]> {
    return (await this.client.read('api/v1/rules', type ? [['type', type]] : [], ruleGroups)).groups;
  }

  /** Active scrape targets. */
  async targets(): Promise<ApiTarget[]> {
    return (await this.client.read('api/v1/targets', [['state', 'active']], activeTargets)).activeTargets;
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

  /**
   * Re-read the config and rule files (needs `lifecycle: true`); throws if Prometheus rejects them.
   * A lifecycle call, not the query API: the read-only client has no POST.
   */
  async reload(): Promise<void> {
    const res = await fetch(new URL('/-/reload', this.url), { method: 'POST', signal: AbortSignal.timeout(20_000) });
    if (!res.ok) throw new PrometheusApiError('/-/reload', `http ${res.status}`, await res.text());
  }

  /** Stop Prometheus (SIGTERM, then SIGKILL after the grace period) and delete its directory. Safe to call twice. */
  async stop(): Promise<void> {
    this.client.close();
    await this.server.stop(this.stopGraceMs);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

async function launch(opts: PrometheusOptions, workDir: string, configFile: string): Promise<PrometheusServer> {
  const flags = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${opts.dataDir ?? join(workDir, 'data')}`,
    `--storage.tsdb.retention.time=${opts.retention ?? '1d'}`,
    // Resolved alerts reach the receiver on the next evaluation; firing ones are re-sent every second.
    '--rules.alert.resend-delay=1s',
    `--log.level=${opts.logLevel ?? 'info'}`,
    ...(opts.lifecycle ? ['--web.enable-lifecycle'] : []),
  ];
  const prometheus = new ServerProcess(spawnServer(opts.binary ?? process.env['PROMETHEUS'] ?? 'prometheus', await freePort(), flags));
  const server = new PrometheusServer(prometheus, workDir, opts.requestTimeoutMs ?? 20_000, opts.stopGraceMs ?? 5_000);
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
