import { bgpFamilies, bgpSources, type BgpMode, type Component } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import { matcherAccepts } from '../promql/inspect.js';
import { labelsSatisfying } from './labels.js';
import { counter, gauge, steady, type Signal, type Timeline } from './signal.js';
import { ScenarioError } from './error.js';

/** A node of the scenario cluster, and the host address its host-network pods scrape on. */
export interface Node {
  readonly name: string;
  readonly host: string;
}

export const nodes: readonly Node[] = [
  { name: 'node-a', host: '10.0.0.11' },
  { name: 'node-b', host: '10.0.0.12' },
];

/** One scrape target: the labels every series it exposes carries. */
export interface Target {
  readonly component: Component;
  readonly labels: Readonly<Record<string, string>>;
  /** The node of a DaemonSet pod. */
  readonly node?: Node;
}

/** One LoadBalancer Service address and the nodes that announce it while healthy. */
export interface Address {
  readonly namespace: string;
  readonly service: string;
  readonly ip: string;
  readonly protocol: 'layer2' | 'bgp';
  readonly announcers: readonly Node[];
}

export const addresses: readonly Address[] = [
  { namespace: 'shop', service: 'web', ip: '192.0.2.10', protocol: 'layer2', announcers: [nodes[0]!] },
  { namespace: 'shop', service: 'api', ip: '192.0.2.20', protocol: 'bgp', announcers: nodes },
];

/** Reconcile-time buckets of every controller: half the reconciles within 0.1 s, all within 1 s. */
export const reconcileBuckets: readonly (readonly [string, number])[] = [
  ['0.1', 30],
  ['1', 60],
  ['+Inf', 60],
];

/** A BGP/BFD family's healthy signal: sessions up with one prefix each, messages flowing, no state events. */
function healthyBgpSignal(suffix: string, type: string): Signal {
  if (type === 'gauge') return gauge(1);
  return suffix.endsWith('_events') ? counter(0) : counter(60);
}

/** The router every node peers with, as each mode writes the peer. */
const router = '10.0.0.1';
export const metallbNamespace = 'metallb-system';

/**
 * A healthy cluster as the config sees it: one controller, a speaker on each node, the BGP
 * exporters of every enabled mode, kube-state-metrics, one pool and two announced addresses.
 * Every label a selector asks for is synthesised from the configured matchers.
 */
export class ScenarioCluster {
  readonly controller: Target;
  readonly speakers: readonly Target[];
  /** Per enabled BGP mode, the target on each node that exports its sessions. */
  readonly bgpExporters: ReadonlyMap<BgpMode, readonly Target[]>;
  readonly ksm: Readonly<Record<string, string>>;
  /** The pool every address comes from, and its size: large enough that two addresses cross no threshold. */
  readonly pool: string;
  readonly poolSize = 100_000;

  constructor(readonly cfg: MixinConfig) {
    const target = (component: Component, prefer: Record<string, string>, pod: Record<string, string>, node?: Node): Target => ({
      component,
      labels: { ...pod, ...labelsSatisfying(cfg.selectors[component], prefer, `selectors.${component}`) },
      ...(node ? { node } : {}),
    });
    this.controller = target(
      'controller',
      { job: 'controller-monitor-service', container: 'controller', endpoint: 'monitoring' },
      { namespace: metallbNamespace, pod: 'controller-7c9d8f6b5-xk2lp', instance: '10.244.2.7:7472' },
    );
    const speakerPod = (n: Node) => `speaker-${n.name}`;
    this.speakers = nodes.map((n) =>
      target(
        'speaker',
        { job: 'metallb', container: 'speaker', endpoint: 'monitoring' },
        { namespace: metallbNamespace, pod: speakerPod(n), instance: `${n.host}:7472` },
        n,
      ),
    );
    const exporters = new Map<BgpMode, Target[]>();
    for (const mode of cfg.bgp.modes) {
      exporters.set(
        mode,
        nodes.map((n, i) => {
          switch (mode) {
            case 'native':
              return this.speakers[i]!;
            case 'frr':
              return target(
                'frrMetrics',
                { job: 'metallb', container: 'frr-metrics', endpoint: 'frrmetrics' },
                { namespace: metallbNamespace, pod: speakerPod(n), instance: `${n.host}:7473` },
                n,
              );
            case 'frr-k8s':
            case 'frr-k8s-relabelled':
              // Two modes at once is no real cluster: each gets its own DaemonSet here, so they stay apart.
              return this.frrK8sTarget(n, mode, mode === 'frr-k8s' ? 7573 : 7574);
          }
        }),
      );
    }
    this.bgpExporters = exporters;
    this.ksm = {
      ...labelsSatisfying(cfg.selectors.kubeStateMetrics, { job: 'kube-state-metrics' }, 'selectors.kubeStateMetrics'),
      instance: '10.244.1.5:8080',
    };
    const excluded = (pool: string) => cfg.pools.exclude.some((re) => matcherAccepts({ label: 'pool', op: '=~', value: re }, pool));
    const pool = ['default', 'pool-a', 'pool-b', 'pool-c'].find((p) => !excluded(p));
    if (pool === undefined) throw new ScenarioError('pools.exclude excludes every pool name the scenarios use');
    this.pool = pool;
  }

  /** The frr-k8s pod on node `n`, named after its mode. */
  private frrK8sTarget(n: Node, name: string, port: number): Target {
    return {
      component: 'frrK8s',
      labels: {
        namespace: metallbNamespace,
        pod: `${name}-${n.name}`,
        instance: `${n.host}:${port}`,
        ...labelsSatisfying(
          this.cfg.selectors.frrK8s,
          { job: 'frr-k8s-monitor-service', container: 'frr-k8s', endpoint: 'monitoring' },
          'selectors.frrK8s',
        ),
      },
      node: n,
    };
  }

  /** An frr-k8s pod for a cluster whose config queries no frr-k8s BGP mode. */
  standaloneFrrK8s(): Target {
    return this.frrK8sTarget(nodes[0]!, 'frr-k8s', 7573);
  }

  /** Every MetalLB target: controller, speakers, and the BGP exporters that are not the speaker. */
  get targets(): Target[] {
    const seen = new Set<Target>();
    for (const t of [this.controller, ...this.speakers, ...[...this.bgpExporters.values()].flat()]) seen.add(t);
    return [...seen];
  }

  /** The session series of a BGP/BFD family `suffix` that `exporter` exposes in `mode`, one per peer. */
  sessionLabels(mode: BgpMode, exporter: Target): Record<string, string> {
    const peer =
      mode === 'native'
        ? (labelsSatisfying(this.cfg.bgp.nativePeerMatcher, { peer: `${router}:179` }, 'bgp.nativePeerMatcher')['peer'] ?? router)
        : router;
    return { ...exporter.labels, peer, ...(mode === 'native' ? {} : { vrf: 'default' }) };
  }

  /** The name of family `suffix` in `mode`, or undefined where the mode does not have it. */
  static familyMetric(mode: BgpMode, suffix: string): string | undefined {
    const family = bgpFamilies[suffix];
    return family?.modes.includes(mode) ? `${bgpSources[mode].prefix}_${suffix}` : undefined;
  }

  /** The series of the healthy cluster. */
  healthy(): Timeline[] {
    const out: Timeline[] = [];
    for (const t of this.targets) out.push(steady('up', t.labels, gauge(1)));
    const poolLabels = { ...this.controller.labels, pool: this.pool };
    out.push(steady('metallb_allocator_addresses_total', poolLabels, gauge(this.poolSize)));
    out.push(steady('metallb_allocator_addresses_in_use_total', poolLabels, gauge(addresses.length)));
    for (const t of [this.controller, ...this.speakers]) {
      out.push(steady('metallb_k8s_client_config_stale_bool', t.labels, gauge(0)));
      out.push(steady('metallb_k8s_client_config_loaded_bool', t.labels, gauge(1)));
      out.push(steady('metallb_k8s_client_updates_total', t.labels, counter(60)));
      out.push(steady('metallb_k8s_client_update_errors_total', t.labels, counter(0)));
    }
    for (const a of addresses) {
      for (const n of a.announcers) out.push(steady('metallb_speaker_announced', this.announcedLabels(a, n), gauge(1)));
      out.push(
        steady(
          'kube_service_status_load_balancer_ingress',
          { ...this.ksm, namespace: a.namespace, service: a.service, ip: a.ip },
          gauge(1),
        ),
      );
    }
    for (const [mode, exporters] of this.bgpExporters) {
      for (const e of exporters) {
        const labels = this.sessionLabels(mode, e);
        for (const family of Object.values(bgpFamilies)) {
          const metric = ScenarioCluster.familyMetric(mode, family.suffix);
          if (metric) out.push(steady(metric, labels, healthyBgpSignal(family.suffix, family.type)));
        }
      }
    }
    out.push(...this.processSeries());
    const l2 = addresses.filter((a) => a.protocol === 'layer2');
    for (const a of l2) {
      for (const n of a.announcers) {
        const speaker = this.speakers[nodes.indexOf(n)]!;
        for (const metric of ['metallb_layer2_requests_received', 'metallb_layer2_responses_sent', 'metallb_layer2_gratuitous_sent']) {
          out.push(steady(metric, { ...speaker.labels, ip: a.ip }, counter(60)));
        }
      }
    }
    for (const n of nodes) out.push(...this.nodeSeries(n));
    for (const t of this.targets.filter((t) => t.node && t.component !== 'frrMetrics')) {
      out.push(steady('kube_pod_info', this.podInfoLabels(t), gauge(1)));
    }
    return out;
  }

  /** The controller-runtime name of a component's busiest controller, as its metrics label it. */
  static controllerName(t: Target): string {
    return t.component === 'frrK8s' ? 'frrconfiguration' : 'service';
  }

  /** Go process, controller-runtime and client-go series of every MetalLB target, healthy. */
  private processSeries(): Timeline[] {
    const out: Timeline[] = [];
    for (const t of this.targets) {
      out.push(steady('process_cpu_seconds_total', t.labels, counter(6)));
      out.push(steady('process_resident_memory_bytes', t.labels, gauge(50_000_000)));
      out.push(steady('go_goroutines', t.labels, gauge(100)));
      if (t.component === 'frrMetrics') continue;
      const controller = ScenarioCluster.controllerName(t);
      out.push(steady('controller_runtime_reconcile_total', { ...t.labels, controller, result: 'success' }, counter(60)));
      out.push(steady('controller_runtime_reconcile_errors_total', { ...t.labels, controller }, counter(0)));
      // Every reconcile is timed, whatever its result: the histogram's count is the total.
      out.push(steady('controller_runtime_reconcile_time_seconds_count', { ...t.labels, controller }, counter(60)));
      for (const [le, perMinute] of reconcileBuckets) {
        out.push(steady('controller_runtime_reconcile_time_seconds_bucket', { ...t.labels, controller, le }, counter(perMinute)));
      }
      out.push(steady('workqueue_depth', { ...t.labels, name: controller }, gauge(0)));
      out.push(steady('workqueue_adds_total', { ...t.labels, name: controller }, counter(60)));
      out.push(steady('workqueue_retries_total', { ...t.labels, name: controller }, counter(0)));
      out.push(steady('rest_client_requests_total', { ...t.labels, code: '200', host: '10.96.0.1:443', method: 'GET' }, counter(60)));
    }
    return out;
  }

  announcedLabels(a: Address, n: Node): Record<string, string> {
    const speaker = this.speakers[nodes.indexOf(n)]!;
    return { ...speaker.labels, service: `${a.namespace}/${a.service}`, protocol: a.protocol, node: n.name, ip: a.ip };
  }

  /** kube-state-metrics' series of a Ready node. */
  nodeSeries(n: Node, extra: Readonly<Record<string, string>> = {}): Timeline[] {
    return [
      steady('kube_node_info', { ...this.ksm, node: n.name, ...extra }, gauge(1)),
      steady('kube_node_status_condition', { ...this.ksm, node: n.name, condition: 'Ready', status: 'true' }, gauge(1)),
    ];
  }

  podInfoLabels(t: Target): Record<string, string> {
    return {
      ...this.ksm,
      namespace: t.labels['namespace'] ?? metallbNamespace,
      pod: t.labels['pod'] ?? '',
      node: t.node?.name ?? '',
      created_by_kind: 'DaemonSet',
    };
  }
}
