import type { GrafanaDashboard, GrafanaPanel, GrafanaTarget } from './model.js';

/** A panel with the panel it sits in (a row, for a collapsed row's panels). */
export interface PlacedPanel {
  readonly panel: GrafanaPanel;
  readonly parent: GrafanaPanel | undefined;
}

/** Every panel in dashboard order, each followed by the panels nested in it. */
export function panelsOf(dashboard: GrafanaDashboard): PlacedPanel[] {
  const out: PlacedPanel[] = [];
  const walk = (panels: readonly GrafanaPanel[], parent: GrafanaPanel | undefined) => {
    for (const panel of panels) {
      out.push({ panel, parent });
      walk(panel.panels, panel);
    }
  };
  walk(dashboard.panels, undefined);
  return out;
}

/** A target that sends a query: its `expr` is set and not blank. */
export interface QueryTarget {
  readonly panel: GrafanaPanel;
  readonly parent: GrafanaPanel | undefined;
  readonly target: GrafanaTarget;
  readonly expr: string;
}

/** Every target with a query, in dashboard order. */
export function queryTargets(dashboard: GrafanaDashboard): QueryTarget[] {
  return panelsOf(dashboard).flatMap(({ panel, parent }) =>
    panel.targets.flatMap((target) =>
      target.expr !== undefined && target.expr.trim() !== '' ? [{ panel, parent, target, expr: target.expr }] : [],
    ),
  );
}

/** `panel <id>` for an untitled panel, as Grafana's own messages name it. */
export function panelName(panel: GrafanaPanel): string {
  return panel.title || `panel ${String(panel.id ?? '?')}`;
}
