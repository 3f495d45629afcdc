/**
 * The scrape targets a real install exposes, with the target labels the Prometheus Operator gives
 * them (see the metric reference, §2.3 and §2.4): `job` from the Service name or the monitor's
 * jobLabel, `namespace`, `service`, `pod`, `container`, `endpoint` (the port name), and `instance`
 * (the node address for hostNetwork pods, the pod address otherwise).
 */
import { createHash } from 'node:crypto';
import type { BgpMode } from '../../mixin/catalogue.js';
import type { ClusterSpec, InstallStyle, NodeSpec, ResolvedOptions } from './topology.js';

/** What a target serves; one simulated process may serve several (the frr-k8s pod serves two). */
export type TargetKind = 'controller' | 'speaker' | 'frrMetrics' | 'frrK8sController' | 'frrK8sMetrics' | 'kubeStateMetrics';

export interface SimTarget {
  readonly cluster: string;
  readonly kind: TargetKind;
  /** Node the pod runs on (every target has one; hostNetwork ones are scraped at its address). */
  readonly node: string;
  /** Path on the simulator's HTTP server, e.g. `/c/kind/speaker/worker-1`. */
  readonly path: string;
  /** Target labels as the operator sets them (`job`, `namespace`, `service`, `pod`, `container`, `endpoint`, `instance`, and `cluster` in multi-cluster mode). */
  readonly labels: Readonly<Record<string, string>>;
  /** The real monitor sets honorLabels (so the metric's own `service`/`pod` win). */
  readonly honorLabels: boolean;
  /** The operator's metricRelabelings renaming frr-k8s BGP/BFD series to `metallb_*`. */
  readonly relabelFrrK8sToMetalLB: boolean;
}

/** A stable pseudo-random suffix, like the ones ReplicaSets and DaemonSets give pods. */
function suffix(seed: string, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(seed).digest();
  return [...digest.subarray(0, length)].map((b) => alphabet[b % alphabet.length]).join('');
}

interface InstallNames {
  readonly namespace: string;
  readonly frrK8sNamespace: string;
  readonly controllerPod: (cluster: string) => string;
  readonly speakerPod: (cluster: string, node: string) => string;
  readonly frrK8sPod: (cluster: string, node: string) => string;
  readonly jobs: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
  readonly services: Readonly<Record<'controller' | 'speaker' | 'frrK8s', string>>;
}

/** Names from the Helm chart (release `metallb`) and from the kustomize manifests. */
const installNames: Readonly<Record<InstallStyle, InstallNames>> = {
  helm: {
    namespace: 'metallb-system',
    frrK8sNamespace: 'metallb-system',
    controllerPod: (c) => `metallb-controller-${suffix(`${c}/rs`, 10)}-${suffix(`${c}/controller`)}`,
    speakerPod: (c, n) => `metallb-speaker-${suffix(`${c}/${n}/speaker`)}`,
    frrK8sPod: (c, n) => `metallb-frr-k8s-${suffix(`${c}/${n}/frr-k8s`)}`,
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
    controllerPod: (c) => `controller-${suffix(`${c}/rs`, 10)}-${suffix(`${c}/controller`)}`,
    speakerPod: (c, n) => `speaker-${suffix(`${c}/${n}/speaker`)}`,
    frrK8sPod: (c, n) => `frr-k8s-${suffix(`${c}/${n}/frr-k8s`)}`,
    jobs: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-metrics-service' },
    services: { controller: 'controller-monitor-service', speaker: 'speaker-monitor-service', frrK8s: 'frr-k8s-metrics-service' },
  },
};

/** The pod address of the controller (not hostNetwork), in the node's pod CIDR. */
function podAddress(cluster: ClusterSpec, node: NodeSpec, host: number): string {
  const nodeIndex = cluster.nodes.indexOf(node);
  const clusterOctet = node.ip.split('.')[2] ?? '0';
  return `10.${clusterOctet}.${nodeIndex}.${host}`;
}

function speakerPodName(opts: ResolvedOptions, cluster: string, node: string): string {
  return installNames[opts.install].speakerPod(cluster, node);
}

/** The pod names the simulator uses, for assertions on alert labels. */
export function podNames(opts: ResolvedOptions, cluster: string, node: string): { speaker: string; frrK8s: string; controller: string } {
  const names = installNames[opts.install];
  return { speaker: speakerPodName(opts, cluster, node), frrK8s: names.frrK8sPod(cluster, node), controller: names.controllerPod(cluster) };
}

/** The `job` labels of this install, by component. */
export function jobNames(install: InstallStyle): Readonly<Record<'controller' | 'speaker' | 'frrK8s' | 'kubeStateMetrics', string>> {
  return { ...installNames[install].jobs, kubeStateMetrics: 'kube-state-metrics' };
}

function usesFrrK8s(mode: BgpMode): boolean {
  return mode === 'frr-k8s' || mode === 'frr-k8s-relabelled';
}

/** Every target of every cluster, in a stable order. */
export function simulatedTargets(opts: ResolvedOptions): SimTarget[] {
  const names = installNames[opts.install];
  const targets: SimTarget[] = [];
  for (const cluster of opts.clusters) {
    const c = cluster.name;
    const clusterLabels: Record<string, string> = opts.multiCluster ? { cluster: c } : {};
    const add = (t: Omit<SimTarget, 'cluster' | 'relabelFrrK8sToMetalLB'> & { relabelFrrK8sToMetalLB?: boolean }) =>
      targets.push({ relabelFrrK8sToMetalLB: false, ...t, cluster: c, labels: { ...t.labels, ...clusterLabels } });

    const controllerNode = cluster.nodes[cluster.nodes.length - 1];
    if (!controllerNode) throw new Error(`cluster ${c} has no nodes`);
    add({
      kind: 'controller',
      node: controllerNode.name,
      path: `/c/${c}/controller/0`,
      honorLabels: true,
      labels: {
        job: names.jobs.controller,
        namespace: names.namespace,
        service: names.services.controller,
        pod: names.controllerPod(c),
        container: 'controller',
        endpoint: 'metricshttps',
        instance: `${podAddress(cluster, controllerNode, 17)}:9120`,
      },
    });

    for (const node of cluster.nodes) {
      const speakerPod = names.speakerPod(c, node.name);
      const speakerBase = { job: names.jobs.speaker, namespace: names.namespace, service: names.services.speaker, pod: speakerPod };
      add({
        kind: 'speaker',
        node: node.name,
        path: `/c/${c}/speaker/${node.name}`,
        honorLabels: true,
        labels: { ...speakerBase, container: 'speaker', endpoint: 'metricshttps', instance: `${node.ip}:9120` },
      });
      if (opts.bgpMode === 'frr') {
        add({
          kind: 'frrMetrics',
          node: node.name,
          path: `/c/${c}/speaker/${node.name}/frr-metrics`,
          honorLabels: true,
          labels: { ...speakerBase, container: 'frr-metrics', endpoint: 'frrmetricshttps', instance: `${node.ip}:9121` },
        });
      }
      if (usesFrrK8s(opts.bgpMode)) {
        const frrBase = {
          job: names.jobs.frrK8s,
          namespace: names.frrK8sNamespace,
          service: names.services.frrK8s,
          pod: names.frrK8sPod(c, node.name),
        };
        add({
          kind: 'frrK8sController',
          node: node.name,
          path: `/c/${c}/frr-k8s/${node.name}/controller`,
          honorLabels: true,
          labels: { ...frrBase, container: 'controller', endpoint: 'metricshttps', instance: `${node.ip}:9140` },
        });
        add({
          kind: 'frrK8sMetrics',
          node: node.name,
          path: `/c/${c}/frr-k8s/${node.name}/frr-metrics`,
          honorLabels: true,
          relabelFrrK8sToMetalLB: opts.bgpMode === 'frr-k8s-relabelled',
          labels: { ...frrBase, container: 'frr-metrics', endpoint: 'frrmetricshttps', instance: `${node.ip}:9141` },
        });
      }
    }

    if (opts.kubeStateMetrics) {
      const ksmNode = cluster.nodes[cluster.nodes.length - 1] ?? controllerNode;
      add({
        kind: 'kubeStateMetrics',
        node: ksmNode.name,
        path: `/c/${c}/kube-state-metrics`,
        // kube-prometheus's ServiceMonitor honours labels: the pod/namespace/service labels of the objects win.
        honorLabels: true,
        labels: {
          job: 'kube-state-metrics',
          namespace: 'monitoring',
          service: 'kube-state-metrics',
          pod: `kube-state-metrics-${suffix(`${c}/ksm-rs`, 10)}-${suffix(`${c}/ksm`)}`,
          container: 'kube-rbac-proxy-main',
          endpoint: 'https-main',
          instance: `${podAddress(cluster, ksmNode, 23)}:8443`,
        },
      });
    }
  }
  return targets;
}
