import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { durationToMs } from '../../mixin/promql/duration.js';
import type { Mixin } from '../../mixin/types.js';

/** Whose queries: the mixin as generated now, or the seed the project started from. */
export type Source = 'ours' | 'seed';

/** An alerting or recording rule expression, evaluated as an instant query. */
interface RuleQuery {
  readonly source: Source;
  readonly file: 'alerts' | 'rules';
  readonly name: string;
  readonly expr: string;
  /** How often Prometheus evaluates it: its group's `interval:`, else the 30 s of a default `evaluation_interval`. */
  readonly perMinute: number;
}

/** Prometheus's default `evaluation_interval` is 1m; ours and kube-prometheus's is 30s, the figure the issue counts with. */
const defaultEvaluationMs = 30_000;

/** One dashboard's JSON, whose panels and variables the bench queries. */
export interface DashboardQueries {
  readonly source: Source;
  readonly file: string;
  readonly json: Record<string, unknown>;
}

export interface QuerySet {
  readonly rules: RuleQuery[];
  readonly dashboards: DashboardQueries[];
}

interface RuleFileShape {
  groups?: { interval?: string; rules?: { alert?: string; record?: string; expr?: string }[] }[];
}

function ruleQueries(source: Source, file: 'alerts' | 'rules', content: RuleFileShape): RuleQuery[] {
  return (content.groups ?? []).flatMap((g) => {
    const perMinute = 60_000 / (durationToMs(g.interval) || defaultEvaluationMs);
    return (g.rules ?? []).flatMap((r) => {
      const name = r.alert ?? r.record;
      return name && r.expr ? [{ source, file, name, expr: r.expr, perMinute }] : [];
    });
  });
}

/** The queries of the mixin as generated (with the default config) for this run. */
export function ourQueries(mixin: Mixin): QuerySet {
  return {
    rules: [...ruleQueries('ours', 'alerts', mixin.prometheusAlerts), ...ruleQueries('ours', 'rules', mixin.prometheusRules)],
    dashboards: Object.entries(mixin.grafanaDashboards).map(([file, json]) => ({ source: 'ours', file, json })),
  };
}

/** The seed's alerts, rules and dashboard; undefined when the seed directory is not there. */
export function seedQueries(dir: string): QuerySet | undefined {
  const files = { alerts: join(dir, 'seed_alerts.yaml'), rules: join(dir, 'seed_rules.yaml'), dashboard: join(dir, 'seed-dashboard.json') };
  if (!Object.values(files).every((f) => existsSync(f))) return undefined;
  return {
    rules: [
      ...ruleQueries('seed', 'alerts', parse(readFileSync(files.alerts, 'utf8')) as RuleFileShape),
      ...ruleQueries('seed', 'rules', parse(readFileSync(files.rules, 'utf8')) as RuleFileShape),
    ],
    dashboards: [{ source: 'seed', file: 'seed-dashboard.json', json: JSON.parse(readFileSync(files.dashboard, 'utf8')) as Record<string, unknown> }],
  };
}
