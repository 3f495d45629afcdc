/**
 * Replays stored series (a value per tick, as the support matrix computes them) to a real
 * Prometheus, one tick per `tickMs` of wall time: each scrape target answers with its series at the
 * current tick while its `up` is 1, and 503 while it is 0. The last tick is served on after the
 * timeline ends. Targets whose `up` is never 1 are not served at all, as a target nothing discovers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Labels } from '../sim/model.js';
import { renderExposition } from '../sim/exposition.js';
import type { ScrapeConfig } from './scrape-config.js';

/** A series as a Prometheus stores it: name, every label (the target's and its own), a value per tick (NaN: none). */
export interface ReplaySeries {
  readonly name: string;
  readonly labels: Labels;
  readonly values: Float64Array;
}

interface ReplayTarget {
  readonly path: string;
  /** The target labels: those of its `up` series. */
  readonly labels: Labels;
  readonly up: Float64Array;
  /** Its series with the labels the exposition carries: those that differ from the target's. */
  readonly series: { readonly name: string; readonly labels: Labels; readonly values: Float64Array }[];
}

/** A target is known by where it is scraped: its cluster, job and instance. */
const targetKey = (labels: Labels) => `${labels['cluster'] ?? ''}\u0000${labels['job'] ?? ''}\u0000${labels['instance'] ?? ''}`;

/** Groups stored series by their target (the `up` series give the targets and their labels). */
function targetsOf(series: readonly ReplaySeries[], group: string): ReplayTarget[] {
  const targets = new Map<string, ReplayTarget>();
  for (const s of series) {
    if (s.name !== 'up' || !s.values.some((v) => v === 1)) continue;
    targets.set(targetKey(s.labels), { path: `/${group}/${targets.size}`, labels: s.labels, up: s.values, series: [] });
  }
  for (const s of series) {
    if (s.name === 'up') continue;
    const target = targets.get(targetKey(s.labels));
    if (!target) continue;
    const own = Object.fromEntries(Object.entries(s.labels).filter(([k, v]) => target.labels[k] !== v));
    target.series.push({ name: s.name, labels: own, values: s.values });
  }
  return [...targets.values()];
}

export class ReplayServer {
  private readonly targets = new Map<string, ReplayTarget>();
  private readonly groups = new Map<string, ReplayTarget[]>();
  private server: Server | undefined;
  private address = '';
  // Until `restart()`, tick 0: a Prometheus starting up sees the timeline's beginning.
  private startedAt = Number.MAX_SAFE_INTEGER;

  private constructor(
    private readonly tickMs: number,
    private readonly ticks: number,
  ) {}

  /** Serves each group's series (`group` names the paths) from now on, tick 0 first. */
  static async start(groups: ReadonlyMap<string, readonly ReplaySeries[]>, opts: { tickMs: number; ticks: number }): Promise<ReplayServer> {
    const replay = new ReplayServer(opts.tickMs, opts.ticks);
    for (const [group, series] of groups) {
      const targets = targetsOf(series, group);
      replay.groups.set(group, targets);
      for (const t of targets) replay.targets.set(t.path, t);
    }
    await replay.listen();
    return replay;
  }

  /** Restarts the timeline at tick 0: call it when the Prometheus that scrapes the replay is ready. */
  restart(): void {
    this.startedAt = Date.now();
  }

  /** The tick being served now (the last one once the timeline is over). */
  tick(now = Date.now()): number {
    return Math.min(this.ticks - 1, Math.max(0, Math.floor((now - this.startedAt) / this.tickMs)));
  }

  /** Scrape configs for one group's targets: their target labels, and the exposition's own labels honoured. */
  scrapeConfigs(group: string): ScrapeConfig[] {
    return (this.groups.get(group) ?? []).map((t) => ({
      job_name: `replay${t.path.replace(/\//g, '_')}`,
      metrics_path: t.path,
      // kube-state-metrics series carry the namespace and pod they describe, as kube-prometheus honours.
      honor_labels: true,
      static_configs: [{ targets: [this.address], labels: { ...t.labels } }],
    }));
  }

  private listen(): Promise<void> {
    const server = createServer((req, res) => {
      const target = this.targets.get(new URL(req.url ?? '/', 'http://localhost').pathname);
      const tick = this.tick();
      if (!target || target.up[tick] !== 1) {
        res.writeHead(target ? 503 : 404, { 'content-type': 'text/plain' });
        res.end(target ? 'down at this tick\n' : 'no such target\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(renderExposition(target.series, tick));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
