import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { percentText } from '../../alerts/templates.js';
import { buildDashboard } from '../common/dashboard.js';
import { cell } from '../common/layout.js';
import { colouredCells, table, timeseries, zeroIsGoodSteps, type Target } from '../common/panels.js';
import { componentTitles, k8sClientComponents, scrapedComponents } from '../common/queries.js';
import { targetsUpStat } from '../common/targets-up.js';
import { hostVariable } from '../common/variables.js';
import { componentsQueries } from './queries.js';
import { panicWindow, slowReconcileSeconds } from '../../rules/controller-health.js';

/** One target per component, legend the component's name. */
const perComponent = (components: readonly Component[], expr: (c: Component) => string): Target[] =>
  components.map((c) => ({ expr: expr(c), legend: componentTitles[c] }));

/**
 * The MetalLB processes themselves: scrape targets, configuration state, the Kubernetes client,
 * controller-runtime reconciliation (MetalLB >= 0.16) and process resources. The node filter
 * applies to the host-network pods (speaker, FRR sidecar, frr-k8s); the controller is one pod.
 */
export function componentsDashboard(cfg: MixinConfig): dashboard.Dashboard {
  const queries = componentsQueries(cfg);
  const scraped = scrapedComponents(cfg);
  const clients = k8sClientComponents(cfg);
  const errorRatio = cfg.thresholds.k8sUpdateErrorRatio;

  return buildDashboard(cfg, {
    title: 'Components',
    description: 'MetalLB controller, speakers and frr-k8s: targets, configuration, Kubernetes API, reconciliation and resources.',
    filters: [
      hostVariable(
        'Nodes, by the address their speaker and frr-k8s pods are scraped on (they use the host network). The controller is not filtered.',
        queries.variables.host,
      ),
    ],
    sections: [
      {
        title: 'Targets',
        cells: [
          ...scraped.map((c) => cell(24 / scraped.length, 4, targetsUpStat(c, queries.targetsUp(c)))),
          cell(12, 8, timeseries, {
            title: 'Targets down',
            description: 'Scrape targets of each component that failed their last scrape.',
            unit: 'short',
            min: 0,
            steps: zeroIsGoodSteps,
            targets: perComponent(scraped, queries.targetsDown),
          }),
          cell(12, 8, timeseries, {
            title: 'Targets up',
            description:
              'Scrape targets of each component that answered their last scrape; speakers and frr-k8s should match the node count.',
            unit: 'short',
            min: 0,
            targets: perComponent(scraped, queries.targetsUpCount),
          }),
        ],
      },
      {
        title: 'Configuration',
        cells: [
          cell(12, 8, timeseries, {
            title: 'Pods on a stale configuration',
            description: 'Pods whose latest configuration failed to load, so they run on an older one (MetalLBConfigStale).',
            unit: 'short',
            min: 0,
            steps: zeroIsGoodSteps,
            targets: perComponent(clients, queries.podsOnStaleConfig),
          }),
          cell(12, 8, timeseries, {
            title: 'Pods without a configuration',
            description: 'Pods that never loaded their configuration (MetalLBConfigNotLoaded).',
            unit: 'short',
            min: 0,
            steps: zeroIsGoodSteps,
            targets: perComponent(clients, queries.podsWithoutConfig),
          }),
          cell(24, 6, table, {
            title: 'Pods with a configuration problem',
            description:
              'Each pod running on a stale configuration or without one (the pods the config alerts fire for, from their recording rules); empty when every pod has loaded its latest configuration.',
            unit: 'short',
            noValue: 'No configuration problem',
            columns: [
              ['job', 'Job'],
              ['namespace', 'Namespace'],
              ['pod', 'Pod'],
              ['problem', 'Problem'],
            ],
            targets: [
              {
                expr: queries.configProblems,
                legend: '{{pod}}',
                instant: true,
                table: true,
              },
            ],
          }),
        ],
      },
      {
        title: 'Kubernetes API',
        cells: [
          cell(8, 8, timeseries, {
            title: 'Object updates',
            description: 'Kubernetes object updates (services, nodes, MetalLB resources) processed per second, by component.',
            unit: 'ops',
            min: 0,
            targets: perComponent(clients, queries.objectUpdates),
          }),
          cell(8, 8, timeseries, {
            title: 'Object update error ratio',
            description: `Share of object updates that failed over 5 minutes, per job over all its pods (a recording rule, so the node filter does not apply). MetalLBK8sClientErrorsHigh watches each pod's share against the dashed line, its threshold (${percentText(errorRatio)}): the pods above it are in Pods whose updates fail.`,
            unit: 'percentunit',
            min: 0,
            steps: [
              [null, 'green'],
              [errorRatio, 'red'],
            ],
            showThresholds: true,
            targets: [{ expr: queries.updateErrorRatio, legend: '{{job}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'API requests by status code',
            description:
              'Requests of the MetalLB and frr-k8s pods to the Kubernetes API per second, by HTTP status code over 5 minutes (controller-runtime client, MetalLB >= 0.16; a recording rule, so the node filter does not apply).',
            unit: 'reqps',
            min: 0,
            targets: [{ expr: queries.apiRequestsByCode, legend: '{{code}}' }],
          }),
          cell(24, 6, table, {
            title: 'Pods whose updates fail',
            description: `The 20 pods of the cluster with the largest share of failed Kubernetes object updates over the last 5 minutes: red above MetalLBK8sClientErrorsHigh's threshold (${percentText(errorRatio)}). From the alert's recording rule, which keeps only pods with failures; the node filter does not apply.`,
            unit: 'percentunit',
            steps: [
              [null, 'green'],
              [errorRatio, 'red'],
            ],
            noValue: 'No failed updates',
            columns: [
              ['job', 'Job'],
              ['namespace', 'Namespace'],
              ['pod', 'Pod'],
              ['Value', 'Failed updates'],
            ],
            sortBy: 'Failed updates',
            overrides: [['Failed updates', [colouredCells]]],
            // A sporadic failure on a pod that updates little is a large share: at 1,000 nodes hundreds of pods can have one.
            targets: [{ expr: queries.podsWhoseUpdatesFail, legend: '{{pod}}', instant: true, table: true }],
          }),
        ],
      },
      {
        title: 'Reconciliation',
        cells: [
          cell(12, 8, timeseries, {
            title: 'Reconciles by controller and result',
            description:
              'controller-runtime reconciliations per second of each MetalLB controller (e.g. servicel2status, PoolStatusController) and result over 5 minutes, all pods: the 20 busiest (a recording rule, so the node filter does not apply).',
            unit: 'ops',
            min: 0,
            targets: [{ expr: queries.reconciles, legend: '{{controller}} {{result}}' }],
          }),
          cell(12, 8, timeseries, {
            title: 'Reconcile errors by controller',
            description:
              'Reconciliations that returned an error, per second and controller over 5 minutes, all pods (a recording rule, so the node filter does not apply): the 20 with the most.',
            unit: 'ops',
            min: 0,
            steps: [[null, 'green']],
            targets: [{ expr: queries.reconcileErrors, legend: '{{controller}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Reconcile duration p99',
            description:
              '99th percentile of reconciliation time per controller over 5 minutes, all pods (a recording rule, so the node filter does not apply).',
            unit: 's',
            min: 0,
            targets: [
              {
                expr: queries.reconcileDurationP99,
                legend: '{{controller}}',
              },
            ],
          }),
          cell(8, 8, timeseries, {
            title: 'Work queue depth',
            description:
              'Items waiting in each controller work queue, summed over all pods (a recording rule, so the node filter does not apply): the 20 deepest. A queue that keeps growing is not keeping up.',
            unit: 'short',
            min: 0,
            targets: [{ expr: queries.queueDepth, legend: '{{name}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Work queue adds and retries',
            description:
              'Items added to and retried by each work queue per second over 5 minutes, all pods (a recording rule, so the node filter does not apply): the 10 busiest queues. A queue is named after its controller and retries the reconciles that returned an error or asked to be requeued.',
            unit: 'ops',
            min: 0,
            targets: [
              { expr: queries.queueAdds, legend: '{{name}} adds' },
              { expr: queries.queueRetries, legend: '{{controller}} retries' },
            ],
          }),
        ],
      },
      {
        title: 'Webhooks, panics and stuck reconciles',
        cells: [
          cell(8, 8, timeseries, {
            title: 'Webhook requests by status code',
            description: `Requests per second to the MetalLB controller's validating webhooks (one per resource kind), by HTTP status code over 5 minutes (MetalLB >= 0.16). A request the webhook denies is answered 200; any other code is the webhook failing, which MetalLBWebhookFailing watches (above ${percentText(cfg.thresholds.webhookErrorRatio)}).`,
            unit: 'reqps',
            min: 0,
            targets: [{ expr: queries.webhookRequests, legend: '{{webhook}} {{code}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Reconcile panics',
            description: `Pods of each job whose controller panicked in a reconcile within the last ${panicWindow} (controller-runtime recovers); empty when healthy. All pods (a recording rule, so the node filter does not apply).`,
            unit: 'short',
            min: 0,
            steps: [
              [null, 'green'],
              [1, 'red'],
            ],
            noValue: 'None',
            targets: [{ expr: queries.reconcilePanics, legend: '{{job}} {{controller}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Longest-running reconcile',
            description: `How long the longest reconcile in progress of each work queue has been running, over all pods of a job: red from MetalLBReconcileStuck's threshold (${cfg.thresholds.reconcileStuckSeconds}s). Only reconciles running for over ${slowReconcileSeconds}s are shown: MetalLB's take milliseconds, so the panel is empty while none hangs. A recording rule, so the node filter does not apply.`,
            unit: 's',
            min: 0,
            steps: [
              [null, 'green'],
              [cfg.thresholds.reconcileStuckSeconds, 'red'],
            ],
            noValue: 'None running',
            targets: [{ expr: queries.longestRunning, legend: '{{job}} {{name}}' }],
          }),
        ],
      },
      {
        title: 'Processes',
        cells: [
          cell(8, 8, timeseries, {
            title: 'CPU by pod',
            description:
              'CPU used by MetalLB processes, in cores: the busiest pod of each component (over 5 minutes), or, once nodes are chosen above, the 10 busiest of their pods and the controller.',
            unit: 'short',
            min: 0,
            targets: [{ expr: queries.cpu, legend: '{{job}} {{pod}} {{container}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Memory by pod',
            description:
              'Resident memory of MetalLB processes: the largest pod of each component, or, once nodes are chosen above, the 10 largest of their pods and the controller.',
            unit: 'bytes',
            min: 0,
            targets: [{ expr: queries.memory, legend: '{{job}} {{pod}} {{container}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Goroutines by pod',
            description:
              'Goroutines of MetalLB processes: the pod with the most in each component, or, once nodes are chosen above, the 10 of their pods and the controller with the most. Steady growth hints at a leak.',
            unit: 'short',
            min: 0,
            targets: [{ expr: queries.goroutines, legend: '{{job}} {{pod}} {{container}}' }],
          }),
        ],
      },
    ],
  });
}
