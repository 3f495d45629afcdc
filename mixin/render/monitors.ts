import type { MixinConfig } from '../config/schema.js';
import { nonEmpty, type Manifest } from './kubernetes.js';

type PodSelector = keyof MixinConfig['outputs']['monitors']['podSelectors'];

type Scheme = 'http' | 'https';

/** The names the pods give their metrics ports: plain HTTP up to MetalLB 0.15, HTTPS since 0.16 and in frr-k8s. */
const portNames: Readonly<Record<Scheme, { readonly metrics: string; readonly frrMetrics: string }>> = {
  https: { metrics: 'metricshttps', frrMetrics: 'frrmetricshttps' },
  http: { metrics: 'monitoring', frrMetrics: 'frrmetrics' },
};

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
 * Ports from metallb-metrics.md §2.1. A port the pods do not declare (frr-metrics when FRR mode is
 * off) is skipped by Kubernetes for named target ports, so one speaker Service serves every mode.
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

/** The target's ports under the names its pods give them; the Service and the ServiceMonitor endpoint reuse the name. */
function namedPorts(target: ScrapeTarget, scheme: Scheme): { readonly name: string; readonly port: number }[] {
  const names = portNames[scheme];
  const { metrics, frrMetrics } = target.ports;
  return [{ name: names.metrics, port: metrics }, ...(frrMetrics === undefined ? [] : [{ name: names.frrMetrics, port: frrMetrics }])];
}

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const discoveryRole = 'metallb-mixin-prometheus-discovery';
const metricsReader = 'metallb-mixin-metrics-reader';

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

/** Since 0.16 MetalLB and frr-k8s authorize each scrape with a SubjectAccessReview on `/metrics`. */
function metricsReaderRbac(cfg: MixinConfig): Manifest[] {
  const sa = cfg.outputs.monitors.prometheusServiceAccount;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: metricsReader },
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: metricsReader },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: metricsReader },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
    },
  ];
}

function service(target: ScrapeTarget, set: MonitorSet, namespace: string, cfg: MixinConfig): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: target.service, namespace, labels: { name: target.service } },
    spec: {
      clusterIP: 'None',
      selector: { ...cfg.outputs.monitors.podSelectors[target.pods] },
      ports: namedPorts(target, set.scheme).map((p) => ({ name: p.name, port: p.port, targetPort: p.name })),
    },
  };
}

function serviceMonitor(target: ScrapeTarget, set: MonitorSet, namespace: string, cfg: MixinConfig): Manifest {
  const { labels, interval } = cfg.outputs.monitors;
  // honorLabels keeps metallb_speaker_announced's own `service` label instead of the operator's.
  const tls = set.scheme === 'https' ? { bearerTokenFile: serviceAccountToken, tlsConfig: { insecureSkipVerify: true } } : {};
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: target.monitor, namespace, labels: nonEmpty(labels) },
    spec: {
      selector: { matchLabels: { name: target.service } },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: namedPorts(target, set.scheme).map((p) => ({ port: p.name, scheme: set.scheme, interval, honorLabels: true, ...tls })),
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
      ...(set.scheme === 'https' ? metricsReaderRbac(cfg) : []),
      ...set.targets.map((t) => service(t, set, namespace, cfg)),
      ...set.targets.map((t) => serviceMonitor(t, set, namespace, cfg)),
    ]);
  }
  return files;
}
