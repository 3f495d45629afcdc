import type { MixinConfig } from '../config/schema.js';
import { durationToMs } from '../promql/duration.js';
import { addresses, nodes, ScenarioCluster, type Target } from './cluster.js';
import { ScenarioError } from './error.js';
import { faultStartMs, type AlertFault } from './model.js';
import { absent, blink, counter, gauge, type Signal, type Timeline } from './signal.js';

const minute = 60_000;

/** The webhook the faults send requests to: the one every IPAddressPool change goes through. */
const webhook = '/validate-metallb-io-v1beta1-ipaddresspool';

const matches = (metric: string, labels: Readonly<Record<string, string>>) => (t: Timeline) =>
  t.metric === metric &&
  Object.keys(labels).length === Object.keys(t.labels).length &&
  Object.entries(labels).every(([k, v]) => t.labels[k] === v);

/** The healthy series with the one matching series switched to `after` at the fault's start. */
function change(healthy: readonly Timeline[], metric: string, labels: Readonly<Record<string, string>>, after: Signal): Timeline[] {
  const match = matches(metric, labels);
  if (!healthy.some(match)) throw new ScenarioError(`scenario fault matches no ${metric} series of the scenario cluster`);
  return healthy.map((t) => (match(t) ? { ...t, after } : t));
}

const series = (metric: string, labels: Readonly<Record<string, string>>, before: Signal, after: Signal): Timeline => ({
  metric,
  labels,
  before,
  after,
});

/** The labels the per-job alerts keep of a target. */
const jobOf = (t: Target) => ({ namespace: t.labels['namespace'] ?? '', job: t.labels['job'] ?? '' });

function webhookFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const ratio = cfg.thresholds.webhookErrorRatio;
  // Requests a minute: many, so that a share just over or under any threshold is a whole number of them.
  const requests = 1_000_000;
  const labels = (code: string) => ({ ...c.controller.labels, webhook, code });
  const failing = (errors: number) => [
    ...healthy,
    series('controller_runtime_webhook_requests_total', labels('200'), counter(requests), counter(requests - errors)),
    // A status code's series appears with its first request.
    series('controller_runtime_webhook_requests_total', labels('500'), absent, counter(errors)),
  ];
  const over = Math.floor(ratio * requests) + 1;
  const base = { alert: 'MetalLBWebhookFailing', settleMs: 5 * minute, stepMs: minute };
  return [
    {
      ...base,
      fault: `the controller's webhook fails just over ${ratio * 100}% of its requests`,
      series: failing(over),
      expect: [{ labels: { ...jobOf(c.controller), webhook }, value: over / requests }],
    },
    { ...base, fault: `the controller's webhook fails just under ${ratio * 100}% of its requests`, series: failing(over - 2), expect: [] },
  ];
}

function reconcileFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const [speaker] = c.speakers;
  if (!speaker) throw new ScenarioError('the scenario cluster has no speaker');
  const controller = ScenarioCluster.controllerName(speaker);
  const own = { ...speaker.labels, controller };
  const expected = { ...jobOf(speaker), controller };

  // Reconciles that fail, counted both in the error counter and under result="error", as controller-runtime does.
  const reconciles = 1_000_000;
  const ratio = cfg.thresholds.reconcileErrorRatio;
  const failing = (errors: number) => [
    ...change(
      change(
        change(healthy, 'controller_runtime_reconcile_total', { ...own, result: 'success' }, counter(reconciles - errors)),
        'controller_runtime_reconcile_errors_total',
        own,
        counter(errors),
      ),
      'controller_runtime_reconcile_time_seconds_count',
      own,
      counter(reconciles),
    ),
    series('controller_runtime_reconcile_total', { ...own, result: 'error' }, absent, counter(errors)),
  ];
  const over = Math.floor(ratio * reconciles) + 1;
  const errors = { alert: 'MetalLBReconcileErrorsHigh', settleMs: 5 * minute, stepMs: minute };

  // controller-runtime creates the panic counter at 0 with the controller.
  const panics = (after: Signal) => [...healthy, series('controller_runtime_reconcile_panics_total', own, counter(0), after)];
  const panic = { alert: 'MetalLBReconcilePanics', settleMs: 0, stepMs: minute };

  // The longest-running reconcile of the speaker's queue grows by a second a second from the fault on.
  const stuckAfter = cfg.thresholds.reconcileStuckSeconds;
  const queue = { ...speaker.labels, name: controller };
  const running = (after: Signal) => [...healthy, series('workqueue_longest_running_processor_seconds', queue, gauge(0), after)];
  const stuck = { alert: 'MetalLBReconcileStuck', stepMs: minute };

  return [
    {
      ...errors,
      fault: `a speaker fails just over ${ratio * 100}% of its ${controller} reconciles`,
      series: failing(over),
      expect: [{ labels: expected, value: 1 }],
    },
    {
      ...errors,
      fault: `a speaker fails just under ${ratio * 100}% of its ${controller} reconciles`,
      series: failing(over - 2),
      expect: [],
    },
    {
      ...panic,
      fault: `a speaker's ${controller} controller panics once`,
      series: panics(counter(0, 1)),
      expect: [{ labels: expected, value: 1 }],
    },
    { ...panic, fault: `a speaker's ${controller} controller never panics`, series: panics(counter(0)), expect: [] },
    {
      ...stuck,
      fault: `a speaker's ${controller} worker never finishes a reconcile`,
      series: running(counter(60)),
      expect: [{ labels: { ...jobOf(speaker), name: controller }, value: (at) => (at - faultStartMs) / 1000 }],
      // Until the running time is past the threshold at an evaluation.
      settleMs: (stuckAfter + 1) * 1000,
    },
    {
      ...stuck,
      fault: `a speaker's ${controller} worker is always ${stuckAfter}s into a reconcile`,
      series: running(gauge(stuckAfter)),
      expect: [],
      settleMs: 0,
    },
  ];
}

/**
 * The layer-2 address moves between two nodes every `every` minutes from the fault's start (the
 * rules see one change of announcer per move, at the evaluation after it).
 */
function announcerFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const address = addresses.find((a) => a.protocol === 'layer2');
  const first = address?.announcers[0];
  const second = nodes.find((n) => n !== first);
  if (!address || !first || !second) throw new ScenarioError('the scenario cluster has no layer-2 address and second node');
  const changes = cfg.thresholds.l2AnnouncerChanges;
  const window = durationToMs(cfg.thresholds.l2AnnouncerChangeWindow);
  if ((changes - 1) * minute > window) {
    throw new ScenarioError(
      `thresholds.l2AnnouncerChanges (${changes}) changes do not fit in thresholds.l2AnnouncerChangeWindow at one rule evaluation a minute: no test can fire MetalLBL2AnnouncerFlapping (leave \`tests\` out of outputs.formats to build without tests)`,
    );
  }
  const moving = (every: number) => [
    ...change(healthy, 'metallb_speaker_announced', c.announcedLabels(address, first), blink(1, every, false)),
    series('metallb_speaker_announced', c.announcedLabels(address, second), absent, blink(1, every, true)),
  ];
  /** Changes within the window at `at`: one at each move, the first at the fault's start. */
  const changesAt = (every: number) => (at: number, leftOpen: boolean) => {
    let n = 0;
    for (let t = faultStartMs; t <= at; t += every * minute) if (leftOpen ? t > at - window : t >= at - window) n++;
    return n;
  };
  const labels = { service: `${address.namespace}/${address.service}`, ip: address.ip };
  const base = { alert: 'MetalLBL2AnnouncerFlapping', stepMs: minute };
  // Moves this far apart never put `changes` of them in one window.
  const rare = Math.floor(window / (changes - 1) / minute) + 1;
  return [
    {
      ...base,
      fault: `a layer-2 address moves to another node every minute`,
      series: moving(1),
      expect: [{ labels, value: changesAt(1) }],
      settleMs: (changes - 1) * minute,
    },
    {
      ...base,
      fault: `a layer-2 address moves to another node every ${rare}m`,
      series: moving(rare),
      expect: [],
      settleMs: window,
    },
  ];
}

/** Faults of the controller-runtime controllers (webhook, reconciles, work queues) and of the layer-2 announcer. */
export function controllerHealthFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  return [...webhookFaults(cfg, c, healthy), ...reconcileFaults(cfg, c, healthy), ...announcerFaults(cfg, c, healthy)];
}
