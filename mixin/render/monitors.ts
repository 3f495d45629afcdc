import type { MixinConfig } from '../config/schema.js';
import { nonEmpty, type Manifest } from './kubernetes.js';

type PodSelector = keyof MixinConfig['outputs']['monitors']['podSelectors'];

type Scheme = 'http' | 'https';

/**
 * The names of the example Services' own ports. They point at the pods' port numbers, not their
 * names, because the names changed across versions (metallb-metrics.md §7): the speaker's FRR
 * metrics port is `monitoring` up to 0.15.2, like the speaker's own, and `frrmetrics` after; frr-k8s
 * calls 9141 `metricshttps` up to v0.0.22 and `frrmetricshttps` after.
 */
const servicePortNames = { metrics: 'metrics', frrMetrics: 'frr-metrics' } as const;

/**
 * One headless Service and its ServiceMonitor. The Service name is the `job` label the Prometheus
 * Operator derives (no `jobLabel`), so it must be one the mixin's default selectors accept.
 */
interface ScrapeTarget {
  readonly service: string;
  readonly monitor: string;
  readonly pods: PodSelector;
  /** The process's own metrics port and, where the pods run FRR, the port of FRR's metrics. */
  readonly ports: { readonly metrics: number; readonly frrMetrics?: number };
}

interface MonitorSet {
  readonly file: string;
  readonly scheme: Scheme;
  /** Where the pods run: MetalLB's namespace or frr-k8s's. */
  readonly namespace: 'metallb' | 'frrK8s';
  readonly targets: readonly ScrapeTarget[];
}

/** MetalLB's controller and speakers: both serve their own metrics on one port, the speakers' FRR sidecar on another. */
const metallbTargets = (metrics: number, frrMetrics: number): ScrapeTarget[] => [
  { service: 'controller-monitor-service', monitor: 'controller-monitor', pods: 'controller', ports: { metrics } },
  { service: 'speaker-monitor-service', monitor: 'speaker-monitor', pods: 'speaker', ports: { metrics, frrMetrics } },
];

/**
 * Ports from metallb-metrics.md §2.1. A numeric target port reaches pods that do not declare it
 * (no frr-metrics container when FRR mode is off); each endpoint keeps only pods whose containers
 * declare its port, so one speaker Service serves every mode without a failing target.
 */
const monitorSets: readonly MonitorSet[] = [
  { file: 'kubernetes/monitors/metallb-0.16.yaml', scheme: 'https', namespace: 'metallb', targets: metallbTargets(9120, 9121) },
  {
    file: 'kubernetes/monitors/frr-k8s.yaml',
    scheme: 'https',
    namespace: 'frrK8s',
    targets: [
      {
        service: 'frr-k8s-metrics-service',
        monitor: 'frr-k8s-metrics-monitor',
        pods: 'frrK8s',
        ports: { metrics: 9140, frrMetrics: 9141 },
      },
    ],
  },
  { file: 'kubernetes/monitors/metallb-0.15.yaml', scheme: 'http', namespace: 'metallb', targets: metallbTargets(7472, 7473) },
];

/** The target's ports under the example Service's names; the ServiceMonitor endpoints name them too. */
function namedPorts(target: ScrapeTarget): { readonly name: string; readonly port: number }[] {
  const { metrics, frrMetrics } = target.ports;
  return [
    { name: servicePortNames.metrics, port: metrics },
    ...(frrMetrics === undefined ? [] : [{ name: servicePortNames.frrMetrics, port: frrMetrics }]),
  ];
}

const discoveryRole = 'metallb-mixin-prometheus-discovery';
const metricsReader = 'metallb-mixin-metrics-reader';
/** The identity the HTTPS scrapes present: a ServiceAccount beside the monitors and its token Secret. */
const scraper = 'metallb-mixin-scraper';
const scraperToken = `${scraper}-token`;

/** Prometheus needs to list the Services, endpoints and pods it discovers in a namespace it does not own. */
function discoveryRbac(namespace: string, cfg: MixinConfig): Manifest[] {
  const sa = cfg.outputs.monitors.prometheusServiceAccount;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: discoveryRole, namespace },
      rules: [
        { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: discoveryRole, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: discoveryRole },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
    },
  ];
}

/**
 * Since 0.16 MetalLB and frr-k8s authorize each scrape with a SubjectAccessReview on `/metrics`.
 * The Prometheus Operator reads the bearer token from a Secret in the monitor's namespace
 * (`authorization`), which replaces the deprecated `bearerTokenFile` and works where Prometheus
 * denies monitors file access; Kubernetes fills a service-account-token Secret with the token.
 */
function metricsReaderRbac(namespace: string): Manifest[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: scraper, namespace } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: scraperToken, namespace, annotations: { 'kubernetes.io/service-account.name': scraper } },
      type: 'kubernetes.io/service-account-token',
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: metricsReader },
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      // One binding per namespace: MetalLB's and a standalone frr-k8s's apply side by side.
      metadata: { name: `${metricsReader}-${namespace}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: metricsReader },
      subjects: [{ kind: 'ServiceAccount', name: scraper, namespace }],
    },
  ];
}

function service(target: ScrapeTarget, namespace: string, cfg: MixinConfig): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: target.service, namespace, labels: { name: target.service } },
    spec: {
      clusterIP: 'None',
      selector: { ...cfg.outputs.monitors.podSelectors[target.pods] },
      ports: namedPorts(target).map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
    },
  };
}

function serviceMonitor(target: ScrapeTarget, set: MonitorSet, namespace: string, cfg: MixinConfig): Manifest {
  const { labels, interval } = cfg.outputs.monitors;
  // honorLabels keeps metallb_speaker_announced's own `service` label instead of the operator's.
  const tls =
    set.scheme === 'https'
      ? {
          authorization: { type: 'Bearer', credentials: { name: scraperToken, key: 'token' } },
          tlsConfig: { insecureSkipVerify: true },
        }
      : {};
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: target.monitor, namespace, labels: nonEmpty(labels) },
    spec: {
      selector: { matchLabels: { name: target.service } },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: namedPorts(target).map((p) => ({
        port: p.name,
        scheme: set.scheme,
        interval,
        honorLabels: true,
        ...tls,
        relabelings: [{ action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_port_number'], regex: String(p.port) }],
      })),
    },
  };
}

/** Each example file (path relative to out/) and the objects it holds, in apply order. */
export function monitorManifests(cfg: MixinConfig): Map<string, Manifest[]> {
  const files = new Map<string, Manifest[]>();
  for (const set of monitorSets) {
    const namespace = set.namespace === 'metallb' ? cfg.outputs.monitors.namespace : cfg.outputs.monitors.frrK8sNamespace;
    files.set(set.file, [
      ...discoveryRbac(namespace, cfg),
      ...(set.scheme === 'https' ? metricsReaderRbac(namespace) : []),
      ...set.targets.map((t) => service(t, namespace, cfg)),
      ...set.targets.map((t) => serviceMonitor(t, set, namespace, cfg)),
    ]);
  }
  return files;
}
