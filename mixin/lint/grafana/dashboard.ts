import type { DashboardJson } from '../../types.js';
import { dashboardVariables, isRecord, listedLabel, templatingList, variableQuery, variableQueryText, type GrafanaVariable } from './variables.js';

type Json = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One panel with its place: rows nest panels (`panels[]` of a collapsed row). */
export interface LocatedPanel {
  readonly panel: Json;
  /** `dashboard title / panel title`. */
  readonly where: string;
}

export function dashboardTitle(dashboard: DashboardJson, file: string): string {
  return text(dashboard['title']) || file;
}

export function panelsOf(dashboard: DashboardJson, file: string): LocatedPanel[] {
  const title = dashboardTitle(dashboard, file);
  const out: LocatedPanel[] = [];
  const walk = (panels: unknown) => {
    if (!Array.isArray(panels)) return;
    for (const panel of panels.filter(isRecord)) {
      out.push({ panel, where: `${title} / ${text(panel['title']) || `panel ${String(panel['id'] ?? '?')}`}` });
      walk(panel['panels']);
    }
  };
  walk(dashboard['panels']);
  return out;
}

export function variableWhere(dashboardTitle: string, variable: Json): string {
  return `${dashboardTitle} / variable $${text(variable['name'])}`;
}

/** A query a dashboard sends to Prometheus, before variable expansion. */
export interface DashboardQuery {
  readonly where: string;
  readonly kind: 'panel' | 'variable';
  /** The text as the dashboard holds it (a target's `expr`, or a variable's whole query). */
  readonly source: string;
  /** Where the PromQL starts in `source` (inside `label_values(...)` for variables). */
  readonly offset: number;
  readonly expr: string;
  /** For variable queries: the label the variable lists, e.g. `cluster`. */
  readonly listedLabel?: string;
}

export interface DashboardQueries {
  readonly queries: DashboardQuery[];
  readonly variables: GrafanaVariable[];
}

export function dashboardQueries(dashboard: DashboardJson, file: string): DashboardQueries {
  const queries: DashboardQuery[] = [];
  for (const { panel, where } of panelsOf(dashboard, file)) {
    const targets = Array.isArray(panel['targets']) ? panel['targets'].filter(isRecord) : [];
    for (const target of targets) {
      const expr = target['expr'];
      if (typeof expr !== 'string' || expr.trim() === '') continue;
      const ref = targets.length > 1 ? ` [${text(target['refId']) || '?'}]` : '';
      queries.push({ where: `${where}${ref}`, kind: 'panel', source: expr, offset: 0, expr });
    }
  }
  const title = dashboardTitle(dashboard, file);
  for (const variable of templatingList(dashboard)) {
    if (variable['type'] !== 'query') continue;
    const source = variableQueryText(variable);
    if (source === undefined || source.trim() === '') continue;
    const where = variableWhere(title, variable);
    const parsed = variableQuery(source);
    if (parsed.kind !== 'promql') continue;
    const label = listedLabel(source);
    queries.push({ where, kind: 'variable', source, offset: parsed.offset, expr: parsed.expr, ...(label ? { listedLabel: label } : {}) });
  }
  return { queries, variables: dashboardVariables(dashboard) };
}
