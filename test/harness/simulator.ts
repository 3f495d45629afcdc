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
import { ClusterState, type ServiceState } from './state.js';
import { renderTarget } from './metrics.js';
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
  private readonly unreachable = new Set<string>();
  private server: Server | undefined;
  private address = '';

  private constructor(opts: SimulatorOptions, now: number) {
    this.options = resolveOptions(opts);
    for (const spec of this.options.clusters) this.states.set(spec.name, new ClusterState(spec, now));
    this.targetList = simulatedTargets(this.options);
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
        res.writeHead(this.unreachable.has(path) ? 503 : 404, { 'content-type': 'text/plain' });
        res.end(this.unreachable.has(path) ? 'target made unreachable by the scenario\n' : 'no such target\n');
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
    if (this.unreachable.has(path)) return undefined;
    const target = this.targetList.find((t) => t.path === path);
    if (!target) return undefined;
    const clusterTargets = this.targetList.filter((t) => t.cluster === target.cluster);
    return renderTarget(target, { state: this.state(target.cluster), now, bgpMode: this.options.bgpMode, clusterTargets });
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
      added.push(s.addService(svc));
    }
    return added;
  }

  /** Delete the Services `fillPool` created, freeing their addresses. */
  drainPool(pool: string, opts: { cluster?: string } = {}): void {
    const s = this.state(opts.cluster);
    for (const svc of s.services.filter((x) => x.namespace === 'fill' && x.pool === pool)) s.removeService(svc.namespace, svc.name);
  }

  /** Take a BGP (and its BFD) session of a node's speaker down, or bring it back. */
  setPeerSession(node: string, peerAddress: string, up: boolean, opts: { cluster?: string } = {}): void {
    this.state(opts.cluster).session(node, peerAddress).set(up, Date.now());
  }

  /** Make a controller/speaker/frr-k8s pod report a stale configuration (or a fresh one). */
  setConfigStale(target: SimTarget, stale: boolean): void {
    const s = this.state(target.cluster);
    if (stale) s.staleConfig.add(target.path);
    else s.staleConfig.delete(target.path);
  }

  /** Make a target answer 503 (Prometheus marks it `up == 0`), or serve it again. */
  setTargetDown(target: SimTarget, down: boolean): void {
    if (down) this.unreachable.add(target.path);
    else this.unreachable.delete(target.path);
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
