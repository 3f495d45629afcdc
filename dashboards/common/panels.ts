import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as BarGaugeBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Nothing propagates in the SDK: panels, targets and query variables each name the data source. */
export const datasourceRef: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Any of the SDK's panel builders: all of them can be placed on the grid. */
export interface PanelBuilder extends cog.Builder<dashboard.Panel> {
  gridPos(gridPos: dashboard.GridPos): unknown;
}

export interface Target {
  readonly expr: string;
  /** Names the series, e.g. `{{instance}} → {{peer}}`. */
  readonly legend: string;
  /** Only the latest value is shown (stats, tables, bar gauges): one evaluation instead of a range. */
  readonly instant?: boolean;
  /** Table-format frames, for table panels that merge several queries by their labels. */
  readonly table?: boolean;
}

/** What every panel states: the dashboard-linter rules want a title, a description and a unit. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Text shown instead of "No data", e.g. `0` for counts of broken things that are absent when healthy. */
  readonly noValue?: string;
}

/** Threshold steps, lowest first; the first step's value is `null` (everything below the next). */
export type Steps = readonly (readonly [number | null, string])[];

export const healthySteps: Steps = [[null, 'green']];
/** Any non-zero count is bad: down sessions, stale configs, firing alerts. */
export const zeroIsGoodSteps: Steps = [
  [null, 'green'],
  [1, 'red'],
];
/** Only 1 is good: a share of targets up, or the up/down state of a session. */
export const allUpSteps: Steps = [
  [null, 'red'],
  [1, 'green'],
];

function thresholds(steps: Steps): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

function query(target: Target, index: number): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder()
    .datasource(datasourceRef)
    .expr(target.expr)
    .legendFormat(target.legend)
    .refId(String.fromCharCode(65 + index));
  if (target.instant) q.instant();
  if (target.table) q.format(prometheus.PromQueryFormat.Table);
  return q;
}

/** The calls every panel type shares (the SDK's builders share them by name, not by type). */
interface CommonPanelBuilder<B> extends PanelBuilder {
  title(title: string): B;
  description(description: string): B;
  datasource(ref: common.DataSourceRef): B;
  unit(unit: string): B;
  withTarget(target: cog.Builder<cog.Dataquery>): B;
  thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): B;
  noValue(text: string): B;
}

function base<B extends CommonPanelBuilder<B>>(builder: B, spec: PanelSpec, steps: Steps): B {
  builder.title(spec.title).description(spec.description).datasource(datasourceRef).unit(spec.unit).thresholds(thresholds(steps));
  spec.targets.forEach((t, i) => builder.withTarget(query(t, i)));
  if (spec.noValue !== undefined) builder.noValue(spec.noValue);
  return builder;
}

export interface TimeseriesSpec extends PanelSpec {
  readonly steps?: Steps;
  /** Draw the thresholds as dashed lines (only meaningful when `steps` are given). */
  readonly showThresholds?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Bars instead of lines: for counts of events per interval. */
  readonly bars?: boolean;
}

export function timeseries(spec: TimeseriesSpec): TimeseriesBuilder {
  const b = base(new TimeseriesBuilder(), spec, spec.steps ?? healthySteps)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .drawStyle(spec.bars ? common.GraphDrawStyle.Bars : common.GraphDrawStyle.Line)
    .fillOpacity(spec.bars ? 80 : 10)
    .lineWidth(1)
    .showPoints(common.VisibilityMode.Never);
  if (spec.min !== undefined) b.min(spec.min);
  if (spec.max !== undefined) b.max(spec.max);
  if (spec.showThresholds) {
    b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return b;
}

export interface StatSpec extends PanelSpec {
  readonly steps: Steps;
}

export function stat(spec: StatSpec): StatBuilder {
  const b = base(new StatBuilder(), spec, spec.steps)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    // Auto names the values only when there are several (Up / Configured, one per protocol).
    .textMode(common.BigValueTextMode.Auto)
    .justifyMode(common.BigValueJustifyMode.Center)
    .orientation(common.VizOrientation.Auto);
  return b;
}

export interface BarGaugeSpec extends PanelSpec {
  readonly steps: Steps;
  readonly min: number;
  readonly max: number;
}

export function barGauge(spec: BarGaugeSpec): BarGaugeBuilder {
  return base(new BarGaugeBuilder(), spec, spec.steps)
    .min(spec.min)
    .max(spec.max)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true);
}

/** 1 = up, 0 = down: the state of BGP and BFD sessions. */
const upDownMappings: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '0': { text: 'Down', color: 'red', index: 0 },
      '1': { text: 'Up', color: 'green', index: 1 },
    },
  },
];

export function upDownTimeline(spec: PanelSpec): StateTimelineBuilder {
  return base(new StateTimelineBuilder(), spec, allUpSteps)
    .mappings(upDownMappings)
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.9)
    .fillOpacity(80)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(false)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
}

export interface TableSpec extends PanelSpec {
  readonly steps?: Steps;
  /** Label columns to show, in order, with their header; every other label and the time are hidden. */
  readonly columns: readonly (readonly [field: string, header: string])[];
  /** Header of the sort column (descending). */
  readonly sortBy?: string;
  /** Per-column settings by header, e.g. a unit or coloured cells for one value column. */
  readonly overrides?: readonly (readonly [header: string, properties: dashboard.DynamicConfigValue[]])[];
}

/** Colours a table column's cells by the panel's thresholds. */
export const colouredCells: dashboard.DynamicConfigValue = { id: 'custom.cellOptions', value: { type: 'color-background' } };

/**
 * A table of instant queries in table format, merged on their labels: query `A`'s value becomes
 * `Value #A` and so on; `columns` names which of those (and which labels) are shown.
 */
export function table(spec: TableSpec): TableBuilder {
  const indexByName = Object.fromEntries(spec.columns.map(([field], i) => [field, i]));
  const renameByName = Object.fromEntries(spec.columns.map(([field, header]) => [field, header]));
  const b = base(new TableBuilder(), spec, spec.steps ?? healthySteps)
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: { excludeByName: {}, indexByName, renameByName, includeByName: Object.fromEntries(spec.columns.map(([f]) => [f, true])) },
    })
    .cellHeight(common.TableCellHeight.Sm)
    .filterable(true);
  for (const [header, properties] of spec.overrides ?? []) b.overrideByName(header, properties);
  if (spec.sortBy) b.sortBy([new common.TableSortByFieldStateBuilder().displayName(spec.sortBy).desc(true)]);
  return b;
}
