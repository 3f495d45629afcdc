import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { Query } from '../../mixin/promql/query.js';
import { datasourceRef } from './panels.js';

export type VariableBuilder = cog.Builder<dashboard.VariableModel>;

/** The `datasource` variable the mixin conventions (and dashboard-linter) expect. */
export function datasourceVariable(cfg: MixinConfig): VariableBuilder {
  const { name, regex } = cfg.dashboards.datasource;
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .regex(regex)
    .current({ selected: true, text: name, value: name });
}

/**
 * `cluster`, from the controller's targets (every cluster has one). It is hidden in single-cluster
 * setups but every query still carries `cluster="$cluster"`: without the label the value is empty
 * and the matcher matches series that lack it, so one dashboard serves both.
 */
export function clusterVariable(cfg: MixinConfig): VariableBuilder {
  // All clusters: this variable is what picks one, so it cannot be filtered by itself.
  const expr = `label_values(${Query.forRules(cfg).metric('up', 'controller')}, ${cfg.clusterLabel})`;
  return new dashboard.QueryVariableBuilder('cluster')
    .label('Cluster')
    .description('The cluster the dashboard shows.')
    .datasource(datasourceRef)
    .query(expr)
    .definition(expr)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .hide(cfg.showMultiCluster ? dashboard.VariableHide.DontHide : dashboard.VariableHide.HideVariable);
}

export interface FilterSpec {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  /** A Grafana Prometheus variable query: `label_values(<selector>, label)` or `query_result(<expr>)`. */
  readonly query: string;
  /** Extracts the value from each result (needed for `query_result`, whose results are whole series). */
  readonly regex?: string;
  /** What "All" expands to; `.+` unless series without the label must match too. */
  readonly allValue?: string;
}

/** A multi-select filter with "All", reloaded when the time range changes. */
export function filterVariable(spec: FilterSpec): VariableBuilder {
  const b = new dashboard.QueryVariableBuilder(spec.name)
    .label(spec.label)
    .description(spec.description)
    .datasource(datasourceRef)
    .query(spec.query)
    .definition(spec.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(spec.allValue ?? '.+')
    .current({ selected: true, text: 'All', value: '$__all' });
  if (spec.regex) b.regex(spec.regex);
  return b;
}

/**
 * `host`: nodes by the address their host-network pods (speaker, FRR sidecar, frr-k8s) are scraped
 * on, the `instance` without its port, as `hostMatcher` reads it back. "All" is `.*`, which also
 * matches the empty value of a label a series lacks: see `chosen`.
 */
export function hostVariable(description: string, query: string): VariableBuilder {
  return filterVariable({ name: 'host', label: 'Node address', description, query, regex: '/^(.+?)(?::[0-9]+)?$/', allValue: '.*' });
}
