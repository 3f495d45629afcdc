/**
 * Every Prometheus query of the generated dashboards, and the expansion of their Grafana variables
 * the way Grafana does it on dashboard load: query variables are resolved against the running
 * Prometheus (`label_values`, `query_result`), "All" wins where a variable offers it, and values are
 * formatted for PromQL (multi-value and All as an escaped regex alternation, or the `allValue`).
 */
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

interface RawTarget {
  expr?: unknown;
  refId?: unknown;
  instant?: unknown;
  range?: unknown;
  hide?: unknown;
}

interface RawPanel {
  title?: unknown;
  type?: unknown;
  fieldConfig?: { defaults?: { noValue?: unknown } };
  targets?: RawTarget[];
  panels?: RawPanel[];
}

/** Every panel target with an `expr`, nested row panels included, in dashboard order. */
export function dashboardQueries(file: string, dashboard: DashboardJson): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const visit = (panels: readonly RawPanel[], row: string | undefined) => {
    for (const panel of panels) {
      const title = typeof panel.title === 'string' ? panel.title : '(untitled)';
      if (panel.type === 'row') {
        visit(panel.panels ?? [], title);
        continue;
      }
      const noValue = panel.fieldConfig?.defaults?.noValue;
      for (const target of panel.targets ?? []) {
        if (typeof target.expr !== 'string' || target.expr.trim() === '' || target.hide === true) continue;
        out.push({
          dashboard: file,
          panel: row ? `${row} / ${title}` : title,
          refId: typeof target.refId === 'string' ? target.refId : '?',
          expr: target.expr,
          instant: target.instant === true && target.range !== true,
          noValue: typeof noValue === 'string' ? noValue : undefined,
        });
      }
    }
  };
  visit((dashboard['panels'] as RawPanel[] | undefined) ?? [], undefined);
  return out;
}

interface RawVariable {
  name: string;
  type: string;
  query?: unknown;
  definition?: unknown;
  regex?: unknown;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  current?: { value?: unknown };
  options?: { value?: unknown }[];
  sort?: number;
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

const variablePattern = /\$\{(\w+)(?::(\w+))?\}|\$(\w+)|\[\[(\w+)(?::(\w+))?\]\]/g;

/** Escape regex metacharacters the way Grafana's Prometheus data source does for multi-value variables. */
function regexEscape(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
}

/** Replace `$name`, `${name}` and `[[name]]` with the variables' rendered values; unknown names stay. */
export function expandVariables(expr: string, values: ReadonlyMap<string, string>): string {
  return expr.replace(variablePattern, (whole, a?: string, _fa?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return values.get(name) ?? whole;
  });
}

function queryString(v: RawVariable): string {
  if (typeof v.query === 'string') return v.query;
  if (v.query && typeof v.query === 'object' && typeof (v.query as { query?: unknown }).query === 'string') {
    return (v.query as { query: string }).query;
  }
  return typeof v.definition === 'string' ? v.definition : '';
}

/** Split at the last top-level comma: `label_values(metric{a="x,y"}, label)`. */
function splitLastArgument(args: string): [string, string] | undefined {
  let depth = 0;
  let quote: string | undefined;
  let at = -1;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) at = i;
  }
  return at < 0 ? undefined : [args.slice(0, at).trim(), args.slice(at + 1).trim()];
}

/** Run a query variable's query as Grafana's Prometheus data source would. */
async function variableOptions(prom: PrometheusServer, query: string, end: number, window: number): Promise<string[]> {
  const start = end - window;
  const labelValues = /^\s*label_values\((.*)\)\s*$/s.exec(query);
  if (labelValues?.[1] !== undefined) {
    const split = splitLastArgument(labelValues[1]);
    if (!split) return prom.labelValues(labelValues[1].trim());
    const [match, label] = split;
    const series = await prom.series([match], start, end);
    return [...new Set(series.map((s) => s[label]).filter((x): x is string => x !== undefined))];
  }
  const queryResult = /^\s*query_result\((.*)\)\s*$/s.exec(query);
  if (queryResult?.[1] !== undefined) {
    // Grafana lists each sample as `{labels} value timestamp`; the variable's regex picks from it.
    const samples = await prom.queryVector(queryResult[1], end);
    return samples.map((s) => {
      const { __name__: name = '', ...rest } = s.metric;
      const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
      return `${name}{${labels}} ${s.value[1]} ${s.value[0] * 1000}`;
    });
  }
  throw new Error(`unsupported query variable: ${query}`);
}

function applyRegex(options: string[], regex: unknown): string[] {
  if (typeof regex !== 'string' || regex === '') return options;
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

function render(v: RawVariable, values: readonly string[], all: boolean): string {
  if (all && typeof v.allValue === 'string' && v.allValue !== '') return v.allValue;
  if (v.multi === true || v.includeAll === true) {
    if (values.length === 1) return regexEscape(values[0] ?? '');
    return `(${values.map(regexEscape).join('|')})`;
  }
  return (values[0] ?? '').replace(/\\/g, '\\\\').replace(/'/g, "\\'");
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
  const list = ((dashboard['templating'] as { list?: RawVariable[] } | undefined)?.list ?? []) as RawVariable[];
  for (const v of list) {
    let options: string[];
    switch (v.type) {
      case 'datasource':
      case 'adhoc':
        continue;
      case 'query':
        options = sortOptions(
          applyRegex(await variableOptions(prom, expandVariables(queryString(v), variableMap(builtins, resolved)), range.end, range.window), v.regex),
          v.sort,
        );
        break;
      case 'constant':
      case 'textbox':
        options = [typeof v.query === 'string' ? v.query : String(v.current?.value ?? '')];
        break;
      default: {
        // custom and interval: the saved options, else the comma-separated query.
        const saved = (v.options ?? []).map((o) => String(o.value ?? '')).filter((x) => x !== '$__all');
        options = saved.length > 0 ? saved : queryString(v).split(',').map((x) => x.trim()).filter((x) => x !== '');
      }
    }
    const chosen = select[v.name];
    if (chosen !== undefined) {
      if (!options.includes(chosen)) throw new Error(`variable ${v.name} offers ${JSON.stringify(options)}, not ${chosen}`);
      resolved.set(v.name, { name: v.name, values: [chosen], rendered: render(v, [chosen], false) });
      continue;
    }
    const all = v.includeAll === true;
    const values = all ? options : options.slice(0, 1);
    resolved.set(v.name, { name: v.name, values, rendered: render(v, values, all) });
  }
  return resolved;
}

/** Builtins and resolved variables as one name → text map for `expandVariables`. */
export function variableMap(builtins: BuiltinVariables, resolved: ReadonlyMap<string, VariableValue>): Map<string, string> {
  return new Map<string, string>([...Object.entries(builtins), ...[...resolved].map(([k, v]) => [k, v.rendered] as const)]);
}
