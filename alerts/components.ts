import type { MetalLBComponent } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { podsOnNotReadyNodesRecord, speakersMissingRecord } from '../rules/components.js';
import { inCluster, ofCluster } from './templates.js';

/**
 * Targets of the controller, the speakers and frr-k8s. Speakers and frr-k8s run one pod per node
 * with hostNetwork, so a node that kube-state-metrics reports not Ready (or tainted unreachable)
 * takes its pods' targets down with it: that is the node's alert, not ours. Without kube-state-metrics nothing is
 * excluded and the alerts that need it stay silent.
 */
export function componentAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const up = (component: MetalLBComponent) => q.metric('up', component);
  // Recorded (rules/components.ts): both alerts read the same join of DaemonSet pods and nodes.
  const unlessNodeNotReady = `unless on (${q.by('namespace', 'pod')})\n${podsOnNotReadyNodesRecord} > 0`;
  const target = `{{ $labels.pod }} ({{ $labels.instance }}, job {{ $labels.job }})${inCluster(cfg)}`;

  return {
    name: 'metallb-components',
    alerts: [
      {
        alert: 'MetalLBControllerDown',
        severity: 'critical',
        // Anchored on the speakers and frr-k8s, which every MetalLB cluster has: a bare absent()
        // would lose the cluster label and stay silent while any other cluster has a controller.
        expr: `group by (${q.by()}) (${up('speaker')} or ${up('frrK8s')})\nunless on (${q.by()})\n${up('controller')} == 1`,
        summary: 'The MetalLB controller is down.',
        description: `No MetalLB controller target is up${ofCluster(cfg)} while its speakers are scraped: new LoadBalancer Services get no address and pool changes are not applied.`,
      },
      {
        alert: 'MetalLBSpeakerDown',
        severity: 'warning',
        // The FRR-mode sidecar is scraped as its own target of the speaker pod: down, it blinds every BGP alert of the node.
        expr: `(${up('speaker')} == 0 or ${up('frrMetrics')} == 0)\n${unlessNodeNotReady}`,
        summary: 'A MetalLB speaker target is down.',
        description: `MetalLB speaker target ${target} is down on a Ready node: this node may not announce its service addresses, and its metrics are missing.`,
      },
      {
        alert: 'MetalLBSpeakersMissing',
        severity: 'warning',
        // Recorded (rules/components.ts), with alerts.MetalLBSpeakersMissing.nodeMatchers applied:
        // the overview's "Nodes without a speaker" stat reads the same record.
        expr: `${speakersMissingRecord} > 0`,
        summary: 'A node runs no MetalLB speaker.',
        description: `Node {{ $labels.node }}${inCluster(cfg)} is Ready but runs no MetalLB speaker that Prometheus scrapes: MetalLB cannot announce service addresses from it. If the speakers avoid this node on purpose, set alerts.MetalLBSpeakersMissing.nodeMatchers.`,
      },
      {
        alert: 'MetalLBFRRK8sDown',
        severity: 'warning',
        expr: `${up('frrK8s')} == 0\n${unlessNodeNotReady}`,
        summary: 'A frr-k8s target is down.',
        description: `frr-k8s target ${target} is down on a Ready node: the BGP sessions of this node may be down, and its BGP and BFD metrics are missing.`,
      },
    ],
  };
}
