/**
 * What Grafana sends to Prometheus when a dashboard loads: the targets of every panel, with the
 * step and the `$__…` intervals it would compute, and template variables resolved the way Grafana
 * resolves them (a single-value variable takes its first option, a multi-value one with All
 * becomes its custom all value or the regex of every option).
 */

export interface GrafanaSettings {
  /** Dashboard time range, seconds. */
  readonly rangeSeconds: number;
  /** The data source's scrape interval: Grafana's minimum step and the base of `$__rate_interval`. */
  readonly scrapeSeconds: number;
  /** Width in pixels Grafana gives a panel's query (`maxDataPoints`) when the panel sets none. */
  readonly defaultMaxDataPoints: number;
}

export interface PanelTarget {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly instant: boolean;
  readonly range: boolean;
  /** The step Grafana picks for this target, seconds. */
  readonly step: number;
}

interface RawTarget {
  expr?: unknown;
  refId?: unknown;
  hide?: unknown;
  instant?: unknown;
  range?: unknown;
  interval?: unknown;
}

interface RawPanel {
  type?: unknown;
  title?: unknown;
  id?: unknown;
  interval?: unknown;
  maxDataPoints?: unknown;
  targets?: RawTarget[];
  panels?: RawPanel[];
}

export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: string;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly allValue: string | undefined;
  readonly current: string | undefined;
  readonly regex: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `30s`, `1m`, `2h` → seconds (Grafana's interval syntax); undefined for anything else. */
export function durationSeconds(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * Grafana's query interval: the range over the panel's data points, but never below the minimum
 * step (the target's or panel's `interval`, else the data source's scrape interval).
 */
function stepFor(settings: GrafanaSettings, panel: RawPanel, target: RawTarget): number {
  const minStep = durationSeconds(str(target.interval)) ?? durationSeconds(str(panel.interval)) ?? settings.scrapeSeconds;
  const points = typeof panel.maxDataPoints === 'number' ? panel.maxDataPoints : settings.defaultMaxDataPoints;
  return Math.max(minStep, Math.ceil(settings.rangeSeconds / points));
}

/** Every visible Prometheus target of every panel, rows and collapsed rows included. */
export function panelTargets(dashboard: Record<string, unknown>, settings: GrafanaSettings): PanelTarget[] {
  const out: PanelTarget[] = [];
  const walk = (panels: RawPanel[] | undefined) => {
    for (const panel of panels ?? []) {
      walk(panel.panels);
      for (const target of panel.targets ?? []) {
        const expr = str(target.expr);
        if (!expr || target.hide === true) continue;
        const instant = target.instant === true;
        out.push({
          panel: str(panel.title) || `panel ${String(panel.id)}`,
          refId: str(target.refId) ?? 'A',
          expr,
          instant,
          // Grafana runs a range query unless the target asks for an instant one only.
          range: target.range === true || !instant,
          step: stepFor(settings, panel, target),
        });
      }
    }
  };
  walk(dashboard['panels'] as RawPanel[] | undefined);
  return out;
}

function currentValue(current: unknown): string | undefined {
  if (!current || typeof current !== 'object') return undefined;
  const value = (current as { value?: unknown }).value;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' && first !== '$__all' ? first : undefined;
}

/** The template variables, in dashboard order (later ones may refer to earlier ones). */
export function dashboardVariables(dashboard: Record<string, unknown>): Variable[] {
  const list = ((dashboard['templating'] as { list?: unknown[] } | undefined)?.list ?? []) as Record<string, unknown>[];
  return list.map((v) => {
    const rawQuery = v['query'];
    const query = typeof rawQuery === 'string' ? rawQuery : str((rawQuery as { query?: unknown } | undefined)?.query) ?? str(v['definition']) ?? '';
    const allValue = str(v['allValue']);
    return {
      name: str(v['name']) ?? '',
      type: str(v['type']) ?? 'query',
      query,
      multi: v['multi'] === true,
      includeAll: v['includeAll'] === true,
      allValue: allValue === '' ? undefined : allValue,
      current: currentValue(v['current']),
      regex: str(v['regex']) || undefined,
    };
  });
}

const regexEscape = (v: string) => v.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');

/** The text a variable stands for in a query, given the options Grafana found for it. */
export function variableText(variable: Variable, options: readonly string[]): string {
  if (variable.multi || variable.includeAll) {
    if (variable.current && !variable.includeAll) return variable.current;
    if (variable.allValue !== undefined) return variable.allValue;
    return options.length === 1 ? regexEscape(options[0] as string) : `(${options.map(regexEscape).join('|')})`;
  }
  return variable.current ?? options[0] ?? '';
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

/** How to ask Prometheus for a query variable's options. */
export type VariableQuery =
  | { readonly kind: 'labelValues'; readonly label: string; readonly match: string | undefined }
  | { readonly kind: 'queryResult'; readonly expr: string }
  | { readonly kind: 'static'; readonly values: readonly string[] };

export function parseVariableQuery(variable: Variable): VariableQuery {
  const q = variable.query.trim();
  if (variable.type !== 'query') {
    return { kind: 'static', values: q.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  }
  const labelValues = /^label_values\((?:(.*),)?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s.exec(q);
  if (labelValues) return { kind: 'labelValues', label: labelValues[2] as string, match: labelValues[1]?.trim() || undefined };
  const queryResult = /^query_result\((.*)\)$/s.exec(q);
  if (queryResult) return { kind: 'queryResult', expr: queryResult[1] as string };
  const metrics = /^metrics\((.*)\)$/s.exec(q);
  if (metrics) return { kind: 'labelValues', label: '__name__', match: undefined };
  return { kind: 'static', values: [] };
}

/** Grafana's `$__rate_interval`: max(`$__interval` + scrape interval, 4 × scrape interval). */
export const rateIntervalSeconds = (step: number, settings: GrafanaSettings): number => Math.max(step + settings.scrapeSeconds, 4 * settings.scrapeSeconds);

/** Replaces Grafana's built-in interval variables and the dashboard's own variables in `expr`. */
export function interpolate(expr: string, values: ReadonlyMap<string, string>, step: number, settings: GrafanaSettings): string {
  const rateInterval = rateIntervalSeconds(step, settings);
  const builtins: Record<string, string> = {
    __rate_interval: `${rateInterval}s`,
    __interval: `${step}s`,
    __interval_ms: String(step * 1000),
    __range: `${settings.rangeSeconds}s`,
    __range_s: String(settings.rangeSeconds),
    __range_ms: String(settings.rangeSeconds * 1000),
  };
  const lookup = (name: string): string | undefined => builtins[name] ?? values.get(name);
  return expr.replace(/\$\{([a-zA-Z0-9_]+)(?::[a-z]+)?\}|\[\[([a-zA-Z0-9_]+)\]\]|\$([a-zA-Z0-9_]+)/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return lookup(name) ?? whole;
  });
}
