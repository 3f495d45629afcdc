import type { DashboardJson } from '../types.js';

/**
 * A typed, read-only view of a Grafana dashboard's JSON: the parts the linter, the doctor and the
 * test harness read. Fields the JSON lacks or holds with another type read as undefined (or empty),
 * so consumers never cast raw JSON themselves.
 */

/** One `targets[]` entry of a panel. */
export interface GrafanaTarget {
  readonly refId: string | undefined;
  readonly expr: string | undefined;
  readonly datasource: unknown;
  readonly instant: boolean;
  readonly range: boolean;
  readonly hide: boolean;
  /** The minimum step the target asks for (`30s`). */
  readonly interval: string | undefined;
}

export interface GrafanaPanel {
  readonly id: number | string | undefined;
  readonly type: string | undefined;
  /** Empty when the panel has none. */
  readonly title: string;
  readonly description: string;
  readonly datasource: unknown;
  readonly interval: string | undefined;
  readonly maxDataPoints: number | undefined;
  /** `fieldConfig.defaults.noValue`: what the panel shows when the query returns nothing. */
  readonly noValue: string | undefined;
  readonly targets: readonly GrafanaTarget[];
  /** A row's collapsed panels. */
  readonly panels: readonly GrafanaPanel[];
}

/** One `templating.list` entry. */
export interface GrafanaVariable {
  /** Empty when the entry has none. */
  readonly name: string;
  readonly type: string | undefined;
  /** The query text: Grafana stores either a string or `{query: string, ...}`. */
  readonly query: string | undefined;
  readonly definition: string | undefined;
  readonly datasource: unknown;
  readonly refresh: unknown;
  readonly regex: string | undefined;
  readonly sort: number | undefined;
  readonly multi: boolean;
  readonly includeAll: boolean;
  /** The custom "All" value; undefined when unset or empty. */
  readonly allValue: string | undefined;
  /** The current value when it is one string. */
  readonly current: string | undefined;
  /** The saved options' values. */
  readonly options: readonly string[];
}

export interface GrafanaDashboard {
  /** Empty when the dashboard has none. */
  readonly title: string;
  readonly panels: readonly GrafanaPanel[];
  readonly variables: readonly GrafanaVariable[];
}

type Json = Readonly<Record<string, unknown>>;

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);

function readTarget(t: Json): GrafanaTarget {
  return {
    refId: text(t['refId']),
    expr: text(t['expr']),
    datasource: t['datasource'],
    instant: t['instant'] === true,
    range: t['range'] === true,
    hide: t['hide'] === true,
    interval: text(t['interval']),
  };
}

function readPanel(p: Json): GrafanaPanel {
  const id = p['id'];
  const fieldConfig = p['fieldConfig'];
  const defaults = isRecord(fieldConfig) ? fieldConfig['defaults'] : undefined;
  return {
    id: typeof id === 'number' || typeof id === 'string' ? id : undefined,
    type: text(p['type']),
    title: text(p['title']) ?? '',
    description: text(p['description']) ?? '',
    datasource: p['datasource'],
    interval: text(p['interval']),
    maxDataPoints: typeof p['maxDataPoints'] === 'number' ? p['maxDataPoints'] : undefined,
    noValue: isRecord(defaults) ? text(defaults['noValue']) : undefined,
    targets: records(p['targets']).map(readTarget),
    panels: records(p['panels']).map(readPanel),
  };
}

function readVariable(v: Json): GrafanaVariable {
  const query = v['query'];
  const current = v['current'];
  const allValue = text(v['allValue']);
  return {
    name: text(v['name']) ?? '',
    type: text(v['type']),
    query: text(query) ?? (isRecord(query) ? text(query['query']) : undefined),
    definition: text(v['definition']),
    datasource: v['datasource'],
    refresh: v['refresh'],
    regex: text(v['regex']),
    sort: typeof v['sort'] === 'number' ? v['sort'] : undefined,
    multi: v['multi'] === true,
    includeAll: v['includeAll'] === true,
    allValue: allValue === '' ? undefined : allValue,
    current: isRecord(current) ? text(current['value']) : undefined,
    options: records(v['options']).map((o) => String(o['value'] ?? '')),
  };
}

export function readDashboard(json: DashboardJson): GrafanaDashboard {
  const templating = json['templating'];
  return {
    title: text(json['title']) ?? '',
    panels: records(json['panels']).map(readPanel),
    variables: isRecord(templating) ? records(templating['list']).map(readVariable) : [],
  };
}

/** Multi-select or with an "All" option: Grafana then formats the value as a regex alternation. */
export function isMultiValue(variable: GrafanaVariable): boolean {
  return variable.multi || variable.includeAll;
}
