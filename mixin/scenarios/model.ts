import { bgpFamilies, type BgpMode } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import { durationToMs } from '../promql/duration.js';
import { addresses, nodes, ScenarioCluster, type Target } from './cluster.js';
import { labelsSatisfying } from './labels.js';
import { absent, counter, gauge, samples, type Signal, type Timeline } from './signal.js';
import { ScenarioError } from './error.js';
import { controllerHealthFaults } from './faults-controller-health.js';

const minute = 60_000;

/** When every fault starts: after a healthy minute, so a rate or a change has something to compare with. */
export const faultStartMs = minute;

/**
 * An alert's value at an evaluation time: with Prometheus 2's closed range windows, or with 3's
 * left-open ones (which drop a sample sitting exactly on the window's start).
 */
export type ValueAt = (atMs: number, leftOpen: boolean) => number;

/** An alert a fault must raise: the labels of the alert's expression (without the cluster label) and its value. */
export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number | ValueAt;
  /** Which of the alert's rules raises it, where it has one per severity. */
  readonly severity?: string;
}

/**
 * One fault of one alert, in the scenario cluster: its series with the fault applied from the
 * fault's start, and the alerts it must raise once its value has settled and `for` has run out.
 * A fault just short of the threshold expects none.
 */
export interface AlertFault {
  readonly alert: string;
  /** What goes wrong, in a test name. */
  readonly fault: string;
  readonly series: readonly Timeline[];
  readonly expect: readonly ExpectedAlert[];
  /** How long after the start the alert's value is steady: the window of a rate or a count. */
  readonly settleMs: number;
  /** The sample interval, where a minute is too coarse for the threshold. */
  readonly stepMs: number;
}

type Match = (t: Timeline) => boolean;

const sameLabels = (labels: Readonly<Record<string, string>>): Match => {
  const keys = Object.keys(labels);
  return (t) => keys.length === Object.keys(t.labels).length && keys.every((k) => t.labels[k] === labels[k]);
};
const series = (metric: string, labels: Readonly<Record<string, string>>): Match => {
  const same = sameLabels(labels);
  return (t) => t.metric === metric && same(t);
};
const ofTarget =
  (target: Target): Match =>
  (t) =>
    Object.entries(target.labels).every(([k, v]) => t.labels[k] === v);

/** The healthy series with the matching ones switched to `after` at the fault's start. */
function change(healthy: readonly Timeline[], match: Match, after: Signal): Timeline[] {
  let hit = false;
  const out = healthy.map((t) => {
    if (!match(t)) return t;
    hit = true;
    return { ...t, after };
  });
  if (!hit) throw new ScenarioError('scenario fault matches no series of the scenario cluster');
  return out;
}

const appear = (metric: string, labels: Readonly<Record<string, string>>, after: Signal): Timeline => ({
  metric,
  labels,
  before: absent,
  after,
});

/** The labels of a target's series once a comparison with `bool` or a rate has dropped the metric name. */
const labelsOf = (t: Target): Record<string, string> => ({ ...t.labels });

/**
 * How to sample a session changing state often enough to count `changes` state changes in `window`.
 * A change every other sample, at an odd number of samples a minute, lets some evaluation minute
 * see the same count whether or not the window holds the sample on its start (Prometheus 2 and 3).
 * Where no such step fits, a change every sample: the count then holds for Prometheus 2 only.
 */
function flapSampling(windowMs: number, changes: number): { stepMs: number; every: number } {
  for (const s of [60, 20, 12, 4].map((x) => x * 1000)) {
    if (windowMs % s === 0 && windowMs / s >= 2 * changes + 2) return { stepMs: s, every: 2 };
  }
  for (const s of [60, 30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1].map((x) => x * 1000)) {
    if (windowMs % s === 0 && windowMs / s >= changes) return { stepMs: s, every: 1 };
  }
  throw new ScenarioError(
    `thresholds.bgpFlaps (${changes}) state changes do not fit in thresholds.bgpFlapWindow at one sample a second: no test can fire MetalLBBGPSessionFlapping (leave \`tests\` out of outputs.formats to build without tests)`,
  );
}

/** `changes(x[window])` at `atMs` of a timeline sampled every `stepMs`. */
function changesWithin(t: Timeline, stepMs: number, atMs: number, windowMs: number, leftOpen: boolean): number {
  const values = samples(t, stepMs, faultStartMs, atMs);
  let changes = 0;
  let previous: number | undefined;
  values.forEach((v, i) => {
    const at = i * stepMs;
    const inside = leftOpen ? at > atMs - windowMs : at >= atMs - windowMs;
    if (!inside || typeof v !== 'number') return;
    if (previous !== undefined && v !== previous) changes++;
    previous = v;
  });
  return changes;
}

function poolFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const pool = c.controller.labels;
  const poolSeries = (name: string) => series(name, { ...pool, pool: c.pool });
  const total = c.poolSize;
  const expected = { pool: c.pool, family: 'all' };
  const inUse = (n: number, size = total) =>
    change(
      change(healthy, poolSeries('metallb_allocator_addresses_in_use_total'), gauge(n)),
      poolSeries('metallb_allocator_addresses_total'),
      gauge(size),
    );
  const base = { settleMs: 0, stepMs: minute };
  const { warning, critical } = cfg.thresholds.poolUsage;
  const justOver = (percent: number) => Math.floor((total * percent) / 100 + 1e-9) + 1;
  const free = cfg.thresholds.poolFreeAddresses;
  const faults: AlertFault[] = [
    {
      ...base,
      alert: 'MetalLBAddressPoolExhausted',
      fault: 'a pool has every address in use',
      series: inUse(total),
      expect: [{ labels: expected, value: total }],
    },
    { ...base, alert: 'MetalLBAddressPoolExhausted', fault: 'a pool has one address free', series: inUse(total - 1), expect: [] },
    {
      ...base,
      alert: 'MetalLBAddressPoolUsageHigh',
      fault: `a pool is just over ${warning}% in use`,
      series: inUse(justOver(warning)),
      expect: [{ labels: expected, value: justOver(warning) / total, severity: 'warning' }],
    },
    {
      ...base,
      alert: 'MetalLBAddressPoolUsageHigh',
      fault: `a pool is just under ${warning}% in use`,
      series: inUse(justOver(warning) - 2),
      expect: [],
    },
    {
      ...base,
      alert: 'MetalLBAddressPoolHeadroomLow',
      fault: `a pool has ${free - 1} free addresses`,
      series: inUse(11, free + 10),
      expect: [{ labels: expected, value: free - 1 }],
    },
    {
      ...base,
      alert: 'MetalLBAddressPoolHeadroomLow',
      fault: `a pool has ${free} free addresses`,
      series: inUse(10, free + 10),
      expect: [],
    },
  ];
  if (justOver(critical) <= total) {
    faults.push(
      {
        ...base,
        alert: 'MetalLBAddressPoolUsageHigh',
        fault: `a pool is just over ${critical}% in use`,
        series: inUse(justOver(critical)),
        expect: [
          { labels: expected, value: justOver(critical) / total, severity: 'warning' },
          { labels: expected, value: justOver(critical) / total, severity: 'critical' },
        ],
      },
      {
        ...base,
        alert: 'MetalLBAddressPoolUsageHigh',
        fault: `a pool is just under ${critical}% in use`,
        series: inUse(justOver(critical) - 2),
        expect: [{ labels: expected, value: (justOver(critical) - 2) / total, severity: 'warning' }],
      },
    );
  }
  // An excluded pool that is full raises no pool alert.
  for (const pattern of cfg.pools.exclude) {
    const name = labelsSatisfying(`pool=~${JSON.stringify(pattern)}`, {}, 'pools.exclude')['pool'] ?? '';
    const full = [
      ...healthy,
      appear('metallb_allocator_addresses_total', { ...pool, pool: name }, gauge(10)),
      appear('metallb_allocator_addresses_in_use_total', { ...pool, pool: name }, gauge(10)),
    ];
    for (const alert of ['MetalLBAddressPoolExhausted', 'MetalLBAddressPoolUsageHigh', 'MetalLBAddressPoolHeadroomLow']) {
      faults.push({ ...base, alert, fault: `excluded pool ${name} is full`, series: full, expect: [] });
    }
  }
  return faults;
}

function configFaults(c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const [speaker] = c.speakers;
  const base = { settleMs: 0, stepMs: minute };
  return [
    {
      ...base,
      alert: 'MetalLBConfigStale',
      fault: 'the controller runs on a stale configuration',
      series: change(healthy, series('metallb_k8s_client_config_stale_bool', c.controller.labels), gauge(1)),
      expect: [{ labels: labelsOf(c.controller), value: 1 }],
    },
    {
      ...base,
      alert: 'MetalLBConfigNotLoaded',
      fault: 'a speaker has never loaded its configuration',
      series: change(healthy, series('metallb_k8s_client_config_loaded_bool', speaker!.labels), gauge(0)),
      expect: [{ labels: labelsOf(speaker!), value: 1 }],
    },
  ];
}

function k8sClientFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const updates = 1_000_000;
  const ratio = cfg.thresholds.k8sUpdateErrorRatio;
  const failing = (errors: number) =>
    change(
      change(healthy, series('metallb_k8s_client_updates_total', c.controller.labels), counter(updates)),
      series('metallb_k8s_client_update_errors_total', c.controller.labels),
      counter(errors),
    );
  const over = Math.floor(ratio * updates) + 1;
  const base = { alert: 'MetalLBK8sClientErrorsHigh', settleMs: 5 * minute, stepMs: minute };
  return [
    {
      ...base,
      fault: `the controller fails just over ${ratio * 100}% of its updates`,
      series: failing(over),
      expect: [{ labels: labelsOf(c.controller), value: over / updates }],
    },
    { ...base, fault: `the controller fails just under ${ratio * 100}% of its updates`, series: failing(over - 2), expect: [] },
  ];
}

/** The enabled modes that have family `suffix`, each with the node-a exporter of its sessions. */
function modesWith(c: ScenarioCluster, suffix: string): { mode: BgpMode; exporter: Target; metric: string }[] {
  const out: { mode: BgpMode; exporter: Target; metric: string }[] = [];
  for (const [mode, exporters] of c.bgpExporters) {
    const metric = ScenarioCluster.familyMetric(mode, suffix);
    if (metric && bgpFamilies[suffix]) out.push({ mode, exporter: exporters[0]!, metric });
  }
  return out;
}

function sessionFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const faults: AlertFault[] = [];
  const window = durationToMs(cfg.thresholds.bgpFlapWindow);
  const flaps = cfg.thresholds.bgpFlaps;
  for (const { mode, exporter, metric } of modesWith(c, 'bgp_session_up')) {
    const session = c.sessionLabels(mode, exporter);
    const base = { settleMs: 0, stepMs: minute };
    faults.push({
      ...base,
      alert: 'MetalLBBGPSessionDown',
      fault: `a ${mode} BGP session goes down`,
      series: change(healthy, series(metric, session), gauge(0)),
      expect: [{ labels: session, value: 1 }],
    });
    const { stepMs: step, every } = flapSampling(window, flaps);
    const flapping = change(healthy, series(metric, session), { kind: 'toggle', from: 0, to: 1, every });
    const flappingSession = flapping.find(series(metric, session))!;
    faults.push({
      alert: 'MetalLBBGPSessionFlapping',
      fault: `a ${mode} BGP session changes state every ${(every * step) / 1000}s`,
      series: flapping,
      expect: [{ labels: session, value: (at, leftOpen) => changesWithin(flappingSession, step, at, window, leftOpen) }],
      settleMs: window,
      stepMs: step,
    });
    if (flaps >= 2) {
      // A change every `every` minutes: no window of that length holds more than flaps - 1 of them.
      const every = Math.ceil(window / (flaps - 1) / minute);
      faults.push({
        alert: 'MetalLBBGPSessionFlapping',
        fault: `a ${mode} BGP session changes state every ${every}m`,
        series: change(healthy, series(metric, session), { kind: 'toggle', from: 0, to: 1, every }),
        expect: [],
        settleMs: window,
        stepMs: minute,
      });
    }
    const prefixes = ScenarioCluster.familyMetric(mode, 'bgp_announced_prefixes_total');
    if (prefixes) {
      faults.push({
        ...base,
        alert: 'MetalLBBGPNoPrefixesAnnounced',
        fault: `a ${mode} BGP session is up and announces no prefix`,
        series: change(healthy, series(prefixes, session), gauge(0)),
        expect: [{ labels: session, value: 0 }],
      });
    }
    const pending = ScenarioCluster.familyMetric(mode, 'bgp_pending_prefixes_total');
    if (pending) {
      faults.push({
        ...base,
        alert: 'MetalLBBGPPrefixesPending',
        fault: `a ${mode} BGP session should announce 2 prefixes and announces 1`,
        series: change(healthy, series(pending, session), gauge(2)),
        expect: [{ labels: session, value: 2 }],
      });
    }
    if (mode !== 'native') {
      const target = exporter.labels;
      const silent = healthy.map((t) => (t.metric !== 'up' && ofTarget(exporter)(t) ? { ...t, after: absent } : t));
      faults.push({
        ...base,
        alert: 'MetalLBFRRExporterSilent',
        fault: `a ${mode} exporter stays up and stops exporting its sessions`,
        series: silent,
        expect: [
          {
            labels: {
              job: target['job'] ?? '',
              namespace: target['namespace'] ?? '',
              pod: target['pod'] ?? '',
              instance: target['instance'] ?? '',
            },
            value: 1,
          },
        ],
      });
    }
  }
  return faults;
}

function bfdFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const faults: AlertFault[] = [];
  const window = durationToMs(cfg.thresholds.bgpFlapWindow);
  const windowMinutes = window / minute;
  const flaps = cfg.thresholds.bgpFlaps;
  for (const { mode, exporter, metric } of modesWith(c, 'bfd_session_up')) {
    const session = c.sessionLabels(mode, exporter);
    faults.push({
      alert: 'MetalLBBFDSessionDown',
      fault: `a ${mode} BFD session goes down`,
      series: change(healthy, series(metric, session), gauge(0)),
      expect: [{ labels: session, value: 1 }],
      settleMs: 0,
      stepMs: minute,
    });
    const downEvents = ScenarioCluster.familyMetric(mode, 'bfd_session_down_events');
    if (!downEvents) continue;
    // Down events are counted over the window whole minutes at a time: the steady count is the rate times the window.
    const perMinute = Math.ceil(flaps / windowMinutes);
    faults.push({
      alert: 'MetalLBBFDSessionFlapping',
      fault: `a ${mode} BFD session goes down ${perMinute} times a minute`,
      series: change(healthy, series(downEvents, session), counter(perMinute)),
      expect: [{ labels: session, value: perMinute * windowMinutes }],
      settleMs: window,
      stepMs: minute,
    });
    faults.push({
      alert: 'MetalLBBFDSessionFlapping',
      fault: `a ${mode} BFD session goes down ${flaps - 1} times per ${cfg.thresholds.bgpFlapWindow}`,
      series: change(healthy, series(downEvents, session), counter((flaps - 1) / windowMinutes)),
      expect: [],
      settleMs: window,
      stepMs: minute,
    });
  }
  return faults;
}

function announcementFaults(c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const bgpAddress = addresses.find((a) => a.protocol === 'bgp')!;
  const l2Address = addresses.find((a) => a.protocol === 'layer2')!;
  const base = { settleMs: 0, stepMs: minute };
  const unannounced = healthy.map((t) =>
    t.metric === 'metallb_speaker_announced' && t.labels['ip'] === bgpAddress.ip ? { ...t, after: absent } : t,
  );
  const second = nodes.find((n) => !l2Address.announcers.includes(n))!;
  return [
    {
      ...base,
      alert: 'MetalLBAddressesNotAnnounced',
      fault: 'no speaker announces an allocated address',
      series: unannounced,
      expect: [{ labels: { namespace: bgpAddress.namespace, service: bgpAddress.service, ip: bgpAddress.ip }, value: 1 }],
    },
    {
      ...base,
      alert: 'MetalLBL2DuplicateAnnouncer',
      fault: 'two nodes announce one layer-2 address',
      series: [...healthy, appear('metallb_speaker_announced', c.announcedLabels(l2Address, second), gauge(1))],
      expect: [{ labels: { ip: l2Address.ip }, value: 2 }],
    },
  ];
}

function componentFaults(cfg: MixinConfig, c: ScenarioCluster, healthy: readonly Timeline[]): AlertFault[] {
  const base = { settleMs: 0, stepMs: minute };
  const [speaker] = c.speakers;
  const nodeMatchers = cfg.alerts.MetalLBSpeakersMissing.nodeMatchers;
  const newNodeLabels = nodeMatchers
    ? labelsSatisfying(nodeMatchers, { node: 'node-c' }, 'alerts.MetalLBSpeakersMissing.nodeMatchers')
    : {};
  const newNode = { name: newNodeLabels['node'] ?? 'node-c', host: '10.0.0.13' };
  const faults: AlertFault[] = [
    {
      ...base,
      alert: 'MetalLBControllerDown',
      fault: 'the controller target is down',
      series: change(healthy, series('up', c.controller.labels), gauge(0)),
      expect: [{ labels: {}, value: 1 }],
    },
    {
      ...base,
      alert: 'MetalLBSpeakerDown',
      fault: 'a speaker target is down on a Ready node',
      series: change(healthy, series('up', speaker!.labels), gauge(0)),
      expect: [{ labels: labelsOf(speaker!), value: 0 }],
    },
    {
      ...base,
      alert: 'MetalLBSpeakersMissing',
      fault: 'a Ready node joins and runs no speaker',
      series: [...healthy, ...c.nodeSeries(newNode, newNodeLabels).map((t) => ({ ...t, before: absent }))],
      expect: [{ labels: { node: newNode.name }, value: 1 }],
    },
    {
      ...base,
      alert: 'MetalLBSpeakerTargetsMissing',
      fault: 'no target matches the speaker selector',
      series: healthy.map((t) => (t.metric === 'up' && c.speakers.some((s) => sameLabels(s.labels)(t)) ? { ...t, after: absent } : t)),
      expect: [{ labels: {}, value: 1 }],
    },
  ];
  // frr-k8s may run without its BGP metrics being queried: its target is watched all the same.
  const frrK8s = c.bgpExporters.get('frr-k8s')?.[0] ?? c.bgpExporters.get('frr-k8s-relabelled')?.[0] ?? c.standaloneFrrK8s();
  const frrK8sUp = healthy.some(series('up', frrK8s.labels))
    ? change(healthy, series('up', frrK8s.labels), gauge(0))
    : [...healthy, { metric: 'up', labels: frrK8s.labels, before: gauge(1), after: gauge(0) }];
  faults.push({
    ...base,
    alert: 'MetalLBFRRK8sDown',
    fault: 'a frr-k8s target is down on a Ready node',
    series: frrK8sUp,
    expect: [{ labels: labelsOf(frrK8s), value: 0 }],
  });
  return faults;
}

/** The scenario cluster of a config and every fault the model describes; an alert of the build without a fault here is untested. */
export function scenarios(cfg: MixinConfig): { cluster: ScenarioCluster; healthy: Timeline[]; faults: AlertFault[] } {
  const cluster = new ScenarioCluster(cfg);
  const healthy = cluster.healthy();
  return {
    cluster,
    healthy,
    faults: [
      ...poolFaults(cfg, cluster, healthy),
      ...configFaults(cluster, healthy),
      ...k8sClientFaults(cfg, cluster, healthy),
      ...sessionFaults(cfg, cluster, healthy),
      ...bfdFaults(cfg, cluster, healthy),
      ...announcementFaults(cluster, healthy),
      ...componentFaults(cfg, cluster, healthy),
      ...controllerHealthFaults(cfg, cluster, healthy),
    ],
  };
}
