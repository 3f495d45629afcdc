import type { MixinConfig } from '../config/schema.js';
import { durationToMs } from '../promql/duration.js';
import { alertScenarios, type AlertScenario, type ScenarioSeries } from '../scenarios/model.js';
import type { AlertRule, Mixin } from '../types.js';
import { generatedHeader as header, toYaml } from './yaml.js';

const minute = 60_000;
/** The faulty cluster and a second one that stays healthy: an alert must not mix them. */
const clusters = ['cluster-a', 'cluster-b'] as const;
/** The sample at which every fault starts: one healthy sample first, so a rate or change can see it. */
const faultStart = 1;

const minutes = (ms: number) => Math.ceil(ms / minute);

/** The labels of an alert's annotations filled in, or undefined when they use more than `$labels`. */
function expandAnnotations(rule: AlertRule, labels: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, template] of Object.entries(rule.annotations)) {
    const text = template.replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name: string) => labels[name] ?? '');
    if (text.includes('{{')) return undefined;
    out[key] = text;
  }
  return out;
}

function seriesText(s: ScenarioSeries, clusterLabel: string, cluster: string): string {
  const labels = { [clusterLabel]: cluster, ...s.labels };
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${s.metric}{${body}}`;
}

function inputSeries(sc: AlertScenario, clusterLabel: string, samples: number, faulty: boolean) {
  const rows: { series: string; values: string }[] = [];
  for (const cluster of clusters) {
    for (const s of sc.faulty) {
      const fault = faulty && cluster === clusters[0];
      rows.push({
        series: seriesText(s, clusterLabel, cluster),
        values: fault ? `${s.healthy}x${faultStart - 1} ${s.faulty}x${samples - faultStart}` : `${s.healthy}x${samples}`,
      });
    }
    for (const s of sc.bystanders) rows.push({ series: seriesText(s, clusterLabel, cluster), values: `${s.healthy}x${samples}` });
  }
  return rows;
}

interface Timing {
  readonly samples: number;
  readonly firingAt: number;
  readonly silentAt: number | undefined;
}

/**
 * When to look: a rule group evaluated every `slowest` may see the fault that much later, and the
 * alert group once more, so the firing case waits two of those past `for`. The silent case looks
 * a minute before `for` has run out since the fault began, which no group delay can make fire.
 */
function timing(rule: AlertRule, slowest: number): Timing {
  const forMin = minutes(durationToMs(rule.for));
  const firingAt = faultStart + forMin + 2 * slowest;
  return { samples: firingAt + 1, firingAt, silentAt: forMin >= 2 ? faultStart + forMin - 1 : undefined };
}

function alertTests(sc: AlertScenario, rule: AlertRule, cfg: MixinConfig, slowest: number) {
  const t = timing(rule, slowest);
  const expected = sc.faulty.map((s) => {
    const labels: Record<string, string> = { [cfg.clusterLabel]: clusters[0] };
    for (const k of sc.keep) if (s.labels[k] !== undefined) labels[k] = s.labels[k];
    Object.assign(labels, rule.labels);
    const annotations = expandAnnotations(rule, labels);
    return annotations && { exp_labels: labels, exp_annotations: annotations };
  });
  if (expected.some((e) => e === undefined)) return undefined;
  const silentChecks = t.silentAt === undefined ? [] : [{ eval_time: `${t.silentAt}m`, alertname: sc.alert, exp_alerts: [] }];
  return [
    {
      name: `${sc.alert} fires when ${sc.fault}, in that cluster only, after for: ${rule.for}`,
      interval: '1m',
      input_series: inputSeries(sc, cfg.clusterLabel, t.samples, true),
      alert_rule_test: [...silentChecks, { eval_time: `${t.firingAt}m`, alertname: sc.alert, exp_alerts: expected }],
    },
  ];
}

/** The alerts the model has a scenario for that this build can test, by alert group. */
export function testedAlerts(mixin: Mixin, cfg: MixinConfig): Map<string, { scenario: AlertScenario; rule: AlertRule }[]> {
  const scenarios = new Map(alertScenarios(cfg).map((s) => [s.alert, s]));
  const out = new Map<string, { scenario: AlertScenario; rule: AlertRule }[]>();
  for (const group of mixin.prometheusAlerts.groups) {
    for (const rule of group.rules) {
      const scenario = scenarios.get(rule.alert);
      if (scenario) out.set(group.name, [...(out.get(group.name) ?? []), { scenario, rule }]);
    }
  }
  return out;
}

/** promtool unit tests of this build's rules, one file per alert group, reading the rule files beside them. */
export function renderTests(mixin: Mixin, cfg: MixinConfig): Map<string, string> {
  const groups = [...mixin.prometheusRules.groups, ...mixin.prometheusAlerts.groups];
  const slowest = Math.max(1, ...groups.map((g) => minutes(durationToMs(g.interval ?? '1m'))));
  const head = {
    rule_files: ['../prometheus_rules.yaml', '../prometheus_alerts.yaml'],
    evaluation_interval: '1m',
    // Recording groups first, as the alerts that read recorded series expect.
    group_eval_order: groups.map((g) => g.name),
  };
  const files = new Map<string, string>();
  for (const [group, tested] of testedAlerts(mixin, cfg)) {
    const tests = tested.flatMap(({ scenario, rule }) => alertTests(scenario, rule, cfg, slowest) ?? []);
    if (tests.length === 0) continue;
    const healthyAt = Math.max(...tested.map(({ rule }) => timing(rule, slowest).firingAt));
    const healthy = {
      name: `A healthy cluster fires no ${group} alert`,
      interval: '1m',
      input_series: tested.flatMap(({ scenario }) => inputSeries(scenario, cfg.clusterLabel, healthyAt + 1, false)),
      alert_rule_test: [...new Set(tested.map(({ scenario }) => scenario.alert))].map((alert) => ({
        eval_time: `${healthyAt}m`,
        alertname: alert,
        exp_alerts: [],
      })),
    };
    files.set(`tests/${group}.yaml`, header + toYaml({ ...head, tests: [...tests, healthy] }));
  }
  return files;
}
