/**
 * Every Prometheus query of the generated dashboards, and the expansion of their Grafana variables
 * the way Grafana does it on dashboard load: query variables are resolved against the running
 * Prometheus (`label_values`, `query_result`), "All" wins where a variable offers it, and values are
 * formatted for PromQL (multi-value and All as an escaped regex alternation, or the `allValue`).
 */
import { expandResolved, formatValues } from '../../mixin/grafana/expand.js';
import { readDashboard, type GrafanaVariable } from '../../mixin/grafana/model.js';
import { variableQuery } from '../../mixin/grafana/variable-query.js';
import { panelName, queryTargets } from '../../mixin/grafana/walk.js';
import type { DashboardJson } from '../../mixin/types.js';
import type { PrometheusServer } from './prometheus.js';

/** One `targets[]` entry of one panel. */
export interface DashboardQuery {
  readonly dashboard: string;
  /** `<row title> / <panel title>` (or just the panel title outside rows). */
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  /** The target asks for an instant query only (tables and stats often do). */
  readonly instant: boolean;
  /** What the panel shows when the query returns nothing (`fieldConfig.defaults.noValue`), if set. */
  readonly noValue: string | undefined;
}

/** Every visible panel target with an `expr`, nested row panels included, in dashboard order. */
export function dashboardQueries(file: string, dashboard: DashboardJson): DashboardQuery[] {
  return queryTargets(readDashboard(dashboard))
    .filter(({ target }) => !target.hide)
    .map(({ panel, parent, target, expr }) => ({
      dashboard: file,
      panel: parent?.type === 'row' ? `${panelName(parent)} / ${panelName(panel)}` : panelName(panel),
      refId: target.refId ?? '?',
      expr,
      instant: target.instant && !target.range,
      noValue: panel.noValue,
    }));
}

/** A variable's resolved state: the values selected, and how it renders in PromQL. */
export interface VariableValue {
  readonly name: string;
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

function queryString(v: GrafanaVariable): string {
  return v.query ?? v.definition ?? '';
}

/** Run a query variable's query as Grafana's Prometheus data source would. */
async function variableOptions(prom: PrometheusServer, query: string, end: number, window: number): Promise<string[]> {
  const start = end - window;
  const parsed = variableQuery(query);
  if (parsed.kind !== 'invalid' && parsed.fn === 'label_values' && parsed.label !== undefined) {
    if (parsed.kind === 'none') return prom.labelValues(parsed.label);
    const label = parsed.label;
    const series = await prom.series([parsed.expr], start, end);
    return [...new Set(series.map((s) => s[label]).filter((x): x is string => x !== undefined))];
  }
  if (parsed.kind === 'promql' && parsed.fn === 'query_result') {
    // Grafana lists each sample as `{labels} value timestamp`; the variable's regex picks from it.
    const samples = await prom.queryVector(parsed.expr, end);
    return samples.map((s) => {
      const { __name__: name = '', ...rest } = s.metric;
      const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
      return `${name}{${labels}} ${s.value[1]} ${s.value[0] * 1000}`;
    });
  }
  throw new Error(`unsupported query variable: ${query}`);
}

function applyRegex(options: string[], regex: string | undefined): string[] {
  if (regex === undefined || regex === '') return options;
  const m = /^\/(.*)\/([gimsuy]*)$/s.exec(regex);
  const re = new RegExp(m?.[1] ?? regex, m?.[2] ?? '');
  const out: string[] = [];
  for (const o of options) {
    const hit = re.exec(o);
    if (hit) out.push(hit[1] ?? hit[0]);
  }
  return [...new Set(out)];
}

function sortOptions(options: string[], sort: number | undefined): string[] {
  const sorted = [...options];
  switch (sort) {
    case 1:
    case 5:
      return sorted.sort((a, b) => a.localeCompare(b));
    case 2:
    case 6:
      return sorted.sort((a, b) => b.localeCompare(a));
    case 3:
      return sorted.sort((a, b) => Number(a) - Number(b));
    case 4:
      return sorted.sort((a, b) => Number(b) - Number(a));
    default:
      return sorted;
  }
}

/**
 * Resolve a dashboard's variables in order (later ones may use earlier ones), choosing "All" where
 * offered and the first option otherwise, as Grafana does when the saved selection is not available.
 * `end`/`window` (seconds) bound the `label_values` series lookups, like the dashboard's time range.
 * `select` picks a value instead (e.g. `{ cluster: 'east' }`), as a user choosing from the dropdown.
 */
export async function resolveVariables(
  dashboard: DashboardJson,
  prom: PrometheusServer,
  builtins: BuiltinVariables,
  range: { readonly end: number; readonly window: number },
  select: Readonly<Record<string, string>> = {},
): Promise<Map<string, VariableValue>> {
  const resolved = new Map<string, VariableValue>();
  for (const v of readDashboard(dashboard).variables) {
    let options: string[];
    switch (v.type) {
      case 'datasource':
      case 'adhoc':
        continue;
      case 'query':
        options = sortOptions(
          applyRegex(await variableOptions(prom, expandResolved(queryString(v), variableMap(builtins, resolved)), range.end, range.window), v.regex),
          v.sort,
        );
        break;
      case 'constant':
      case 'textbox':
        options = [v.query ?? v.current ?? ''];
        break;
      default: {
        // custom and interval: the saved options, else the comma-separated query.
        const saved = v.options.filter((x) => x !== '$__all');
        options = saved.length > 0 ? saved : queryString(v).split(',').map((x) => x.trim()).filter((x) => x !== '');
      }
    }
    const chosen = select[v.name];
    if (chosen !== undefined) {
      if (!options.includes(chosen)) throw new Error(`variable ${v.name} offers ${JSON.stringify(options)}, not ${chosen}`);
      resolved.set(v.name, { name: v.name, values: [chosen], rendered: formatValues(v, [chosen], false) });
      continue;
    }
    const all = v.includeAll;
    const values = all ? options : options.slice(0, 1);
    resolved.set(v.name, { name: v.name, values, rendered: formatValues(v, values, all) });
  }
  return resolved;
}

/** Builtins and resolved variables as one name → text map for `expandResolved`. */
export function variableMap(builtins: BuiltinVariables, resolved: ReadonlyMap<string, VariableValue>): Map<string, string> {
  return new Map<string, string>([...Object.entries(builtins), ...[...resolved].map(([k, v]) => [k, v.rendered] as const)]);
}
