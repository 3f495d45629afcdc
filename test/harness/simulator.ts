/**
 * A simulated MetalLB installation (controller, speakers, FRR or frr-k8s, kube-state-metrics) served
 * over HTTP on 127.0.0.1, one path per scrape target, for the end-to-end test and the doctor's tests.
 *
 * ```ts
 * const sim = await MetalLBSimulator.start({ install: 'helm', bgpMode: 'frr-k8s' });
 * const prom = await startPrometheus({ scrapeConfigs: sim.scrapeConfigs(), ruleFiles });
 * sim.fillPool('tenant-a');            // scenario steps mutate the state; the next scrape sees it
 * await sim.stop();
 * ```
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderExposition } from '../sim/exposition.js';
import { targetSeries } from '../sim/series.js';
import { liveCluster } from './live-model.js';
import { ClusterState, type ServiceState } from './state.js';
import { scrapeConfigsFor, type ScrapeConfig } from './scrape-config.js';
import { jobNames, podNames, simulatedTargets, type SimTarget, type TargetKind } from './targets.js';
import { resolveOptions, type ResolvedOptions, type ServiceSpec, type SimulatorOptions } from './topology.js';

export type { ScrapeConfig } from './scrape-config.js';
export type { SimTarget, TargetKind } from './targets.js';
export type { SimulatorOptions, ClusterSpec, InstallStyle } from './topology.js';
export { defaultCluster } from './topology.js';

export class MetalLBSimulator {
  readonly options: ResolvedOptions;
  private readonly states = new Map<string, ClusterState>();
  private readonly targetList: readonly SimTarget[];
  private server: Server | undefined;
  private address = '';
  /** Scrape answers of the current tick; emptied by every scenario step. */
  private readonly answers = new Map<string, string>();

  private constructor(
    opts: SimulatorOptions,
    /** When tick 0 began (ms since the epoch); a tick is one second. */
    private readonly startedAt: number,
  ) {
    this.options = resolveOptions(opts);
    for (const spec of this.options.clusters) this.states.set(spec.name, new ClusterState(spec));
    this.targetList = simulatedTargets(this.options);
  }

  /** The tick `now` falls in. */
  private tick(now = Date.now()): number {
    return Math.max(0, Math.floor((now - this.startedAt) / 1000));
  }

  /**
   * A scenario step happened: it takes effect from the next tick, so that no value already served
   * changes (a counter served at this tick must not shrink), and answers rendered before it go.
   */
  private changed(): number {
    this.answers.clear();
    return this.tick() + 1;
  }

  /** Start serving on an ephemeral port of 127.0.0.1. */
  static async start(opts: SimulatorOptions = {}): Promise<MetalLBSimulator> {
    const sim = new MetalLBSimulator(opts, Date.now());
    await sim.listen();
    return sim;
  }

  private listen(): Promise<void> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const body = this.scrape(path);
      if (body === undefined) {
        const unreachable = this.targetList.some((t) => t.path === path && this.state(t.cluster).isUnreachable(path));
        res.writeHead(unreachable ? 503 : 404, { 'content-type': 'text/plain' });
        res.end(unreachable ? 'target made unreachable by the scenario\n' : 'no such target\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(body);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        this.address = `127.0.0.1:${port}`;
        resolve();
      });
    });
  }

  /** `127.0.0.1:<port>`, the address every scrape config points at. */
  get hostPort(): string {
    return this.address;
  }

  /** Base URL of the simulator, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return `http://${this.address}`;
  }

  /** Every target, with its path and target labels. */
  targets(): readonly SimTarget[] {
    return this.targetList;
  }

  /** Targets of one kind, optionally of one cluster. */
  targetsOf(kind: TargetKind, cluster?: string): SimTarget[] {
    return this.targetList.filter((t) => t.kind === kind && (cluster === undefined || t.cluster === cluster));
  }

  /** The scrape_configs a Prometheus needs to scrape this installation as the operator would. */
  scrapeConfigs(): ScrapeConfig[] {
    return scrapeConfigsFor(this.targetList, this.address);
  }

  /** The `job` label of each component for the chosen install style. */
  jobs(): ReturnType<typeof jobNames> {
    return jobNames(this.options.install);
  }

  /** Pod names on a node (speaker, frr-k8s) and the controller's, for assertions on alert labels. */
  pods(node: string, cluster = this.defaultCluster()): ReturnType<typeof podNames> {
    return podNames(this.options, cluster, node);
  }

  /** The exposition text of the target at `path` now, or undefined if there is none (or it is down). */
  scrape(path: string, now = Date.now()): string | undefined {
    const target = this.targetList.find((t) => t.path === path);
    if (!target) return undefined;
    const state = this.state(target.cluster);
    if (state.isUnreachable(path)) return undefined;
    const tick = this.tick(now);
    const key = `${tick}|${path}`;
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;
    const ticks = tick + 1;
    const clusterTargets = this.targetList.filter((t) => t.cluster === target.cluster);
    const live = liveCluster(state, clusterTargets, this.options, ticks);
    const model = live.targets.get(target);
    if (!model) return undefined;
    const body = renderExposition(targetSeries(live.cluster, model, { start: this.startedAt / 1000, step: 1, ticks }), tick);
    for (const k of this.answers.keys()) if (!k.startsWith(`${tick}|`)) this.answers.delete(k);
    this.answers.set(key, body);
    return body;
  }

  /** The mutable state of a cluster (the only cluster by default). */
  state(cluster = this.defaultCluster()): ClusterState {
    const s = this.states.get(cluster);
    if (!s) throw new Error(`no simulated cluster ${cluster}`);
    return s;
  }

  private defaultCluster(): string {
    const first = this.options.clusters[0];
    if (!first) throw new Error('no clusters');
    return first.name;
  }

  // Scenario steps. Each changes what the next scrape returns.

  /** Create LoadBalancer Services in `pool` until no address of `family` is left; returns them. */
  fillPool(pool: string, opts: { cluster?: string; family?: 'ipv4' | 'ipv6' } = {}): ServiceState[] {
    const s = this.state(opts.cluster);
    const family = opts.family ?? 'ipv4';
    const tick = this.changed();
    const added: ServiceState[] = [];
    const l2Node = s.spec.nodes[1]?.name ?? s.spec.nodes[0]?.name ?? '';
    while (s.inUse(pool, family) < s.capacity(pool, family)) {
      const svc: ServiceSpec = {
        namespace: 'fill',
        name: `${pool}-${added.length}`,
        pool,
        families: [family],
        protocol: 'layer2',
        l2Nodes: [l2Node],
      };
      added.push(s.addService(svc, tick));
    }
    return added;
  }

  /** Delete the Services `fillPool` created, freeing their addresses. */
  drainPool(pool: string, opts: { cluster?: string } = {}): void {
    const s = this.state(opts.cluster);
    const tick = this.changed();
    for (const svc of s.current().filter((x) => x.namespace === 'fill' && x.pool === pool)) s.removeService(svc.namespace, svc.name, tick);
  }

  /** Take a BGP (and its BFD) session of a node's speaker down, or bring it back. */
  setPeerSession(node: string, peerAddress: string, up: boolean, opts: { cluster?: string } = {}): void {
    this.state(opts.cluster).setSession(node, peerAddress, up, this.changed());
  }

  /** Make a controller/speaker/frr-k8s pod report a stale configuration (or a fresh one). */
  setConfigStale(target: SimTarget, stale: boolean): void {
    this.state(target.cluster).setStale(target.path, stale, this.changed());
  }

  /** Make a target answer 503 (Prometheus marks it `up == 0`), or serve it again. */
  setTargetDown(target: SimTarget, down: boolean): void {
    this.state(target.cluster).setUnreachable(target.path, down, this.changed());
  }

  /** Stop the HTTP server; safe to call twice. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
