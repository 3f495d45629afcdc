import type { Measured, Measurement, VariableLoad } from './measure.js';
import type { Source } from './queries.js';
import type { SizeRun } from './run.js';
import { percentile, sum } from './stats.js';

/** Totals, per-panel sums and the verdicts of the targets, computed from the measurements. */

/** Totals of one rule file or dashboard. */
export interface GroupSummary {
  readonly source: Source;
  readonly file: string;
  readonly queries: number;
  readonly execMs: number;
  readonly p99Ms: number;
  readonly clientMs: number;
  readonly samples: number;
  readonly series: number;
  readonly errors: number;
  /** The slowest query: its name and time. */
  readonly slowest: { readonly name: string; readonly execMs: number } | undefined;
}

export interface PanelSummary {
  readonly file: string;
  readonly panel: string;
  readonly execMs: number;
  readonly clientMs: number;
  readonly series: number;
  readonly samples: number;
}

export function summarize(queries: readonly Measured[], source: Source, file: string): GroupSummary {
  const mine = queries.filter((q) => q.source === source && q.file === file);
  const exec = mine.map((q) => q.execMs).filter((v) => !Number.isNaN(v));
  return {
    source,
    file,
    queries: mine.length,
    execMs: sum(exec),
    p99Ms: percentile(exec, 99),
    clientMs: sum(mine.map((q) => q.clientMs)),
    samples: sum(mine.map((q) => q.samples)),
    series: sum(mine.map((q) => q.series)),
    errors: mine.filter((q) => q.error).length,
    slowest: mine.reduce<GroupSummary['slowest']>((s, q) => (!s || q.execMs > s.execMs ? { name: q.name + (q.refId ? ` [${q.refId}]` : ''), execMs: q.execMs } : s), undefined),
  };
}

/** Per panel: all its targets (a panel's queries load together). */
export function panels(queries: readonly Measured[], source: Source, file: string): PanelSummary[] {
  const byPanel = new Map<string, Measured[]>();
  for (const q of queries.filter((x) => x.source === source && x.file === file)) {
    byPanel.set(q.name, [...(byPanel.get(q.name) ?? []), q]);
  }
  return [...byPanel].map(([panel, qs]) => ({
    file,
    panel,
    execMs: sum(qs.map((q) => q.execMs)),
    clientMs: sum(qs.map((q) => q.clientMs)),
    series: sum(qs.map((q) => q.series)),
    samples: sum(qs.map((q) => q.samples)),
  }));
}

export const dashboardFiles = (m: Measurement, source: Source) => [...new Set(m.queries.filter((q) => q.source === source && q.file.endsWith('.json')).map((q) => q.file))];

export function variableMs(loads: readonly VariableLoad[], source: Source, file: string): number {
  return sum(loads.filter((v) => v.source === source && v.file === file).map((v) => v.clientMs));
}

/** The verdicts the issue asks for, at the target size. */
interface Verdicts {
  readonly alerts: { ours: number; seed: number; pass: boolean } | undefined;
  readonly dashboards: { file: string; ours: number; seed: number; ratio: number; pass: boolean }[];
  readonly panelsOverLimit: PanelSummary[];
}

export function verdicts(run: SizeRun, limit: number): Verdicts {
  const q = run.measurement.queries;
  const ours = summarize(q, 'ours', 'alerts');
  const seed = summarize(q, 'seed', 'alerts');
  const seedDash = dashboardFiles(run.measurement, 'seed')[0];
  const seedMs = seedDash ? summarize(q, 'seed', seedDash).execMs : NaN;
  const files = dashboardFiles(run.measurement, 'ours');
  return {
    alerts: seed.queries > 0 ? { ours: ours.execMs, seed: seed.execMs, pass: ours.execMs <= seed.execMs } : undefined,
    dashboards: files.map((file) => {
      const ms = summarize(q, 'ours', file).execMs;
      return { file, ours: ms, seed: seedMs, ratio: ms / seedMs, pass: ms <= seedMs / 2 };
    }),
    panelsOverLimit: files.flatMap((f) => panels(q, 'ours', f)).filter((p) => p.series > limit),
  };
}


/** One rule's share of Prometheus's rule evaluation: its time per evaluation times its evaluations per minute. */
export interface RuleCost {
  readonly file: string;
  readonly name: string;
  readonly execMs: number;
  readonly perMinute: number;
  readonly msPerMinute: number;
}

/** Rule CPU per minute: every alert and recording rule of a source, costliest first. */
export function ruleCosts(queries: readonly Measured[], source: Source): { totalMsPerMinute: number; rules: RuleCost[] } {
  const rules = queries
    .filter((q) => q.source === source && (q.file === 'alerts' || q.file === 'rules') && !Number.isNaN(q.execMs))
    .map((q) => ({ file: q.file, name: q.name, execMs: q.execMs, perMinute: q.perMinute ?? 2, msPerMinute: q.execMs * (q.perMinute ?? 2) }))
    .sort((a, b) => b.msPerMinute - a.msPerMinute);
  return { totalMsPerMinute: sum(rules.map((r) => r.msPerMinute)), rules };
}

/** The rule-cost targets at the target size (issue 16). */
export const ruleTargets = { msPerMinute: 1000, ruleMs: 60, recordedSeries: 6832 } as const;
