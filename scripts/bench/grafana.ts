/**
 * What Grafana sends to Prometheus when a dashboard loads: the targets of every panel, with the
 * step and the `$__…` intervals it would compute. Template variables are resolved by the harness's
 * resolver (`test/harness/variables.ts`), the same one the end-to-end test uses.
 */
import type { GrafanaDashboard, GrafanaPanel, GrafanaTarget } from '../../mixin/grafana/model.js';
import { panelName, queryTargets } from '../../mixin/grafana/walk.js';
import { durationToMs } from '../../mixin/promql/duration.js';
import type { BuiltinVariables } from '../../test/harness/variables.js';

export interface GrafanaSettings {
  /** Dashboard time range, seconds. */
  readonly rangeSeconds: number;
  /** The data source's scrape interval: Grafana's minimum step and the base of `$__rate_interval`. */
  readonly scrapeSeconds: number;
  /** Width in pixels Grafana gives a panel's query (`maxDataPoints`) when the panel sets none. */
  readonly defaultMaxDataPoints: number;
}

interface PanelTarget {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly instant: boolean;
  readonly range: boolean;
  /** The step Grafana picks for this target, seconds. */
  readonly step: number;
}

/** `30s`, `1m`, `2h` → seconds; undefined when unset or not a duration (`$__interval`), so the next minimum applies. */
function durationSeconds(text: string | undefined): number | undefined {
  const ms = durationToMs(text);
  return ms > 0 ? ms / 1000 : undefined;
}

/**
 * Grafana's query interval: the range over the panel's data points, but never below the minimum
 * step (the target's or panel's `interval`, else the data source's scrape interval).
 */
function stepFor(settings: GrafanaSettings, panel: GrafanaPanel, target: GrafanaTarget): number {
  const minStep = durationSeconds(target.interval) ?? durationSeconds(panel.interval) ?? settings.scrapeSeconds;
  const points = panel.maxDataPoints ?? settings.defaultMaxDataPoints;
  return Math.max(minStep, Math.ceil(settings.rangeSeconds / points));
}

/** Every visible Prometheus target of every panel, rows and collapsed rows included. */
export function panelTargets(dashboard: GrafanaDashboard, settings: GrafanaSettings): PanelTarget[] {
  return queryTargets(dashboard)
    .filter(({ target }) => !target.hide)
    .map(({ panel, target, expr }) => ({
      panel: panelName(panel),
      refId: target.refId ?? 'A',
      expr,
      instant: target.instant,
      // Grafana runs a range query unless the target asks for an instant one only.
      range: target.range || !target.instant,
      step: stepFor(settings, panel, target),
    }));
}

/** Grafana's `$__rate_interval`: max(`$__interval` + scrape interval, 4 × scrape interval). */
export const rateIntervalSeconds = (step: number, settings: GrafanaSettings): number => Math.max(step + settings.scrapeSeconds, 4 * settings.scrapeSeconds);

/** Grafana's built-in interval variables for a query of this step. */
export function builtinVariables(step: number, settings: GrafanaSettings): BuiltinVariables {
  return {
    __rate_interval: `${rateIntervalSeconds(step, settings)}s`,
    __interval: `${step}s`,
    __interval_ms: String(step * 1000),
    __range: `${settings.rangeSeconds}s`,
    __range_s: String(settings.rangeSeconds),
    __range_ms: String(settings.rangeSeconds * 1000),
  };
}
