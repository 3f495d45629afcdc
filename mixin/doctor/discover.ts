import { bgpModes, catalogue, type BgpMode, type Component } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import type { PrometheusClient } from './client.js';
import { alternation, metallbNameMatcher, oneOf, quote, selector } from './promql.js';

/** Series of one scrape source: one job/namespace/container (and cluster) combination. */
export interface ScrapeGroup {
  readonly cluster: string;
  readonly job: string;
  readonly namespace: string;
  readonly container: string;
  /** MetalLB/frr-k8s metric names it exposes, sorted. */
  readonly metrics: readonly string[];
  readonly series: number;
  /** What it is, read from what it exposes (empty when it cannot be told). */
  readonly components: readonly Component[];
}

export interface ClusterLabelFacts {
  /** `clusterLabel` of the config being checked. */
  readonly configured: string;
  /** The label that splits MetalLB series into clusters, if any. */
  readonly detected: string | undefined;
  readonly values: readonly string[];
}

export interface TargetRef {
  readonly cluster: string;
  readonly job: string;
  readonly instance: string;
}

export interface KsmSource {
  readonly cluster: string;
  readonly job: string;
}

export interface Facts {
  readonly metallbSeries: number;
  readonly groups: readonly ScrapeGroup[];
  readonly bgpModes: readonly BgpMode[];
  readonly bfd: boolean;
  readonly cluster: ClusterLabelFacts;
  readonly kubeStateMetrics: readonly KsmSource[];
  readonly versionHints: readonly string[];
  readonly downTargets: readonly TargetRef[];
  /** Every job Prometheus scrapes, for the message when no MetalLB series exist. */
  readonly scrapedJobs: readonly string[];
  /** Matchers restricting every query to `--cluster`, empty otherwise. */
  readonly scope: readonly string[];
}

/** Label names that are targets' or metrics' own and never tell clusters apart. */
const notClusterLabels = new Set([
  '__name__',
  'job',
  'instance',
  'namespace',
  'pod',
  'container',
  'endpoint',
  'service',
  'node',
  'peer',
  'vrf',
  'pool',
  'ip',
  'protocol',
  'controller',
  'result',
  'name',
  'code',
  'host',
  'method',
  'le',
  'version',
]);
const commonClusterLabels = ['cluster', 'k8s_cluster', 'cluster_name', 'kubernetes_cluster', 'cluster_id'];

export type Progress = (message: string) => void;

/** Order by the keys in turn, by code point: the same on every machine and locale. */
function byKeys<T>(keys: (x: T) => readonly string[]): (a: T, b: T) => number {
  return (a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i] ?? '';
      const y = kb[i] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

async function detectClusterLabel(client: PrometheusClient, cfg: MixinConfig, total: number): Promise<ClusterLabelFacts> {
  const all = selector(undefined, [metallbNameMatcher]);
  const names = await client.labelNames([all]);
  const present = new Set(names);
  const named = [cfg.clusterLabel, ...commonClusterLabels, ...names.filter((n) => /cluster/i.test(n))];
  const others = names.filter((n) => !notClusterLabels.has(n) && !named.includes(n));
  const candidates = [...new Set(named)].filter((n) => present.has(n));

  const coverage = async (label: string) => {
    const [row] = await client.query(`count(${selector(undefined, [metallbNameMatcher, `${label}!=""`])})`);
    return row?.value ?? 0;
  };
  // A label that names clusters is on every MetalLB series; prefer well-known names, then any
  // other label on every series with a handful of values.
  let detected: string | undefined;
  let values: string[] = [];
  for (const label of candidates) {
    if ((await coverage(label)) === total) {
      detected = label;
      values = await client.labelValues(label, [all]);
      break;
    }
  }
  for (const label of detected ? [] : others) {
    if ((await coverage(label)) !== total) continue;
    const v = await client.labelValues(label, [all]);
    if (v.length >= 2 && v.length <= 50) {
      detected = label;
      values = v;
      break;
    }
  }
  return { configured: cfg.clusterLabel, detected, values: [...values].sort() };
}

const groupLabels = (clusterLabel: string | undefined) => ['job', 'namespace', 'container', ...(clusterLabel ? [clusterLabel] : [])];

function groupKey(labels: Readonly<Record<string, string>>, clusterLabel: string | undefined): string {
  return groupLabels(clusterLabel)
    .map((l) => labels[l] ?? '')
    .join('\u0000');
}

function componentsOf(metrics: ReadonlySet<string>, container: string, job: string, modes: ReadonlySet<BgpMode>): Component[] {
  const has = (re: RegExp) => [...metrics].some((m) => re.test(m));
  const out = new Set<Component>();
  if (has(/^metallb_allocator_/)) out.add('controller');
  if (has(/^frrk8s_/) || modes.has('frr-k8s-relabelled')) out.add('frrK8s');
  if (modes.has('frr')) out.add('frrMetrics');
  if (modes.has('native') || has(/^metallb_(speaker_announced|layer2_)/)) out.add('speaker');
  if (out.size === 0 && has(/^metallb_k8s_client_/)) {
    // Only the k8s client metrics, which both controller and speaker expose: go by the container or job name.
    if (/controller/.test(container || job)) out.add('controller');
    else if (/speaker/.test(container || job)) out.add('speaker');
  }
  return [...out];
}

async function scrapeGroups(
  client: PrometheusClient,
  clusterLabel: string | undefined,
  scope: readonly string[],
): Promise<{ groups: ScrapeGroup[]; modes: Set<BgpMode>; staleNativePeers: boolean }> {
  const by = groupLabels(clusterLabel).join(', ');
  const rows = await client.query(`count by (__name__, ${by}) (${selector(undefined, [metallbNameMatcher, ...scope])})`);
  const bgpRows = async (...matchers: string[]) =>
    new Set(
      (await client.query(`count by (${by}) (${selector(undefined, [...matchers, ...scope])})`)).map((r) =>
        groupKey(r.metric, clusterLabel),
      ),
    );
  // Peer and vrf tell the modes apart (metric reference §1.9): native has no vrf; FRR mode's peer
  // carries the port; frr-k8s's does not, even when relabelled to metallb_*.
  const native = await bgpRows('__name__=~"metallb_bgp_.+"', 'vrf=""');
  const frr = await bgpRows('__name__=~"metallb_bgp_.+"', 'vrf!=""', 'peer=~".+:[0-9]+"');
  const relabelled = await bgpRows('__name__=~"metallb_bgp_.+"', 'vrf!=""', 'peer!~".+:[0-9]+"');
  const staleNative = await bgpRows('__name__="metallb_bgp_session_up"', 'vrf=""', 'peer!~".+:[0-9]+"');

  const byKey = new Map<string, { labels: Readonly<Record<string, string>>; metrics: Set<string>; series: number }>();
  for (const r of rows) {
    const key = groupKey(r.metric, clusterLabel);
    const entry = byKey.get(key) ?? { labels: r.metric, metrics: new Set<string>(), series: 0 };
    entry.metrics.add(r.metric['__name__'] ?? '');
    entry.series += r.value;
    byKey.set(key, entry);
  }
  const modes = new Set<BgpMode>();
  const groups: ScrapeGroup[] = [];
  for (const [key, { labels, metrics, series }] of byKey) {
    const groupModes = new Set<BgpMode>();
    if (native.has(key)) groupModes.add('native');
    if (frr.has(key)) groupModes.add('frr');
    if (relabelled.has(key)) groupModes.add('frr-k8s-relabelled');
    if ([...metrics].some((m) => m.startsWith('frrk8s_bgp_'))) groupModes.add('frr-k8s');
    groupModes.forEach((m) => modes.add(m));
    const job = labels['job'] ?? '';
    const container = labels['container'] ?? '';
    groups.push({
      cluster: clusterLabel ? (labels[clusterLabel] ?? '') : '',
      job,
      namespace: labels['namespace'] ?? '',
      container,
      metrics: [...metrics].sort(),
      series,
      components: componentsOf(metrics, container, job, groupModes),
    });
  }
  groups.sort(byKeys((g) => [g.cluster, g.job, g.container, g.namespace]));
  return { groups, modes, staleNativePeers: staleNative.size > 0 };
}

const portMeanings: Readonly<Record<string, string>> = {
  '7472': 'plain-HTTP port 7472: MetalLB <= 0.15',
  '7473': 'plain-HTTP frr-metrics port 7473: MetalLB <= 0.15 in FRR mode',
  '9120': 'HTTPS port 9120: MetalLB >= 0.16 (or <= 0.15 behind kube-rbac-proxy)',
  '9121': 'HTTPS frr-metrics port 9121: FRR mode, MetalLB >= 0.16 (or <= 0.15 behind kube-rbac-proxy)',
  '9140': 'frr-k8s controller port 9140: FRR-K8s mode (MetalLB >= 0.16 default)',
  '9141': 'frr-k8s frr-metrics port 9141: FRR-K8s mode',
};

async function versionHints(
  client: PrometheusClient,
  groups: readonly ScrapeGroup[],
  staleNativePeers: boolean,
  scope: readonly string[],
): Promise<string[]> {
  const hints: string[] = [];
  const jobs = [...new Set(groups.map((g) => g.job))].sort();
  if (jobs.length > 0) {
    const ports = await client.query(
      `count by (port) (label_replace(${selector('up', [oneOf('job', jobs), ...scope])}, "port", "$1", "instance", ".*:([0-9]+)$"))`,
    );
    for (const port of ports
      .map((p) => p.metric['port'] ?? '')
      .filter(Boolean)
      .sort()) {
      hints.push(portMeanings[port] ?? `port ${port} in instance: not a MetalLB default port`);
    }
  }
  const metrics = new Set(groups.flatMap((g) => g.metrics));
  if (metrics.has('metallb_allocator_ipv4_addresses_total'))
    hints.push('per-family allocator gauges (metallb_allocator_ipv4_*): MetalLB >= 0.14');
  else if (metrics.has('metallb_allocator_addresses_total')) hints.push('no per-family allocator gauges: MetalLB < 0.14');
  const metallbJobs = groups.filter((g) => g.components.includes('controller') || g.components.includes('speaker')).map((g) => g.job);
  if (metallbJobs.length > 0) {
    const [runtime] = await client.query(
      `count(${selector('controller_runtime_reconcile_total', [oneOf('job', [...new Set(metallbJobs)].sort()), ...scope])})`,
    );
    if (runtime) hints.push('controller-runtime metrics on the MetalLB jobs: MetalLB >= 0.16');
  }
  if (staleNativePeers)
    hints.push(
      'native BGP series with peer="IP" (no port): MetalLB 0.15\'s stale series (metallb#2806), filtered by bgp.nativePeerMatcher',
    );
  return hints;
}

async function downTargets(
  client: PrometheusClient,
  cfg: MixinConfig,
  clusterLabel: string | undefined,
  groups: readonly ScrapeGroup[],
  scope: readonly string[],
): Promise<TargetRef[]> {
  const jobs = [...new Set(groups.map((g) => g.job))];
  // A job whose targets are all down has no MetalLB series left: look for it by name and by the
  // config's selectors too.
  const selectors = [
    selector('up', [`job=~${quote(`.*(metallb|speaker|frr-k8s|frrk8s).*${jobs.length > 0 ? `|${alternation(jobs)}` : ''}`)}`, ...scope]),
    ...(['controller', 'speaker', 'frrMetrics', 'frrK8s'] as const).map((c) => selector('up', [cfg.selectors[c], ...scope])),
  ];
  const seen = new Map<string, TargetRef>();
  for (const s of selectors) {
    for (const r of await client.query(`${s} == 0`)) {
      const ref = {
        cluster: clusterLabel ? (r.metric[clusterLabel] ?? '') : '',
        job: r.metric['job'] ?? '',
        instance: r.metric['instance'] ?? '',
      };
      seen.set(`${ref.cluster}\u0000${ref.job}\u0000${ref.instance}`, ref);
    }
  }
  return [...seen.values()].sort(byKeys((t) => [t.cluster, t.job, t.instance]));
}

const ksmMetrics = [...catalogue.values()].filter((e) => e.components.includes('kubeStateMetrics')).map((e) => e.name);

/** Read what the Prometheus holds about MetalLB: sources, modes, cluster label, versions, down targets. */
export async function discoverFacts(
  client: PrometheusClient,
  cfg: MixinConfig,
  opts: { cluster?: string; progress?: Progress } = {},
): Promise<Facts> {
  const progress = opts.progress ?? (() => undefined);
  progress('counting MetalLB series');
  const [totalRow] = await client.query(`count(${selector(undefined, [metallbNameMatcher])})`);
  const total = totalRow?.value ?? 0;
  const scrapedJobs = (await client.labelValues('job', ['up'])).sort();
  progress('looking for a cluster label');
  const cluster =
    total > 0 ? await detectClusterLabel(client, cfg, total) : { configured: cfg.clusterLabel, detected: undefined, values: [] };
  const scope = opts.cluster === undefined ? [] : [`${cluster.detected ?? cfg.clusterLabel}=${quote(opts.cluster)}`];
  const [scopedRow] = scope.length > 0 ? await client.query(`count(${selector(undefined, [metallbNameMatcher, ...scope])})`) : [totalRow];
  const metallbSeries = scopedRow?.value ?? 0;

  progress('grouping MetalLB series by job');
  const { groups, modes, staleNativePeers } = await scrapeGroups(client, cluster.detected, scope);
  progress('looking for kube-state-metrics');
  // kube-state-metrics honours labels, so its `namespace` is the objects': group by job alone.
  const ksmBy = ['job', ...(cluster.detected ? [cluster.detected] : [])].join(', ');
  const ksmRows = await client.query(
    `count by (${ksmBy}) (${selector(undefined, [`__name__=~${quote(ksmMetrics.join('|'))}`, ...scope])})`,
  );
  const kubeStateMetrics = ksmRows
    .map((r) => ({ cluster: cluster.detected ? (r.metric[cluster.detected] ?? '') : '', job: r.metric['job'] ?? '' }))
    .sort(byKeys((k) => [k.cluster, k.job]));
  progress('reading version hints and target health');
  const metricNames = new Set(groups.flatMap((g) => g.metrics));
  return {
    metallbSeries,
    groups,
    bgpModes: bgpModes.filter((m) => modes.has(m)),
    bfd: [...metricNames].some((m) => /^(metallb|frrk8s)_bfd_/.test(m)),
    cluster,
    kubeStateMetrics,
    versionHints: await versionHints(client, groups, staleNativePeers, scope),
    downTargets: await downTargets(client, cfg, cluster.detected, groups, scope),
    scrapedJobs,
    scope,
  };
}

/** How the reports name a component. */
export function describeComponent(component: Component): string {
  return {
    controller: 'controller',
    speaker: 'speaker',
    frrMetrics: 'FRR-mode frr-metrics sidecar',
    frrK8s: 'frr-k8s',
    kubeStateMetrics: 'kube-state-metrics',
  }[component];
}

/** The groups of one component. */
export function groupsOf(facts: Facts, component: Component): ScrapeGroup[] {
  return facts.groups.filter((g) => g.components.includes(component));
}
