import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../config/schema.js';
import type { DashboardJson } from '../types.js';

/** `metallb-address-pools.json` → `address-pools`: the part of the uid after the prefix. */
function dashboardName(file: string): string {
  return file.replace(/\.json$/, '').replace(/^metallb-/, '');
}

/** The uid a dashboard file gets: its override, else the prefix and its name. */
export function dashboardUid(cfg: MixinConfig, file: string): string {
  return cfg.dashboards.uids[file] ?? `${cfg.dashboards.uidPrefix}${dashboardName(file)}`;
}

/** The dropdown that ties the set together, keeping the time range and the variables. */
function dashboardsLink(cfg: MixinConfig): dashboard.DashboardLink {
  return new dashboard.DashboardLinkBuilder('MetalLB dashboards')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags(cfg.dashboards.tags)
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .build();
}

type PanelLike = { id?: number | null; links?: { placement?: unknown }[]; panels?: PanelLike[] };

/**
 * One pass over every dashboard for what they all share, from the config: uid, title prefix,
 * tags, time settings, the link dropdown, `editable: false`; and the SDK's rough edges: rows all
 * get id 0 and panels none (ids are numbered here, nested panels included), links carry a
 * `placement` that hides them in the controls menu, and `build()` returns the builder's own object
 * (copied before anything is changed).
 */
export function applyDashboardSettings(
  set: Readonly<Record<string, dashboard.Dashboard>>,
  cfg: MixinConfig,
): Record<string, DashboardJson> {
  const unknown = Object.keys(cfg.dashboards.uids).filter((file) => !(file in set));
  if (unknown.length > 0) {
    throw new Error(`dashboards.uids: no dashboard named ${unknown.join(', ')} (files: ${Object.keys(set).join(', ')})`);
  }
  const out: Record<string, DashboardJson> = {};
  for (const [file, built] of Object.entries(set)) {
    // A JSON round trip rather than structuredClone: the SDK's query objects carry a marker
    // function (`_implementsDataqueryVariant`) that structuredClone rejects and JSON drops anyway.
    const d = JSON.parse(JSON.stringify(built)) as dashboard.Dashboard;
    d.id = null;
    d.uid = dashboardUid(cfg, file);
    d.title = `${cfg.dashboards.titlePrefix}${built.title}`;
    d.tags = [...cfg.dashboards.tags];
    d.editable = false;
    d.refresh = cfg.dashboards.refresh;
    d.timezone = cfg.dashboards.timezone;
    d.time = { from: cfg.dashboards.from, to: 'now' };
    d.links = [dashboardsLink(cfg)];

    let nextId = 1;
    const number = (panels: PanelLike[] | undefined) => {
      for (const p of panels ?? []) {
        p.id = nextId++;
        for (const link of p.links ?? []) delete link.placement;
        number(p.panels);
      }
    };
    number(d.panels as PanelLike[] | undefined);
    for (const link of d.links) delete link.placement;
    out[file] = { ...d };
  }
  return out;
}
