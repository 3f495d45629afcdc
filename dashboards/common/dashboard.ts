import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { layOut, type Section } from './layout.js';
import { clusterVariable, datasourceVariable, type VariableBuilder } from './variables.js';

export interface DashboardLayout {
  /** Without the title prefix, which the dashboards pass adds. */
  readonly title: string;
  readonly description: string;
  /** Filters after `datasource` and `cluster`, which every dashboard has. */
  readonly filters: readonly VariableBuilder[];
  readonly sections: readonly Section[];
}

/**
 * A dashboard from fresh builders: what all dashboards share (uid, tags, links, refresh, ids)
 * is applied afterwards by the dashboards pass, from the config.
 */
export function buildDashboard(cfg: MixinConfig, spec: DashboardLayout): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .description(spec.description)
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable(cfg))
    .withVariable(clusterVariable(cfg));
  for (const filter of spec.filters) builder.withVariable(filter);
  layOut(builder, spec.sections);
  return builder.build();
}
