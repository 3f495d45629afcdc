/**
 * Grafana's template variables resolved the way Grafana does on dashboard load, for the end-to-end
 * test and the bench alike: query variables ask the data source (`label_values`, `metrics`,
 * `query_result`), the variable's regex picks from the answers, and the selection is formatted
 * for PromQL (multi-value and All as an escaped regex alternation, or the `allValue`).
 */
import { expandResolved, formatValues } from '../../mixin/grafana/expand.js';
import { readDashboard, type GrafanaVariable } from '../../mixin/grafana/model.js';
import { variableQuery } from '../../mixin/grafana/variable-query.js';
import type { DashboardJson } from '../../mixin/types.js';
import type { VectorSample } from './prometheus-api.js';

/** What a query variable asks its Prometheus data source; a `PrometheusServer` is one. */
export interface VariableOptionsSource {
  /** Values of `label` on the series matching `matchers` within [start, end]. */
  labelValues(label: string, matchers: readonly string[], start: number, end: number): Promise<string[]>;
  /** An instant query at `time`. */
  queryVector(expr: string, time: number): Promise<VectorSample[]>;
}

/** A variable's resolved state: the options found, the values selected, and how it renders in PromQL. */
export interface VariableValue {
  readonly name: string;
  readonly options: readonly string[];
  readonly values: readonly string[];
  readonly rendered: string;
}

/** Grafana's built-in variables; durations as Grafana would compute them for this scrape interval. */
export interface BuiltinVariables {
  readonly __rate_interval: string;
  readonly __interval: string;
  readonly __range: string;
  readonly [name: string]: string;
}

/** The dashboard time range a variable's lookups are bounded by, unix seconds. */
export interface TimeRange {
  readonly end: number;
  /** Length of the range, seconds. */
  readonly window: number;
}

/**
 * A variable's `regex` option as Grafana reads it (`stringToJsRegex`): `/pattern/flags`, or a bare
 * pattern that must match the whole option.
 */
export function variableRegex(regex: string | undefined): RegExp | undefined {
  if (regex === undefined || regex === '') return undefined;
  const literal = /^\/(.*)\/([gimsuy]*)$/s.exec(regex);
  return literal ? new RegExp(literal[1] ?? '', literal[2]) : new RegExp(`^${regex}$`);
}

/**
 * Applies a variable's regex to its options as Grafana does: options that do not match are
 * dropped; a named group `value` (or `text`), else the first capture group, else the whole option
 * is what remains; duplicates go.
 */
export function filterOptions(options: readonly string[], regex: string | undefined): string[] {
  const re = variableRegex(regex);
  if (!re) return [...new Set(options)];
  const out: string[] = [];
  for (const option of options) {
    const hit = option.match(re);
    if (!hit) continue;
    const named = hit.groups?.['value'] ?? hit.groups?.['text'];
    out.push(named ?? (hit.length > 1 ? (hit[1] ?? '') : option));
  }
  return [...new Set(out)];
}

/** Grafana's variable sort orders (1/2 alphabetical, 3/4 numerical, 5/6 case-insensitive alphabetical). */
export function sortOptions(options: readonly string[], sort: number | undefined): string[] {
  const sorted = [...options];
  switch (sort) {
    case 1:
      return sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    case 2:
      return sorted.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    case 3:
      return sorted.sort((a, b) => Number(a) - Number(b));
    case 4:
      return sorted.sort((a, b) => Number(b) - Number(a));
    case 5:
      return sorted.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    case 6:
      return sorted.sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase()));
    default:
      return sorted;
  }
}

/** An instant-query sample as Grafana's `query_result()` lists it: `name{a="x",b="y"} value timestamp_ms`. */
export function queryResultLine(sample: VectorSample): string {
  const { __name__: name = '', ...labels } = sample.metric;
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}} ${sample.value[1]} ${sample.value[0] * 1000}`;
}

/** The query text Grafana stores for a variable (`query`, else its `definition`). */
export function variableQueryText(variable: GrafanaVariable): string {
  return variable.query ?? variable.definition ?? '';
}

/**
 * The options of one variable, before its regex and sort. `text` is the variable's query with the
 * variables before it already expanded.
 */
export async function variableOptions(
  variable: GrafanaVariable,
  text: string,
  source: VariableOptionsSource,
  range: TimeRange,
): Promise<string[]> {
  switch (variable.type) {
    case 'query':
      break;
    case 'constant':
    case 'textbox':
      return [variable.query ?? variable.current ?? ''];
    default: {
      // custom and interval: the saved options, else the comma-separated query.
      const saved = variable.options.filter((x) => x !== '$__all');
      return saved.length > 0
        ? saved
        : text
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== '');
    }
  }
  const parsed = variableQuery(text);
  if (parsed.kind === 'invalid') throw new Error(`variable ${variable.name}: ${parsed.message}`);
  const start = range.end - range.window;
  switch (parsed.fn) {
    case 'label_values':
      if (parsed.label === undefined) break;
      return source.labelValues(parsed.label, parsed.kind === 'promql' && parsed.expr !== '' ? [parsed.expr] : [], start, range.end);
    case 'metrics':
      return source.labelValues('__name__', [], start, range.end);
    case 'query_result':
      if (parsed.kind !== 'promql') break;
      return (await source.queryVector(parsed.expr, range.end)).map(queryResultLine);
    case 'label_names':
      break;
  }
  throw new Error(`variable ${variable.name}: unsupported query ${text}`);
}

/**
 * The value Grafana selects among `options`: `chosen` if given (a user picking from the
 * dropdown), else the saved selection while it is still offered, else "All" where the variable
 * has it, else the first option.
 */
export function selectValue(variable: GrafanaVariable, options: readonly string[], chosen?: string): VariableValue {
  const value = (values: readonly string[], all: boolean): VariableValue => ({
    name: variable.name,
    options,
    values,
    rendered: formatValues(variable, values, all),
  });
  if (chosen !== undefined) {
    if (!options.includes(chosen)) throw new Error(`variable ${variable.name} offers ${JSON.stringify(options)}, not ${chosen}`);
    return value([chosen], false);
  }
  const saved = variable.current;
  if (saved !== undefined && saved !== '' && saved !== '$__all' && options.includes(saved)) return value([saved], false);
  if (variable.includeAll) return value(options, true);
  return value(options.slice(0, 1), false);
}

/** Builtins and resolved variables as one name → text map for `expandResolved`; a variable cannot shadow a builtin. */
export function variableMap(builtins: BuiltinVariables, resolved: ReadonlyMap<string, VariableValue>): Map<string, string> {
  return new Map<string, string>([...[...resolved].map(([k, v]) => [k, v.rendered] as const), ...Object.entries(builtins)]);
}

/** One variable resolved, given those before it. */
export async function resolveVariable(
  variable: GrafanaVariable,
  source: VariableOptionsSource,
  builtins: BuiltinVariables,
  before: ReadonlyMap<string, VariableValue>,
  range: TimeRange,
  chosen?: string,
): Promise<VariableValue> {
  const text = expandResolved(variableQueryText(variable), variableMap(builtins, before));
  const options = sortOptions(filterOptions(await variableOptions(variable, text, source, range), variable.regex), variable.sort);
  return selectValue(variable, options, chosen);
}

/** The variables a dashboard load resolves: not the data source picker, nor ad hoc filters. */
export function resolvableVariables(dashboard: DashboardJson): GrafanaVariable[] {
  return readDashboard(dashboard).variables.filter((v) => v.name !== '' && v.type !== 'datasource' && v.type !== 'adhoc');
}

/**
 * Resolve a dashboard's variables in order (later ones may use earlier ones), as a dashboard load
 * does. `range` bounds the lookups, like the dashboard's time range. `select` picks values instead
 * (e.g. `{ cluster: 'east' }`), as a user choosing from the dropdown.
 */
export async function resolveVariables(
  dashboard: DashboardJson,
  source: VariableOptionsSource,
  builtins: BuiltinVariables,
  range: TimeRange,
  select: Readonly<Record<string, string>> = {},
): Promise<Map<string, VariableValue>> {
  const resolved = new Map<string, VariableValue>();
  for (const v of resolvableVariables(dashboard))
    resolved.set(v.name, await resolveVariable(v, source, builtins, resolved, range, select[v.name]));
  return resolved;
}
