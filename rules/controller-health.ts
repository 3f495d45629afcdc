import { componentsForModes, k8sClients, type Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { problemRecord, problemRecordParts, problemsAbove, problemsAtLeast } from '../mixin/promql/problems.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { anyOf } from '../mixin/promql/union.js';
import { inCluster, percentText } from '../alerts/templates.js';
import { defineRecord, type RecordGroup } from './record.js';

/**
 * Faults controller-runtime's own metrics show (MetalLB >= 0.16 controller and speakers, frr-k8s):
 * a failing validating webhook, reconciles that fail, panic or hang; and a layer-2 address whose
 * announcing node keeps changing. MetalLB <= 0.15 serves no controller-runtime metrics: there the
 * first four stay silent.
 */

/** A reconcile running longer than this is recorded (the least MetalLBReconcileStuck's threshold may be). */
export const slowReconcileSeconds = 1;

/** How far back a reconcile panic keeps its alert (any increase of the counter within it fires). */
export const panicWindow = '15m';

/** The components running controller-runtime controllers that the config scrapes. */
const runtimeComponents = (q: Query): Component[] =>
  componentsForModes(q.cfg.bgp.modes).filter((c) => k8sClients.some((k) => k.component === c));

/** One expression per component, each through its own selector, joined with `or`. */
const perComponent = (q: Query, fn: (c: Component) => string) => anyOf(runtimeComponents(q).map(fn), 'lines');

/**
 * The share of each pod's reconciles that returned an error over 5 minutes, per controller, for
 * pods above `thresholds.reconcileErrorRatio`. controller-runtime times every reconcile, whatever
 * its result, so the latency histogram's `_count` is the total: one series per controller, where
 * `reconcile_total` has one per result, four times as many to read on every node. Only pods with
 * errors are divided, and only the pods in trouble are recorded (a real cluster has a conflict now
 * and then on most pods, which would be a series each). One rule per component, each reading its
 * own pods.
 */
const reconcileErrorRatio = defineRecord({
  name: 'cluster_namespace_pod_controller:controller_runtime_reconcile_errors:ratio_rate5m',
  kind: 'problems',
  readBy: ['MetalLBReconcileErrorsHigh'],
  expr: (q) => {
    const parts = runtimeComponents(q).map(
      (c) =>
        `(rate(${q.metric('controller_runtime_reconcile_errors_total', c)}[5m]) > 0)\n/ rate(${q.metric('controller_runtime_reconcile_time_seconds_count', c)}[5m])\n> ${q.cfg.thresholds.reconcileErrorRatio}`,
    );
    return problemRecordParts(parts, q.clustersScraping('controller'));
  },
});

/**
 * How long each pod's longest-running reconcile has been running, per work queue, where one has
 * run for over `slowReconcileSeconds`. MetalLB reconciles take milliseconds: a scrape that lands
 * during one is no news, and recording those would be a series now and then for every queue of
 * every speaker (the dashboard's range query read 250,000 samples an hour at 1,000 nodes).
 */
const longestRunning = defineRecord({
  name: 'cluster_namespace_pod_name:workqueue_longest_running_processor_seconds:running',
  kind: 'problems',
  readBy: ['MetalLBReconcileStuck', 'metallb-components/Longest-running reconcile'],
  expr: (q) =>
    problemRecord(
      perComponent(q, (c) => `${q.metric('workqueue_longest_running_processor_seconds', c)} > ${slowReconcileSeconds}`),
      q.clustersScraping('controller'),
    ),
});

/** Panics each pod's controllers recovered from within `panicWindow`, where there were any. */
const reconcilePanics = defineRecord({
  name: `cluster_namespace_pod_controller:controller_runtime_reconcile_panics:increase${panicWindow}`,
  kind: 'problems',
  readBy: ['MetalLBReconcilePanics', 'metallb-components/Reconcile panics'],
  expr: (q) =>
    problemRecord(
      perComponent(q, (c) => `increase(${q.metric('controller_runtime_reconcile_panics_total', c)}[${panicWindow}]) > 0`),
      q.clustersScraping('controller'),
    ),
});

/**
 * The node announcing each layer-2 address, as the rules last saw it. Only layer-2 announcements
 * are read (one series per address and announcing node), not the BGP ones.
 */
const layer2Announcers = defineRecord({
  name: 'cluster_service_ip_node:metallb_speaker_announced_layer2:group',
  kind: 'aggregate',
  readBy: [],
  expr: (q) => `group by (${q.by('service', 'ip', 'node')}) (${q.metric('metallb_speaker_announced', undefined, 'protocol="layer2"')})`,
});

/**
 * 1 for each node that announces a layer-2 address it did not announce at the previous evaluation
 * of this group (`offset 1s` reads that one, whatever the interval), where another node announced
 * it within the last 5 minutes and no longer does: one series per change of announcer. A speaker
 * whose scrape fails once loses its announcements for an evaluation and gets them back on the same
 * node, which is no change; nor is the first evaluation after the rules load.
 */
const layer2AnnouncerChanges = defineRecord({
  name: 'cluster_service_ip_node:metallb_speaker_announced_layer2:new',
  kind: 'problems',
  readBy: [],
  expr: (q) => {
    const address = q.by('service', 'ip');
    const announcer = q.by('service', 'ip', 'node');
    return problemRecord(
      [
        layer2Announcers.name,
        `unless on (${announcer})`,
        `${layer2Announcers.name} offset 1s`,
        `and on (${address})`,
        `(max_over_time(${layer2Announcers.name}[5m]) unless on (${announcer}) ${layer2Announcers.name})`,
      ].join('\n'),
      q.clustersScraping('speaker'),
    );
  },
});

/** Changes of announcing node per layer-2 address within `thresholds.l2AnnouncerChangeWindow`, where there were any. */
const layer2AnnouncerChangeCount = defineRecord({
  name: 'cluster_service_ip:metallb_speaker_announced_layer2:changes',
  kind: 'problems',
  readBy: ['MetalLBL2AnnouncerFlapping', 'metallb-layer2/Announcer changes by address'],
  expr: (q) =>
    problemRecord(
      `sum by (${q.by('service', 'ip')}) (sum_over_time(${layer2AnnouncerChanges.name}[${q.cfg.thresholds.l2AnnouncerChangeWindow}])) > 0`,
      q.clustersScraping('speaker'),
    ),
});

export const controllerHealth = {
  reconcileErrorRatio,
  longestRunning,
  reconcilePanics,
  layer2Announcers,
  layer2AnnouncerChanges,
  layer2AnnouncerChangeCount,
};

/**
 * Panics (`for` of minutes) and the layer-2 announcers, read at every evaluation of the group to
 * see each change of announcer that lasts a minute; layer-2 announcements are a small part of the
 * announcements.
 */
export const controllerHealthRecords: RecordGroup = {
  name: 'metallb-controller-health-rules',
  pace: 'medium',
  records: () => [reconcilePanics, layer2Announcers, layer2AnnouncerChanges, layer2AnnouncerChangeCount],
};

/** Every speaker's reconcile counters and work queues, for alerts with a `for` of 10 minutes or more. */
export const controllerHealthSlowRecords: RecordGroup = {
  name: 'metallb-controller-health-slow-rules',
  pace: 'slow',
  records: () => [reconcileErrorRatio, longestRunning],
};

/**
 * Webhook, reconcile and work-queue trouble of the controller-runtime controllers. The per-pod
 * alerts count pods per job and controller: a fault every speaker shares (the API server, a bad
 * release) raises one alert per component, not one per node.
 */
export function controllerHealthAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const { webhookErrorRatio, reconcileErrorRatio: errorRatio, reconcileStuckSeconds } = cfg.thresholds;
  const webhookRequests = (...extra: string[]) =>
    `sum by (${q.by('namespace', 'job', 'webhook')}) (rate(${q.metric('controller_runtime_webhook_requests_total', 'controller', ...extra)}[5m]))`;
  const perJob = (labels: string) => `(${q.by('namespace', 'job', labels)})`;
  return {
    name: 'metallb-controller-health',
    alerts: [
      {
        alert: 'MetalLBWebhookFailing',
        severity: 'warning',
        // A request the webhook denies (an invalid pool) is answered 200 with allowed=false: only the others are failures.
        expr: `${webhookRequests('code!~"2.."')}\n/\n(${webhookRequests()} > 0)\n> ${webhookErrorRatio}`,
        summary: 'The MetalLB validating webhook fails.',
        description: `{{ $value | humanizePercentage }} of the requests to webhook {{ $labels.webhook }} of the MetalLB controller (job {{ $labels.job }})${inCluster(cfg)} failed over the last 5 minutes (threshold ${percentText(webhookErrorRatio)}): the API server refuses or lets through changes to IPAddressPools, BGPPeers and the other MetalLB resources, depending on the webhook's failurePolicy.`,
      },
      {
        alert: 'MetalLBReconcileErrorsHigh',
        severity: 'warning',
        expr: `count by ${perJob('controller')} (\n  ${problemsAbove(reconcileErrorRatio.name, errorRatio)}\n)`,
        summary: 'A MetalLB controller keeps failing its reconciles.',
        description: `{{ $value }} pod(s) of job {{ $labels.job }}${inCluster(cfg)} fail more than ${percentText(errorRatio)} of the reconciles of their {{ $labels.controller }} controller: the objects it handles (Services, pools, peers, status) are not brought up to date.`,
      },
      {
        alert: 'MetalLBReconcilePanics',
        severity: 'warning',
        expr: `count by ${perJob('controller')} (\n  ${problemsAbove(reconcilePanics.name)}\n)`,
        summary: 'A MetalLB controller panicked.',
        description: `The {{ $labels.controller }} controller of {{ $value }} pod(s) of job {{ $labels.job }}${inCluster(cfg)} panicked in a reconcile within the last ${panicWindow}: controller-runtime recovered, but the object it handled was not reconciled. A MetalLB bug: the pod's log holds the stack trace.`,
      },
      {
        alert: 'MetalLBReconcileStuck',
        severity: 'warning',
        expr: `max by ${perJob('name')} (\n  ${problemsAbove(longestRunning.name, reconcileStuckSeconds)}\n)`,
        summary: 'A MetalLB controller is stuck in a reconcile.',
        description: `A worker of work queue {{ $labels.name }} in job {{ $labels.job }}${inCluster(cfg)} has been on one reconcile for {{ $value }} seconds (threshold ${reconcileStuckSeconds}s): the items behind it wait, and a controller with one worker handles nothing else.`,
      },
    ],
  };
}

/** A layer-2 address whose announcing node keeps changing. */
export function layer2AnnouncerAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const { l2AnnouncerChanges, l2AnnouncerChangeWindow } = cfg.thresholds;
  return {
    name: 'metallb-layer2-announcers',
    alerts: [
      {
        alert: 'MetalLBL2AnnouncerFlapping',
        severity: 'warning',
        expr: problemsAtLeast(layer2AnnouncerChangeCount.name, l2AnnouncerChanges),
        summary: 'The node announcing a MetalLB layer-2 address keeps changing.',
        description: `The node announcing layer-2 address {{ $labels.ip }} of Service {{ $labels.service }}${inCluster(cfg)} changed {{ $value }} times within ${l2AnnouncerChangeWindow} (threshold ${l2AnnouncerChanges}): at each change clients must relearn the address's MAC and open connections break. Look for speakers or nodes that come and go (memberlist, NotReady, restarts).`,
      },
    ],
  };
}
