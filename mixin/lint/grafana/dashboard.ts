import type { GrafanaDashboard, GrafanaPanel, GrafanaVariable } from '../../grafana/model.js';
import { panelName, panelsOf } from '../../grafana/walk.js';
import { variableQuery } from '../../grafana/variable-query.js';

/** One panel with its place: rows nest panels (`panels[]` of a collapsed row). */
export interface LocatedPanel {
  readonly panel: GrafanaPanel;
  /** `dashboard title / panel title`. */
  readonly where: string;
}

export function dashboardTitle(dashboard: GrafanaDashboard, file: string): string {
  return dashboard.title || file;
}

export function locatedPanels(dashboard: GrafanaDashboard, file: string): LocatedPanel[] {
  const title = dashboardTitle(dashboard, file);
  return panelsOf(dashboard).map(({ panel }) => ({ panel, where: `${title} / ${panelName(panel)}` }));
}

export function variableWhere(dashboardTitle: string, variable: GrafanaVariable): string {
  return `${dashboardTitle} / variable $${variable.name}`;
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
  /** The variables a query may refer to. */
  readonly variables: readonly GrafanaVariable[];
}

export function dashboardQueries(dashboard: GrafanaDashboard, file: string): DashboardQueries {
  const queries: DashboardQuery[] = [];
  for (const { panel, where } of locatedPanels(dashboard, file)) {
    for (const target of panel.targets) {
      const expr = target.expr;
      if (expr === undefined || expr.trim() === '') continue;
      const ref = panel.targets.length > 1 ? ` [${target.refId || '?'}]` : '';
      queries.push({ where: `${where}${ref}`, kind: 'panel', source: expr, offset: 0, expr });
    }
  }
  const title = dashboardTitle(dashboard, file);
  for (const variable of dashboard.variables) {
    if (variable.type !== 'query') continue;
    const source = variable.query;
    if (source === undefined || source.trim() === '') continue;
    const parsed = variableQuery(source);
    if (parsed.kind !== 'promql') continue;
    const where = variableWhere(title, variable);
    const label = parsed.fn === 'label_values' ? parsed.label : undefined;
    queries.push({ where, kind: 'variable', source, offset: parsed.offset, expr: parsed.expr, ...(label ? { listedLabel: label } : {}) });
  }
  return { queries, variables: dashboard.variables.filter((v) => v.name !== '') };
}
