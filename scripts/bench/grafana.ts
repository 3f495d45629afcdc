/**
 * What Grafana sends to Prometheus when a dashboard loads: the targets of every panel, with the
 * step and the `$__…` intervals it would compute, and template variables resolved the way Grafana
 * resolves them (a single-value variable takes its saved value or first option, a multi-value one
 * with All becomes its custom all value or the regex of every option).
 */
import { expandResolved, formatValues } from '../../mixin/grafana/expand.js';
import { isMultiValue, type GrafanaDashboard, type GrafanaPanel, type GrafanaTarget, type GrafanaVariable } from '../../mixin/grafana/model.js';
import { variableQuery } from '../../mixin/grafana/variable-query.js';
import { panelName, queryTargets } from '../../mixin/grafana/walk.js';
import { durationToMs } from '../../mixin/promql/duration.js';

export interface GrafanaSettings {
  /** Dashboard time range, seconds. */
  readonly rangeSeconds: number;
  /** The data source's scrape interval: Grafana's minimum step and the base of `$__rate_interval`. */
  readonly scrapeSeconds: number;
  /** Width in pixels Grafana gives a panel's query (`maxDataPoints`) when the panel sets none. */
  readonly defaultMaxDataPoints: number;
}

interface PanelTarget {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly instant: boolean;
  readonly range: boolean;
  /** The step Grafana picks for this target, seconds. */
  readonly step: number;
}

/** `30s`, `1m`, `2h` → seconds; undefined when unset or not a duration (`$__interval`), so the next minimum applies. */
function durationSeconds(text: string | undefined): number | undefined {
  const ms = durationToMs(text);
  return ms > 0 ? ms / 1000 : undefined;
}

/**
 * Grafana's query interval: the range over the panel's data points, but never below the minimum
 * step (the target's or panel's `interval`, else the data source's scrape interval).
 */
function stepFor(settings: GrafanaSettings, panel: GrafanaPanel, target: GrafanaTarget): number {
  const minStep = durationSeconds(target.interval) ?? durationSeconds(panel.interval) ?? settings.scrapeSeconds;
  const points = panel.maxDataPoints ?? settings.defaultMaxDataPoints;
  return Math.max(minStep, Math.ceil(settings.rangeSeconds / points));
}

/** Every visible Prometheus target of every panel, rows and collapsed rows included. */
export function panelTargets(dashboard: GrafanaDashboard, settings: GrafanaSettings): PanelTarget[] {
  return queryTargets(dashboard)
    .filter(({ target }) => !target.hide)
    .map(({ panel, target, expr }) => ({
      panel: panelName(panel),
      refId: target.refId ?? 'A',
      expr,
      instant: target.instant,
      // Grafana runs a range query unless the target asks for an instant one only.
      range: target.range || !target.instant,
      step: stepFor(settings, panel, target),
    }));
}

/** The variable's saved value, unless it is All (or empty): the bench then selects All. */
function savedSelection(variable: GrafanaVariable): string | undefined {
  const current = variable.current;
  return current !== undefined && current !== '' && current !== '$__all' ? current : undefined;
}

/**
 * The text a variable stands for in a query, given the options Grafana found for it: a
 * multi-value variable with All is set to All, one without keeps its saved selection.
 */
export function variableText(variable: GrafanaVariable, options: readonly string[]): string {
  const saved = savedSelection(variable);
  if (isMultiValue(variable)) {
    return saved !== undefined && !variable.includeAll ? formatValues(variable, [saved], false) : formatValues(variable, options, true);
  }
  return formatValues(variable, [saved ?? options[0] ?? ''], false);
}

/** Applies a variable's `regex` option (`/pattern/`): keeps matching options, and the first capture when there is one. */
export function filterOptions(values: readonly string[], regex: string | undefined): string[] {
  const m = regex ? /^\/(.*)\/([gimsuy]*)$/.exec(regex) : null;
  if (!m) return [...values];
  const re = new RegExp(m[1] as string, (m[2] as string).replace('g', ''));
  const out: string[] = [];
  for (const v of values) {
    const hit = re.exec(v);
    if (hit) out.push(hit.groups?.['value'] ?? hit[1] ?? v);
  }
  return [...new Set(out)];
}

/** How to ask Prometheus for a variable's options. */
type OptionsQuery =
  | { readonly kind: 'labelValues'; readonly label: string; readonly match: string | undefined }
  | { readonly kind: 'queryResult'; readonly expr: string }
  | { readonly kind: 'static'; readonly values: readonly string[] };

/** The query text Grafana stores for a variable (`query`, else its `definition`). */
export function variableQueryText(variable: GrafanaVariable): string {
  return variable.query ?? variable.definition ?? '';
}

/** `text` is the variable's query with the variables before it already expanded. */
export function optionsQuery(variable: GrafanaVariable, text: string): OptionsQuery {
  if ((variable.type ?? 'query') !== 'query') {
    return { kind: 'static', values: text.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  }
  const parsed = variableQuery(text);
  if (parsed.kind === 'invalid') return { kind: 'static', values: [] };
  switch (parsed.fn) {
    case 'label_values':
      return parsed.label === undefined ? { kind: 'static', values: [] } : { kind: 'labelValues', label: parsed.label, match: parsed.kind === 'promql' ? parsed.expr || undefined : undefined };
    case 'metrics':
      return { kind: 'labelValues', label: '__name__', match: undefined };
    case 'query_result':
      return parsed.kind === 'promql' ? { kind: 'queryResult', expr: parsed.expr } : { kind: 'static', values: [] };
    case 'label_names':
      return { kind: 'static', values: [] };
  }
}

/** Grafana's `$__rate_interval`: max(`$__interval` + scrape interval, 4 × scrape interval). */
export const rateIntervalSeconds = (step: number, settings: GrafanaSettings): number => Math.max(step + settings.scrapeSeconds, 4 * settings.scrapeSeconds);

/** Replaces Grafana's built-in interval variables and the dashboard's own variables in `expr`. */
export function interpolate(expr: string, values: ReadonlyMap<string, string>, step: number, settings: GrafanaSettings): string {
  const builtins: [string, string][] = [
    ['__rate_interval', `${rateIntervalSeconds(step, settings)}s`],
    ['__interval', `${step}s`],
    ['__interval_ms', String(step * 1000)],
    ['__range', `${settings.rangeSeconds}s`],
    ['__range_s', String(settings.rangeSeconds)],
    ['__range_ms', String(settings.rangeSeconds * 1000)],
  ];
  // A dashboard variable cannot shadow a built-in one.
  return expandResolved(expr, new Map([...values, ...builtins]));
}
