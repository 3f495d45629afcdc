/**
 * Every Prometheus query of the generated dashboards, as the end-to-end test checks them (their
 * variables are resolved by `variables.ts`).
 */
import { readDashboard } from '../../mixin/grafana/model.js';
import { panelName, queryTargets } from '../../mixin/grafana/walk.js';
import type { DashboardJson } from '../../mixin/types.js';

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
