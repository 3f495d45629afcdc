import type { MixinConfig } from '../config/schema.js';
import { durationToMs } from '../promql/duration.js';
import { selectorsOf } from '../promql/inspect.js';
import { faultStartMs, scenarios, type AlertFault, type ExpectedAlert } from '../scenarios/model.js';
import { recordedOnHealthy } from '../scenarios/records.js';
import { samples, valuesText, type Timeline } from '../scenarios/signal.js';
import type { AlertRule, Mixin, RuleGroup } from '../types.js';
import { expandAnnotation } from './alert-template.js';
import { generatedHeader as header, toYaml } from './yaml.js';
import { ScenarioError } from '../scenarios/error.js';

const minute = 60_000;
/** The faulty cluster and a second one that stays healthy: an alert must not mix them. */
const clusters = ['cluster-a', 'cluster-b'] as const;

const ceilMinutes = (ms: number) => Math.ceil(ms / minute) * minute;
const promDuration = (ms: number) => (ms % minute === 0 ? `${ms / minute}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

function seriesText(t: Timeline, clusterLabel: string, cluster: string): string {
  const labels = { [clusterLabel]: cluster, ...t.labels };
  return `${t.metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

/** The fault's series in the first cluster and the healthy ones in the second; series absent throughout are left out. */
function inputSeries(faulty: readonly Timeline[], healthy: readonly Timeline[], cfg: MixinConfig, stepMs: number, endMs: number) {
  const rows: { series: string; values: string }[] = [];
  const add = (list: readonly Timeline[], cluster: string, start: number) => {
    for (const t of list) {
      const values = samples(t, stepMs, start, endMs);
      if (values.every((v) => v === '_')) continue;
      rows.push({ series: seriesText(t, cfg.clusterLabel, cluster), values: valuesText(values) });
    }
  };
  add(faulty, clusters[0], faultStartMs);
  add(healthy, clusters[1], Number.POSITIVE_INFINITY);
  return rows;
}

/** The raw metrics `exprs` read, through the recording rules they read. */
function metricsRead(exprs: readonly string[], records: ReadonlyMap<string, readonly string[]>): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (expr: string) => {
    for (const { metric } of selectorsOf(expr)) {
      if (metric === undefined || seen.has(metric)) continue;
      seen.add(metric);
      const recorded = records.get(metric);
      if (recorded) recorded.forEach(visit);
      else out.add(metric);
    }
  };
  exprs.forEach(visit);
  return out;
}

/**
 * When a fault's alert must have just fired: once its value has settled and `for` has run out.
 * promtool evaluates every group at `evaluation_interval`, whatever the group's own `interval:`,
 * so a slow group adds no delay here.
 */
const firingTime = (fault: AlertFault, rule: AlertRule) => ceilMinutes(faultStartMs + fault.settleMs + durationToMs(rule.for));

const valueAt = (e: ExpectedAlert, at: number, leftOpen: boolean) => (typeof e.value === 'number' ? e.value : e.value(at, leftOpen));

/**
 * The first minute from `earliest` at which every expected value is the same whether range windows
 * are closed (Prometheus 2) or left-open (Prometheus 3), so the tests pass under either promtool;
 * `earliest` itself where there is none (the model says when that can be).
 */
function unambiguousTime(fault: AlertFault, earliest: number): number {
  for (let at = earliest; at < earliest + 4 * minute; at += minute) {
    if (fault.expect.every((e) => valueAt(e, at, false) === valueAt(e, at, true))) return at;
  }
  return earliest;
}

function expectedAlert(e: ExpectedAlert, rules: readonly AlertRule[], cfg: MixinConfig, at: number) {
  const rule = e.severity === undefined ? rules[0] : rules.find((r) => r.labels['severity'] === e.severity);
  if (!rule) throw new ScenarioError(`no ${e.severity ?? ''} rule for the expected alert`);
  const exprLabels = { [cfg.clusterLabel]: clusters[0], ...e.labels };
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations).map(([k, v]) => [k, expandAnnotation(v, exprLabels, valueAt(e, at, false))]),
  );
  return { exp_labels: { ...exprLabels, ...rule.labels }, exp_annotations: annotations };
}

function faultTest(fault: AlertFault, rules: readonly AlertRule[], healthy: readonly Timeline[], cfg: MixinConfig) {
  const rule = rules[0]!;
  const at = unambiguousTime(fault, firingTime(fault, rule));
  const forMs = durationToMs(rule.for);
  // Just short of `for`: whatever the fault, it cannot have fired before it started plus `for`.
  const early =
    fault.expect.length > 0 && forMs >= 2 * minute
      ? [{ eval_time: promDuration(ceilMinutes(faultStartMs + forMs) - minute), alertname: fault.alert, exp_alerts: [] }]
      : [];
  const outcome = fault.expect.length > 0 ? `fires in ${clusters[0]} only, after for: ${rule.for}` : 'stays silent';
  return {
    name: `${fault.alert} ${outcome}: ${fault.fault}`,
    interval: promDuration(fault.stepMs),
    input_series: inputSeries(fault.series, healthy, cfg, fault.stepMs, at),
    alert_rule_test: [
      ...early,
      { eval_time: promDuration(at), alertname: fault.alert, exp_alerts: fault.expect.map((e) => expectedAlert(e, rules, cfg, at)) },
    ],
  };
}

/** When the records are read: past every window they use (15m), so each is steady. */
const recordsAt = 16 * minute;

/** One test per recording group: every record of the group on two healthy clusters, exactly as the model works it out. */
function recordTest(
  group: RuleGroup<{ record: string; expr: string }>,
  healthy: readonly Timeline[],
  expected: ReturnType<typeof recordedOnHealthy>,
  records: ReadonlyMap<string, readonly string[]>,
  cfg: MixinConfig,
) {
  const names = [...new Set(group.rules.map((r) => r.record))];
  // Only the series the group reads: the tests stay small enough to read.
  const read = metricsRead(
    group.rules.map((r) => r.expr),
    records,
  );
  const input = healthy.filter((t) => read.has(t.metric));
  return {
    name: `Every record of ${group.name} on two healthy clusters`,
    interval: '1m',
    input_series: inputSeries(input, input, cfg, minute, recordsAt),
    promql_expr_test: names.map((name) => {
      const series = expected.get(name);
      if (!series) throw new ScenarioError(`record ${name} has no expected series in mixin/scenarios/records.ts`);
      return {
        expr: name,
        eval_time: promDuration(recordsAt),
        exp_samples: clusters.flatMap((cluster) =>
          series.map((s) => ({
            labels: `${name}{${Object.entries({ [cfg.clusterLabel]: cluster, ...s.labels })
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(',')}}`,
            value: s.value,
          })),
        ),
      };
    }),
  };
}

/**
 * promtool unit tests of this build's alerts, one file per alert group, reading the rule files
 * beside them: each fault of the scenario model in the first of two clusters, and the healthy
 * cluster alone. An enabled alert the model has no firing fault for is an error.
 */
export function renderTests(mixin: Mixin, cfg: MixinConfig): Map<string, string> {
  const { cluster, healthy, faults } = scenarios(cfg);
  const recorded = recordedOnHealthy(cluster);
  const groups: RuleGroup<{ record?: string; alert?: string }>[] = [...mixin.prometheusRules.groups, ...mixin.prometheusAlerts.groups];
  const head = {
    rule_files: ['../prometheus_rules.yaml', '../prometheus_alerts.yaml'],
    evaluation_interval: '1m',
    // Recording groups first, as the alerts that read recorded series expect.
    group_eval_order: groups.map((g) => g.name),
  };
  const records = new Map<string, string[]>();
  for (const g of mixin.prometheusRules.groups) for (const r of g.rules) records.set(r.record, [...(records.get(r.record) ?? []), r.expr]);
  const files = new Map<string, string>();
  for (const group of mixin.prometheusAlerts.groups) {
    const byAlert = new Map<string, AlertRule[]>();
    for (const rule of group.rules) byAlert.set(rule.alert, [...(byAlert.get(rule.alert) ?? []), rule]);
    const tests = [];
    let latest = 0;
    const groupRead = metricsRead(
      group.rules.map((r) => r.expr),
      records,
    );
    for (const [alert, rules] of byAlert) {
      const own = faults.filter((f) => f.alert === alert);
      if (!own.some((f) => f.expect.length > 0))
        throw new ScenarioError(`alert ${alert} has no fault in mixin/scenarios/model.ts that fires it`);
      // Only the series the alert reads: the tests stay small enough to read.
      const read = metricsRead(
        rules.map((r) => r.expr),
        records,
      );
      const keep = (list: readonly Timeline[]) => list.filter((t) => read.has(t.metric));
      for (const fault of own) {
        tests.push(faultTest({ ...fault, series: keep(fault.series) }, rules, keep(healthy), cfg));
        latest = Math.max(latest, unambiguousTime(fault, firingTime(fault, rules[0]!)));
      }
    }
    const healthyTest = {
      name: `A healthy cluster raises no ${group.name} alert`,
      interval: '1m',
      input_series: inputSeries(
        healthy.filter((t) => groupRead.has(t.metric)),
        healthy.filter((t) => groupRead.has(t.metric)),
        cfg,
        minute,
        latest,
      ),
      alert_rule_test: [...byAlert.keys()].map((alertname) => ({ eval_time: promDuration(latest), alertname, exp_alerts: [] })),
    };
    files.set(`tests/${group.name}.yaml`, header + toYaml({ ...head, tests: [...tests, healthyTest] }));
  }
  for (const group of mixin.prometheusRules.groups) {
    files.set(`tests/${group.name}.yaml`, header + toYaml({ ...head, tests: [recordTest(group, healthy, recorded, records, cfg)] }));
  }
  return files;
}
