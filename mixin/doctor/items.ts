import { expandPlaceholders } from '../grafana/expand.js';
import { readDashboard, type GrafanaDashboard } from '../grafana/model.js';
import { panelName, queryTargets } from '../grafana/walk.js';
import { variableQuery } from '../grafana/variable-query.js';
import type { Mixin } from '../types.js';

export type ItemKind = 'alert' | 'record' | 'panel' | 'variable';

/** One expression of the mixin that must see series to be useful. */
export interface CheckedItem {
  readonly kind: ItemKind;
  /** Alert or record name; `<dashboard file> / <panel title> [refId]` for a panel target. */
  readonly name: string;
  /** PromQL: dashboard queries have their Grafana variables expanded (kept as `$name` inside strings). */
  readonly expr: string;
  /** For a `label_values(<selector>, <label>)` variable: the label whose values it lists. */
  readonly label?: string;
}

function dashboardItems(file: string, dashboard: GrafanaDashboard): CheckedItem[] {
  const out: CheckedItem[] = [];
  const promql = (expr: string) => expandPlaceholders(expr, dashboard.variables).expr;
  for (const variable of dashboard.variables) {
    if (variable.type !== 'query' || variable.query === undefined) continue;
    const name = `${file} / $${variable.name}`;
    const parsed = variableQuery(variable.query);
    // label_values(label) without a selector lists every series' label: nothing MetalLB-specific to check.
    if (parsed.kind === 'none') continue;
    // Not a variable function: Grafana runs it as a plain query.
    if (parsed.kind === 'invalid') out.push({ kind: 'variable', name, expr: promql(variable.query) });
    else out.push({ kind: 'variable', name, expr: promql(parsed.expr), ...(parsed.label === undefined ? {} : { label: parsed.label }) });
  }
  for (const { panel, target, expr } of queryTargets(dashboard)) {
    const ref = target.refId === undefined ? '' : ` [${target.refId}]`;
    out.push({ kind: 'panel', name: `${file} / ${panelName(panel)}${ref}`, expr: promql(expr) });
  }
  return out;
}

/** Every alert, recording rule, dashboard panel target and query variable, in output order. */
export function checkedItems(mixin: Mixin): CheckedItem[] {
  const out: CheckedItem[] = [];
  for (const g of mixin.prometheusAlerts.groups) for (const r of g.rules) out.push({ kind: 'alert', name: r.alert, expr: r.expr });
  for (const g of mixin.prometheusRules.groups) for (const r of g.rules) out.push({ kind: 'record', name: r.record, expr: r.expr });
  for (const file of Object.keys(mixin.grafanaDashboards).sort()) {
    out.push(...dashboardItems(file, readDashboard(mixin.grafanaDashboards[file] ?? {})));
  }
  return out;
}
