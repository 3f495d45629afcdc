/**
 * How an install names what Prometheus scrapes: the target labels the Prometheus Operator gives
 * each endpoint (see the metric reference, §2.3 and §2.4): `job` from the Service name or the
 * monitor's jobLabel, `namespace`, `service`, `pod`, `container`, `endpoint` (the port name), and
 * `instance` (the node address for hostNetwork pods, the pod address otherwise).
 */
import type { Labels } from './model.js';

/** How MetalLB was installed: the Helm chart (release `metallb`) or the kustomize manifests. */
export type InstallStyle = 'helm' | 'kustomize';
/** 0.16 serves metrics over HTTPS on 9120; 0.15 (Helm) over HTTP on 7472, and leaves stale native BGP series. */
export type MetalLBVersion = '0.15' | '0.16';

export interface Install {
  readonly style: InstallStyle;
  readonly version: MetalLBVersion;
}

/** The processes a simulated install runs, one scrape endpoint each (the frr-k8s pod serves two). */
export type Endpoint = 'controller' | 'speaker' | 'frrMetrics' | 'frrK8sController' | 'frrK8sMetrics' | 'kubeStateMetrics';

interface Names {
  readonly namespace: string;
  readonly frrK8sNamespace: string;
  readonly podPrefix: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
  readonly jobs: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
  readonly services: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
}

const names: Readonly<Record<InstallStyle, Names>> = {
  helm: {
    namespace: 'metallb-system',
    frrK8sNamespace: 'metallb-system',
    podPrefix: { controller: 'metallb-controller', speaker: 'metallb-speaker', frrK8s: 'metallb-frr-k8s' },
    // The speaker job is the chart name through jobLabel app.kubernetes.io/name (§2.3).
    jobs: { controller: 'metallb-controller-monitor-service', speaker: 'metallb', frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service' },
    services: {
      controller: 'metallb-controller-monitor-service',
      speaker: 'metallb-speaker-monitor-service',
      frrK8s: 'metallb-frr-k8s-frr-k8s-monitor-service',
    },
  },
  kustomize: {
    namespace: 'metallb-system',
    frrK8sNamespace: 'frr-k8s-system',
    podPrefix: { controller: 'controller', speaker: 'speaker', frrK8s: 'frr-k8s' },
    jobs: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-metrics-service' },
    services: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-metrics-service' },
  },
};

/** The `job` labels of an install, by component. */
export function jobNames(style: InstallStyle): Readonly<Record<'controller' | 'speaker' | 'frrK8s' | 'kubeStateMetrics', string>> {
  return { ...names[style].jobs, kubeStateMetrics: 'kube-state-metrics' };
}

/**
 * A pod's name: the workload's name and the random suffix Kubernetes adds (`<daemonset>-xxxxx`,
 * `<deployment>-<replicaset hash>-xxxxx`); `suffix` is that part.
 */
export function podName(style: InstallStyle, workload: 'controller' | 'speaker' | 'frrK8s', suffix: string): string {
  return `${names[style].podPrefix[workload]}-${suffix}`;
}

/** Where an endpoint listens and what the monitor calls its port. */
function port(install: Install, endpoint: Endpoint): { readonly port: number; readonly name: string; readonly container: string } {
  const legacy = install.version === '0.15';
  switch (endpoint) {
    case 'controller':
    case 'speaker':
      return legacy ? { port: 7472, name: 'metrics', container: endpoint } : { port: 9120, name: 'metricshttps', container: endpoint };
    case 'frrMetrics':
      return { port: legacy ? 7473 : 9121, name: legacy ? 'frrmetrics' : 'frrmetricshttps', container: 'frr-metrics' };
    case 'frrK8sController':
      return { port: 9140, name: 'metricshttps', container: 'controller' };
    case 'frrK8sMetrics':
      return { port: 9141, name: 'frrmetricshttps', container: 'frr-metrics' };
    case 'kubeStateMetrics':
      return { port: 8443, name: 'https-main', container: 'kube-rbac-proxy-main' };
  }
}

/**
 * The target labels of one endpoint: `address` is the pod's IP (the node's for hostNetwork pods),
 * `cluster` the value of the cluster label, when the Prometheus sees several clusters.
 */
export function targetLabels(install: Install, endpoint: Endpoint, pod: string, address: string, cluster?: string): Labels {
  const n = names[install.style];
  const p = port(install, endpoint);
  const workload =
    endpoint === 'frrMetrics' ? 'speaker' : endpoint === 'frrK8sController' || endpoint === 'frrK8sMetrics' ? 'frrK8s' : endpoint;
  const where =
    workload === 'kubeStateMetrics'
      ? { job: 'kube-state-metrics', namespace: 'monitoring', service: 'kube-state-metrics' }
      : { job: n.jobs[workload], namespace: workload === 'frrK8s' ? n.frrK8sNamespace : n.namespace, service: n.services[workload] };
  return {
    ...(cluster !== undefined ? { cluster } : {}),
    ...where,
    endpoint: p.name,
    pod,
    container: p.container,
    instance: `${address}:${p.port}`,
  };
}
