/**
 * The support matrix of issue 12 as data: the MetalLB versions, BGP back-ends, install layouts and
 * data sources the mixin is tested against, combined into cells that cover every value of every
 * axis, and what each fault does in each cell. `test/support-matrix.test.ts` simulates every cell
 * healthy and with each fault on promtool and compares with this table; `npm run docs` renders it
 * into the README. Version facts: the metric reference, §7.
 */

export type MetalLBLine = '0.13' | '0.14' | '0.15' | '0.16';

/**
 * Where BGP series come from. `frr8`/`frr10`: the FRR-mode sidecar on FRR 8.x (a down session is
 * `peer="IP:-1"`, an established one `IP:179`) or FRR 9/10 (stable `IP:179`). frr-k8s `port`:
 * v0.0.8-v0.0.15 (`peer="IP:179"`, on FRR 8.4 up to v0.0.8); `ip`: v0.0.16+ (bare neighbour).
 * `relabelled`: frr-k8s series renamed to `metallb_*` by the operator or kustomize.
 */
export type BgpSource =
  | 'native'
  | 'frr8'
  | 'frr10'
  | 'frr-k8s-port-frr8'
  | 'frr-k8s-port'
  | 'frr-k8s-ip'
  | 'frr-k8s-relabelled';

/**
 * How the MetalLB pods are scraped. Helm ServiceMonitor of chart >= 0.14.6 (speaker job `metallb`),
 * <= 0.14.5 (speaker job `metallb-speaker-monitor-service`), with `nameOverride: lb` (speaker job
 * `lb`), the chart's PodMonitors (controller and speaker both job `metallb`), kustomize, and the
 * MetalLB operator.
 */
export type Layout = 'helm' | 'helm-0.14.5' | 'helm-name-override' | 'helm-podmonitor' | 'kustomize' | 'operator';

/** kube-state-metrics: every series, without pod series (`kube_pod_*` disabled), or not scraped. */
export type KubeStateMetrics = 'complete' | 'partial' | 'absent';

/** A fault the simulator can inject, and the alert it must raise. */
export type Fault =
  | 'speakerDown'
  | 'controllerDown'
  | 'bgpSessionDown'
  | 'poolExhausted'
  | 'configStale'
  | 'frrK8sDown'
  | 'notAnnounced'
  | 'speakerMissing'
  | 'exporterSilent'
  | 'bfdFlapping'
  | 'webhookFailing'
  | 'reconcileErrors'
  | 'reconcilePanics'
  | 'reconcileStuck'
  | 'l2AnnouncerFlapping';

/**
 * What a fault does in a cell. `fires`: its alert fires with its identifying labels, with the
 * default config. `config`: it fires once the config `doctor` writes is applied (the default
 * selectors cannot tell the cell's targets apart). `absent`: the cell exports no data the alert
 * could read, so it stays silent.
 */
export type Outcome = 'fires' | 'config' | 'absent';

export interface Cell {
  readonly id: string;
  readonly metallb: MetalLBLine;
  readonly bgp: BgpSource;
  readonly layout: Layout;
  readonly kubeStateMetrics: KubeStateMetrics;
  /** Targets carry `cluster="<name>"` (one Prometheus, several clusters). */
  readonly clusterLabel: boolean;
  /** The selectors `doctor` writes for this cell; absent when the defaults fit. */
  readonly config?: { readonly selectors: Readonly<Record<string, string>> };
}

export interface FaultSpec {
  readonly alert: string;
  /** What the fault is, as the README says it. */
  readonly what: string;
  /** The data the alert needs. */
  readonly needs: string;
  /** The labels that tell which thing failed. */
  readonly identifiedBy: readonly string[];
}

export const faults: Readonly<Record<Fault, FaultSpec>> = {
  speakerDown: {
    alert: 'MetalLBSpeakerDown',
    what: 'one speaker fails its scrapes',
    needs: '`up` of the speaker; kube-state-metrics pod and node series, when present, to skip pods on not-ready nodes',
    identifiedBy: ['pod'],
  },
  controllerDown: {
    alert: 'MetalLBControllerDown',
    what: 'the controller fails its scrapes',
    needs: '`up` of the controller and of the speakers or frr-k8s (a cluster running MetalLB)',
    identifiedBy: ['cluster'],
  },
  bgpSessionDown: {
    alert: 'MetalLBBGPSessionDown',
    what: 'one BGP session drops',
    needs: 'the session gauge of the BGP back-end (`*_bgp_session_up`)',
    identifiedBy: ['pod', 'peer'],
  },
  poolExhausted: {
    alert: 'MetalLBAddressPoolExhausted',
    what: 'one pool has every address in use',
    needs: "the controller's allocator gauges (per family from 0.14)",
    identifiedBy: ['pool'],
  },
  configStale: {
    alert: 'MetalLBConfigStale',
    what: 'one speaker runs on a stale configuration',
    needs: '`metallb_k8s_client_config_stale_bool`',
    identifiedBy: ['pod'],
  },
  frrK8sDown: {
    alert: 'MetalLBFRRK8sDown',
    what: "one frr-k8s pod's metrics fail their scrapes",
    needs: '`up` of frr-k8s',
    identifiedBy: ['pod'],
  },
  notAnnounced: {
    alert: 'MetalLBAddressesNotAnnounced',
    what: "no node announces a LoadBalancer Service's address",
    needs:
      "the controller's allocated addresses and the speakers' `metallb_speaker_announced`; kube-state-metrics Service series (`kube_service_*`) name the Service, without them one count per cluster fires",
    identifiedBy: ['service'],
  },
  speakerMissing: {
    alert: 'MetalLBSpeakersMissing',
    what: 'a node has no speaker pod',
    needs: 'kube-state-metrics node and pod series (`kube_node_*`, `kube_pod_info`) to know the nodes and where the speakers run',
    identifiedBy: ['node'],
  },
  exporterSilent: {
    alert: 'MetalLBFRRExporterSilent',
    what: "one FRR exporter stays up and exports no BGP or BFD series (its `vtysh` calls fail)",
    needs: '`up` and the session gauge of the FRR sidecar or frr-k8s, over the last hour',
    identifiedBy: ['pod'],
  },
  bfdFlapping: {
    alert: 'MetalLBBFDSessionFlapping',
    what: 'one BFD session goes down and up between scrapes, again and again',
    needs: 'the BFD down-event counter of the FRR back-end (`*_bfd_session_down_events`)',
    identifiedBy: ['pod', 'peer'],
  },
  webhookFailing: {
    alert: 'MetalLBWebhookFailing',
    what: "the controller's validating webhook answers 500 to every request",
    needs: "controller-runtime's webhook counter of the controller (MetalLB >= 0.16)",
    identifiedBy: ['webhook'],
  },
  reconcileErrors: {
    alert: 'MetalLBReconcileErrorsHigh',
    what: 'one speaker fails most reconciles of one controller',
    needs: "controller-runtime's reconcile counters of the speaker (MetalLB >= 0.16)",
    identifiedBy: ['job', 'controller'],
  },
  reconcilePanics: {
    alert: 'MetalLBReconcilePanics',
    what: 'one speaker panics in a reconcile',
    needs: "controller-runtime's panic counter of the speaker (MetalLB >= 0.16)",
    identifiedBy: ['job', 'controller'],
  },
  reconcileStuck: {
    alert: 'MetalLBReconcileStuck',
    what: "one speaker's reconcile never returns",
    needs: 'the work queue gauge `workqueue_longest_running_processor_seconds` of the speaker (MetalLB >= 0.16)',
    identifiedBy: ['job', 'name'],
  },
  l2AnnouncerFlapping: {
    alert: 'MetalLBL2AnnouncerFlapping',
    what: 'the node announcing one layer-2 address alternates between two nodes',
    needs: '`metallb_speaker_announced` of the layer-2 addresses',
    identifiedBy: ['service', 'ip'],
  },
};

/** The faults only controller-runtime's metrics show: MetalLB >= 0.16 serves them from the controller and speakers. */
export const controllerRuntimeFaults: readonly Fault[] = ['webhookFailing', 'reconcileErrors', 'reconcilePanics', 'reconcileStuck'];

/** Selectors for the Helm PodMonitors, where controller and speaker share the job `metallb` (README, selectors.speaker). */
const podMonitorSelectors = {
  controller: 'job="metallb",container="controller"',
  speaker: 'job="metallb",container="speaker"',
};

/** nameOverride `lb` makes the speaker job `lb`; the sidecar shares it. In the form `doctor` writes them (job, then container). */
const nameOverrideSelectors = {
  speaker: 'job="lb",container="speaker"',
  frrMetrics: 'job="lb",container="frr-metrics"',
};

export const cells: readonly Cell[] = [
  { id: '0.13-helm-frr8', metallb: '0.13', bgp: 'frr8', layout: 'helm-0.14.5', kubeStateMetrics: 'complete', clusterLabel: false },
  { id: '0.13-kustomize-native', metallb: '0.13', bgp: 'native', layout: 'kustomize', kubeStateMetrics: 'absent', clusterLabel: true },
  { id: '0.14.5-helm-native', metallb: '0.14', bgp: 'native', layout: 'helm-0.14.5', kubeStateMetrics: 'partial', clusterLabel: false },
  { id: '0.14-helm-frr-k8s-0.0.8', metallb: '0.14', bgp: 'frr-k8s-port-frr8', layout: 'helm', kubeStateMetrics: 'complete', clusterLabel: false },
  {
    id: '0.14-podmonitor-native',
    metallb: '0.14',
    bgp: 'native',
    layout: 'helm-podmonitor',
    kubeStateMetrics: 'complete',
    clusterLabel: true,
    config: { selectors: podMonitorSelectors },
  },
  { id: '0.15-helm-native', metallb: '0.15', bgp: 'native', layout: 'helm', kubeStateMetrics: 'complete', clusterLabel: true },
  {
    id: '0.15-helm-lb-frr10',
    metallb: '0.15',
    bgp: 'frr10',
    layout: 'helm-name-override',
    kubeStateMetrics: 'complete',
    clusterLabel: false,
    config: { selectors: nameOverrideSelectors },
  },
  { id: '0.15-helm-frr-k8s-port', metallb: '0.15', bgp: 'frr-k8s-port', layout: 'helm', kubeStateMetrics: 'absent', clusterLabel: false },
  {
    id: '0.15-kustomize-frr-k8s-relabelled',
    metallb: '0.15',
    bgp: 'frr-k8s-relabelled',
    layout: 'kustomize',
    kubeStateMetrics: 'partial',
    clusterLabel: true,
  },
  { id: '0.16-helm-frr-k8s', metallb: '0.16', bgp: 'frr-k8s-ip', layout: 'helm', kubeStateMetrics: 'complete', clusterLabel: false },
  { id: '0.16-helm-frr-k8s-cluster', metallb: '0.16', bgp: 'frr-k8s-ip', layout: 'helm', kubeStateMetrics: 'complete', clusterLabel: true },
  {
    id: '0.16-operator-frr-k8s-relabelled',
    metallb: '0.16',
    bgp: 'frr-k8s-relabelled',
    layout: 'operator',
    kubeStateMetrics: 'complete',
    clusterLabel: false,
  },
  { id: '0.16-kustomize-frr-k8s', metallb: '0.16', bgp: 'frr-k8s-ip', layout: 'kustomize', kubeStateMetrics: 'partial', clusterLabel: true },
  { id: '0.16-helm-native', metallb: '0.16', bgp: 'native', layout: 'helm', kubeStateMetrics: 'absent', clusterLabel: false },
  { id: '0.16-kustomize-frr10', metallb: '0.16', bgp: 'frr10', layout: 'kustomize', kubeStateMetrics: 'complete', clusterLabel: false },
];

export const usesFrrK8s = (bgp: BgpSource): boolean => bgp.startsWith('frr-k8s');

/** The faults a cell can show: frr-k8s only where it runs, FRR exporters and BFD only where FRR runs. */
export function faultsOf(cell: Cell): Fault[] {
  return (Object.keys(faults) as Fault[]).filter((f) => {
    if (f === 'frrK8sDown') return usesFrrK8s(cell.bgp);
    if (f === 'exporterSilent' || f === 'bfdFlapping') return cell.bgp !== 'native';
    return true;
  });
}

/** What each fault does in a cell: silent where its data is not exported, else it fires (after `doctor` where the cell needs config). */
export function outcome(cell: Cell, fault: Fault): Outcome | undefined {
  if (!faultsOf(cell).includes(fault)) return undefined;
  // Without pod series nothing maps a speaker to its node: the alert stays silent (issue 12: checked per metric).
  if (fault === 'speakerMissing' && cell.kubeStateMetrics !== 'complete') return 'absent';
  if (controllerRuntimeFaults.includes(fault) && cell.metallb !== '0.16') return 'absent';
  return cell.config ? 'config' : 'fires';
}

const layoutNames: Readonly<Record<Layout, string>> = {
  helm: 'Helm ServiceMonitor (chart >= 0.14.6)',
  'helm-0.14.5': 'Helm ServiceMonitor (chart <= 0.14.5)',
  'helm-name-override': 'Helm ServiceMonitor, `nameOverride: lb`',
  'helm-podmonitor': 'Helm PodMonitor',
  kustomize: 'kustomize',
  operator: 'MetalLB operator',
};

const bgpNames: Readonly<Record<BgpSource, string>> = {
  native: 'native',
  frr8: 'FRR mode, FRR 8.x',
  frr10: 'FRR mode, FRR 9/10',
  'frr-k8s-port-frr8': 'frr-k8s v0.0.8 (`IP:port`, FRR 8.4)',
  'frr-k8s-port': 'frr-k8s <= v0.0.15 (`IP:port`)',
  'frr-k8s-ip': 'frr-k8s v0.0.16+',
  'frr-k8s-relabelled': 'frr-k8s, relabelled to `metallb_*`',
};

const outcomeMarks: Readonly<Record<Outcome, string>> = { fires: 'fires', config: 'fires after `doctor`', absent: 'silent: no data' };

/** The README's matrix: one row per cell, one column per fault; then what each alert needs. */
export function renderSupportMatrix(): string {
  const order = Object.keys(faults) as Fault[];
  const head = ['MetalLB', 'BGP', 'install', 'kube-state-metrics', 'cluster label', ...order.map((f) => faults[f].alert.replace(/^MetalLB/, ''))];
  const rows = cells.map((c) => [
    c.metallb,
    bgpNames[c.bgp],
    layoutNames[c.layout],
    c.kubeStateMetrics,
    c.clusterLabel ? 'yes' : 'no',
    ...order.map((f) => {
      const o = outcome(c, f);
      return o === undefined ? '–' : outcomeMarks[o];
    }),
  ]);
  const needs = order.map((f) => [faults[f].alert, faults[f].what, faults[f].needs, faults[f].identifiedBy.map((l) => `\`${l}\``).join(', ')]);
  const table = (header: string[], body: string[][]) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  return `${table(head, rows)}\n\n${table(['alert', 'fault simulated', 'needs', 'identified by'], needs)}`;
}
