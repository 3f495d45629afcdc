/**
 * The scrape targets a real install exposes, with the target labels the Prometheus Operator gives
 * them (see the metric reference, §2.3 and §2.4): `job` from the Service name or the monitor's
 * jobLabel, `namespace`, `service`, `pod`, `container`, `endpoint` (the port name), and `instance`
 * (the node address for hostNetwork pods, the pod address otherwise).
 */
import { createHash } from 'node:crypto';
import type { BgpMode } from '../../mixin/catalogue.js';
import { jobNames as installJobs, podName, targetLabels, type Endpoint, type Install, type InstallStyle } from '../sim/install.js';
import type { ClusterSpec, NodeSpec, ResolvedOptions } from './topology.js';

/** What a target serves; one simulated process may serve several (the frr-k8s pod serves two). */
export type TargetKind = Endpoint;

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

/** The pod-name suffixes of a cluster's pods: stable, so a test can name the pod an alert is about. */
const suffixes = {
  controller: (c: string) => `${suffix(`${c}/rs`, 10)}-${suffix(`${c}/controller`)}`,
  speaker: (c: string, n: string) => suffix(`${c}/${n}/speaker`),
  frrK8s: (c: string, n: string) => suffix(`${c}/${n}/frr-k8s`),
};

/** The pod address of the controller (not hostNetwork), in the node's pod CIDR. */
function podAddress(cluster: ClusterSpec, node: NodeSpec, host: number): string {
  const nodeIndex = cluster.nodes.indexOf(node);
  const clusterOctet = node.ip.split('.')[2] ?? '0';
  return `10.${clusterOctet}.${nodeIndex}.${host}`;
}

/** The pod names the simulator uses, for assertions on alert labels. */
export function podNames(opts: ResolvedOptions, cluster: string, node: string): { speaker: string; frrK8s: string; controller: string } {
  const style = opts.install;
  return {
    speaker: podName(style, 'speaker', suffixes.speaker(cluster, node)),
    frrK8s: podName(style, 'frrK8s', suffixes.frrK8s(cluster, node)),
    controller: podName(style, 'controller', suffixes.controller(cluster)),
  };
}

/** The `job` labels of this install, by component. */
export function jobNames(install: InstallStyle): ReturnType<typeof installJobs> {
  return installJobs(install);
}

function usesFrrK8s(mode: BgpMode): boolean {
  return mode === 'frr-k8s' || mode === 'frr-k8s-relabelled';
}

/** Every target of every cluster, in a stable order. */
export function simulatedTargets(opts: ResolvedOptions): SimTarget[] {
  // The live simulator serves MetalLB 0.16 (HTTPS endpoints, no stale native series).
  const install: Install = { style: opts.install, version: '0.16' };
  const targets: SimTarget[] = [];
  for (const cluster of opts.clusters) {
    const c = cluster.name;
    const clusterValue = opts.multiCluster ? c : undefined;
    const add = (kind: Endpoint, node: string, path: string, pod: string, address: string) =>
      targets.push({
        cluster: c,
        kind,
        node,
        path,
        honorLabels: true,
        relabelFrrK8sToMetalLB: kind === 'frrK8sMetrics' && opts.bgpMode === 'frr-k8s-relabelled',
        labels: targetLabels(install, kind, pod, address, clusterValue),
      });

    const controllerNode = cluster.nodes[cluster.nodes.length - 1];
    if (!controllerNode) throw new Error(`cluster ${c} has no nodes`);
    add(
      'controller',
      controllerNode.name,
      `/c/${c}/controller/0`,
      podNames(opts, c, controllerNode.name).controller,
      podAddress(cluster, controllerNode, 17),
    );

    for (const node of cluster.nodes) {
      const pods = podNames(opts, c, node.name);
      add('speaker', node.name, `/c/${c}/speaker/${node.name}`, pods.speaker, node.ip);
      if (opts.bgpMode === 'frr') add('frrMetrics', node.name, `/c/${c}/speaker/${node.name}/frr-metrics`, pods.speaker, node.ip);
      if (usesFrrK8s(opts.bgpMode)) {
        add('frrK8sController', node.name, `/c/${c}/frr-k8s/${node.name}/controller`, pods.frrK8s, node.ip);
        add('frrK8sMetrics', node.name, `/c/${c}/frr-k8s/${node.name}/frr-metrics`, pods.frrK8s, node.ip);
      }
    }

    if (opts.kubeStateMetrics) {
      // kube-prometheus's ServiceMonitor honours labels: the pod/namespace/service labels of the objects win.
      const pod = `kube-state-metrics-${suffix(`${c}/ksm-rs`, 10)}-${suffix(`${c}/ksm`)}`;
      add('kubeStateMetrics', controllerNode.name, `/c/${c}/kube-state-metrics`, pod, podAddress(cluster, controllerNode, 23));
    }
  }
  return targets;
}
