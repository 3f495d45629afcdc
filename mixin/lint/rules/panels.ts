import { isRecord, readDashboard, type GrafanaDashboard } from '../../grafana/model.js';
import { variableQuery } from '../../grafana/variable-query.js';
import type { Mixin } from '../../types.js';
import type { MixinRule } from '../context.js';
import type { LintFinding } from '../findings.js';
import { dashboardTitle, locatedPanels, variableWhere } from '../grafana/dashboard.js';

/** Panel types that show query results (dashboard-linter's panel rules apply to these). */
const queryPanels = new Set([
  'timeseries',
  'stat',
  'table',
  'gauge',
  'bargauge',
  'barchart',
  'piechart',
  'heatmap',
  'histogram',
  'state-timeline',
  'status-history',
  'graph',
  'singlestat',
]);

/** kube-prometheus provisions its data source without a uid, so everything goes through the variable. */
function usesDatasourceVariable(ds: unknown): boolean {
  const uid = typeof ds === 'string' ? ds : isRecord(ds) ? ds['uid'] : undefined;
  return uid === '${datasource}' || uid === '$datasource';
}

function panelFindings(file: string, dashboard: GrafanaDashboard, name: string): LintFinding[] {
  const out: LintFinding[] = [];
  for (const { panel, where } of locatedPanels(dashboard, name)) {
    if (!queryPanels.has(String(panel.type))) continue;
    const add = (rule: string, message: string) => out.push({ file, where, rule, message });
    if (panel.targets.length === 0) add('panel-no-targets', `${String(panel.type)} panel without a query`);
    if (!usesDatasourceVariable(panel.datasource)) add('panel-datasource', 'the panel data source must be ${datasource}');
    for (const target of panel.targets) {
      if (target.datasource !== undefined && !usesDatasourceVariable(target.datasource)) {
        add('panel-datasource', `query ${target.refId ?? '?'}: the data source must be \${datasource}`);
      }
    }
    if (!panel.title) add('panel-title-description', 'the panel needs a title');
    if (!panel.description) add('panel-title-description', 'the panel needs a description (the tooltip that says what it shows)');
  }
  return out;
}

function variableFindings(file: string, dashboard: GrafanaDashboard, name: string): LintFinding[] {
  const out: LintFinding[] = [];
  const title = dashboardTitle(dashboard, name);
  for (const variable of dashboard.variables) {
    if (variable.type !== 'query') continue;
    const add = (rule: string, message: string) => out.push({ file, where: variableWhere(title, variable), rule, message });
    if (!usesDatasourceVariable(variable.datasource)) add('template-datasource', "the variable's data source must be ${datasource}");
    if (variable.refresh !== 2)
      add('template-refresh', 'query variables reload on time range change (refresh: 2), or they list stale values');
    const text = variable.query;
    const parsed = text === undefined ? undefined : variableQuery(text);
    if (parsed?.kind === 'invalid') add('template-query', `query "${text ?? ''}": ${parsed.message}`);
    else if (parsed === undefined) add('template-query', 'the variable has no query');
  }
  return out;
}

/** dashboard-linter's panel and template rules that concern queries and data sources. */
export const panelsRule: MixinRule = {
  ids: ['panel-no-targets', 'panel-datasource', 'panel-title-description', 'template-datasource', 'template-refresh', 'template-query'],
  check(mixin: Mixin) {
    return Object.entries(mixin.grafanaDashboards).flatMap(([name, json]) => {
      const dashboard = readDashboard(json);
      return [...panelFindings(`dashboards/${name}`, dashboard, name), ...variableFindings(`dashboards/${name}`, dashboard, name)];
    });
  },
};
