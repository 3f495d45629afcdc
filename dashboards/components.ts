import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import { percentText } from '../alerts/templates.js';
import { buildDashboard } from './common/dashboard.js';
import { cell } from './common/layout.js';
import { colouredCells, table, timeseries, zeroIsGoodSteps, type Target } from './common/panels.js';
import { k8sClientMetric } from '../mixin/catalogue.js';
import { k8sClientProblemRecords } from '../rules/k8s-client.js';
import { componentTitles, either, hostMatcher, k8sClientComponents, oneLine, rate, records, scrapedComponents } from './common/queries.js';
import { targetsUpStat } from './common/targets-up.js';
import { filterVariable } from './common/variables.js';
import { componentRecords } from '../rules/components.js';

/**
 * "All" nodes is `.*`, which matches the empty value of a label a series lacks; a chosen address
 * does not. So the recorded per-job series (which have no `instance`) answer while no node is
 * chosen, and the per-pod series (gated on a label no stored series has, as Prometheus drops
 * `__`-prefixed labels) once one is: each panel reads one of the two, never every pod.
 */
const noHostChosen = 'instance=~"${host}"';
const hostChosen = '__host_chosen__!~"${host}"';

/**
 * The MetalLB processes themselves: scrape targets, configuration state, the Kubernetes client,
 * controller-runtime reconciliation (MetalLB >= 0.16) and process resources. The node filter
 * applies to the host-network pods (speaker, FRR sidecar, frr-k8s); the controller is one pod.
 */
export function componentsDashboard(cfg: MixinConfig): dashboard.Dashboard {
  const q = Query.forDashboard(cfg, { speaker: [hostMatcher], frrMetrics: [hostMatcher], frrK8s: [hostMatcher] });
  const scraped = scrapedComponents(cfg);
  const clients = k8sClientComponents(cfg);
  /** One target per component, legend the component's name. */
  const perComponent = (components: readonly Component[], expr: (c: Component) => string): Target[] =>
    components.map((c) => ({ expr: expr(c), legend: componentTitles[c] }));
  /**
   * A component's pods in one of the records the config and client-error alerts read (the pods in
   * trouble, not every pod). The record keeps each pod's job, container and instance, so the
   * component's selector and the node filter apply to it as to the raw series.
   */
  const inTrouble = (record: string, c: Component) => `${record}${q.selector(c)} > 0`;
  const configProblem = (record: string, problem: string) =>
    `label_replace(max by (${q.by('job', 'namespace', 'pod')}) (${either(clients.map((c) => inTrouble(record, c)))}), "problem", "${problem}", "", "")`;
  const errorRatio = cfg.thresholds.k8sUpdateErrorRatio;
  const recorded = (name: string) => q.scoped(name);
  /** The largest pod of each component while no node is chosen, else the 10 top pods of the chosen nodes (and the controller). */
  const perPod = (record: string, name: string, fn: (s: string) => string = (s) => s) =>
    `max by (${q.by('job', 'container')}) (${q.scoped(record, noHostChosen)})\nor\ntopk(10, sum by (${q.by('job', 'pod', 'container')}) (${either(scraped.map((c) => fn(q.metric(name, c, hostChosen))))}))`;

  return buildDashboard(cfg, {
    title: 'Components',
    description: 'MetalLB controller, speakers and frr-k8s: targets, configuration, Kubernetes API, reconciliation and resources.',
    filters: [
      filterVariable({
        name: 'host',
        label: 'Node address',
        description: 'Nodes, by the address their speaker and frr-k8s pods are scraped on (they use the host network). The controller is not filtered.',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('up', 'speaker')}, instance)`),
        regex: '/^(.+?)(?::[0-9]+)?$/',
        // Matches the empty value too: see noHostChosen.
        allValue: '.*',
      }),
    ],
    sections: [
      {
        title: 'Targets',
        cells: [
          ...scraped.map((c) => cell(24 / scraped.length, 4, targetsUpStat(q, c))),
          cell(12, 8, timeseries({
            title: 'Targets down',
            description: 'Scrape targets of each component that failed their last scrape.',
            unit: 'short',
            min: 0,
            steps: zeroIsGoodSteps,
            targets: perComponent(scraped, (c) => `count(${q.metric('up', c)} == 0) or vector(0)`),
          })),
          cell(12, 8, timeseries({
            title: 'Targets up',
            description: 'Scrape targets of each component that answered their last scrape; speakers and frr-k8s should match the node count.',
            unit: 'short',
            min: 0,
            targets: perComponent(scraped, (c) => `sum(${q.metric('up', c)})`),
          })),
        ],
      },
      {
        title: 'Configuration',
        cells: [
          cell(12, 8, timeseries({
            title: 'Pods on a stale configuration',
            description: 'Pods whose latest configuration failed to load, so they run on an older one (MetalLBConfigStale).',
            unit: 'short',
            min: 0,
            steps: zeroIsGoodSteps,
            targets: perComponent(clients, (c) => `count(${inTrouble(k8sClientProblemRecords.configStale, c)}) or vector(0)`),
          })),
          cell(12, 8, timeseries({
            title: 'Pods without a configuration',
            description: 'Pods that never loaded their configuration (MetalLBConfigNotLoaded).',
            unit: 'short',
            min: 0,
            steps: zeroIsGoodSteps,
            targets: perComponent(clients, (c) => `count(${inTrouble(k8sClientProblemRecords.configNotLoaded, c)}) or vector(0)`),
          })),
          cell(24, 6, table({
            title: 'Pods with a configuration problem',
            description: 'Each pod running on a stale configuration or without one (the pods the config alerts fire for, from their recording rules); empty when every pod has loaded its latest configuration.',
            unit: 'short',
            noValue: 'No configuration problem',
            columns: [['job', 'Job'], ['namespace', 'Namespace'], ['pod', 'Pod'], ['problem', 'Problem']],
            targets: [
              {
                expr: `${configProblem(k8sClientProblemRecords.configStale, 'stale configuration')} or ${configProblem(k8sClientProblemRecords.configNotLoaded, 'configuration never loaded')}`,
                legend: '{{pod}}',
                instant: true,
                table: true,
              },
            ],
          })),
        ],
      },
      {
        title: 'Kubernetes API',
        cells: [
          cell(8, 8, timeseries({
            title: 'Object updates',
            description: 'Kubernetes object updates (services, nodes, MetalLB resources) processed per second, by component.',
            unit: 'ops',
            min: 0,
            targets: perComponent(clients, (c) => `sum(${rate(q.metric(k8sClientMetric(c, 'updates_total'), c))})`),
          })),
          cell(8, 8, timeseries({
            title: 'Object update error ratio',
            description: `Share of object updates that failed over 5 minutes, per job over all its pods (a recording rule, so the node filter does not apply). MetalLBK8sClientErrorsHigh watches each pod's share against the dashed line, its threshold (${percentText(errorRatio)}): the pods above it are in Pods whose updates fail.`,
            unit: 'percentunit',
            min: 0,
            steps: [[null, 'green'], [errorRatio, 'red']],
            showThresholds: true,
            targets: [{ expr: `max by (${q.by('namespace', 'job')}) (${q.scoped(records.k8sErrorRatio)})`, legend: '{{job}}' }],
          })),
          cell(8, 8, timeseries({
            title: 'API requests by status code',
            description: 'Requests of the MetalLB and frr-k8s pods to the Kubernetes API per second, by HTTP status code over 5 minutes (controller-runtime client, MetalLB >= 0.16; a recording rule, so the node filter does not apply).',
            unit: 'reqps',
            min: 0,
            targets: [{ expr: `sum by (${q.by('code')}) (${recorded(componentRecords.apiRequests)})`, legend: '{{code}}' }],
          })),
          cell(24, 6, table({
            title: 'Pods whose updates fail',
            description: `The 20 pods of the cluster with the largest share of failed Kubernetes object updates over the last 5 minutes: red above MetalLBK8sClientErrorsHigh's threshold (${percentText(errorRatio)}). From the alert's recording rule, which keeps only pods with failures; the node filter does not apply.`,
            unit: 'percentunit',
            steps: [[null, 'green'], [errorRatio, 'red']],
            noValue: 'No failed updates',
            columns: [['job', 'Job'], ['namespace', 'Namespace'], ['pod', 'Pod'], ['Value', 'Failed updates']],
            sortBy: 'Failed updates',
            overrides: [['Failed updates', [colouredCells]]],
            // A sporadic failure on a pod that updates little is a large share: at 1,000 nodes hundreds of pods can have one.
            targets: [{ expr: `topk(20, ${q.scoped(k8sClientProblemRecords.updateErrorRatio)} > 0)`, legend: '{{pod}}', instant: true, table: true }],
          })),
        ],
      },
      {
        title: 'Reconciliation',
        cells: [
          cell(12, 8, timeseries({
            title: 'Reconciles by controller and result',
            description: 'controller-runtime reconciliations per second of each MetalLB controller (e.g. servicel2status, PoolStatusController) and result over 5 minutes, all pods: the 20 busiest (a recording rule, so the node filter does not apply).',
            unit: 'ops',
            min: 0,
            targets: [{ expr: `topk(20, sum by (${q.by('controller', 'result')}) (${recorded(componentRecords.reconciles)}))`, legend: '{{controller}} {{result}}' }],
          })),
          cell(12, 8, timeseries({
            title: 'Reconcile errors by controller',
            description: 'Reconciliations that returned an error, per second and controller over 5 minutes, all pods (a recording rule, so the node filter does not apply): the 20 with the most.',
            unit: 'ops',
            min: 0,
            steps: [[null, 'green']],
            targets: [{ expr: `topk(20, sum by (${q.by('controller')}) (${recorded(componentRecords.reconcileErrors)}))`, legend: '{{controller}}' }],
          })),
          cell(8, 8, timeseries({
            title: 'Reconcile duration p99',
            description: '99th percentile of reconciliation time per controller over 5 minutes, all pods (a recording rule, so the node filter does not apply).',
            unit: 's',
            min: 0,
            targets: [
              {
                expr: `histogram_quantile(0.99, sum by (${q.by('controller', 'le')}) (${recorded(componentRecords.reconcileDuration)}))`,
                legend: '{{controller}}',
              },
            ],
          })),
          cell(8, 8, timeseries({
            title: 'Work queue depth',
            description: 'Items waiting in each controller work queue, summed over all pods (a recording rule, so the node filter does not apply): the 20 deepest. A queue that keeps growing is not keeping up.',
            unit: 'short',
            min: 0,
            targets: [{ expr: `topk(20, sum by (${q.by('name')}) (${recorded(componentRecords.queueDepth)}))`, legend: '{{name}}' }],
          })),
          cell(8, 8, timeseries({
            title: 'Work queue adds and retries',
            description: 'Items added to and retried by each work queue per second over 5 minutes, all pods (a recording rule, so the node filter does not apply): the 10 busiest queues.',
            unit: 'ops',
            min: 0,
            targets: [
              { expr: `topk(10, sum by (${q.by('name')}) (${recorded(componentRecords.queueAdds)}))`, legend: '{{name}} adds' },
              { expr: `topk(10, sum by (${q.by('name')}) (${recorded(componentRecords.queueRetries)}))`, legend: '{{name}} retries' },
            ],
          })),
        ],
      },
      {
        title: 'Processes',
        cells: [
          cell(8, 8, timeseries({
            title: 'CPU by pod',
            description: 'CPU used by MetalLB processes, in cores: the busiest pod of each component (over 5 minutes), or, once nodes are chosen above, the 10 busiest of their pods and the controller.',
            unit: 'short',
            min: 0,
            targets: [{ expr: perPod(componentRecords.cpu, 'process_cpu_seconds_total', rate), legend: '{{job}} {{pod}} {{container}}' }],
          })),
          cell(8, 8, timeseries({
            title: 'Memory by pod',
            description: 'Resident memory of MetalLB processes: the largest pod of each component, or, once nodes are chosen above, the 10 largest of their pods and the controller.',
            unit: 'bytes',
            min: 0,
            targets: [{ expr: perPod(componentRecords.memory, 'process_resident_memory_bytes'), legend: '{{job}} {{pod}} {{container}}' }],
          })),
          cell(8, 8, timeseries({
            title: 'Goroutines by pod',
            description: 'Goroutines of MetalLB processes: the pod with the most in each component, or, once nodes are chosen above, the 10 of their pods and the controller with the most. Steady growth hints at a leak.',
            unit: 'short',
            min: 0,
            targets: [{ expr: perPod(componentRecords.goroutines, 'go_goroutines'), legend: '{{job}} {{pod}} {{container}}' }],
          })),
        ],
      },
    ],
  });
}
