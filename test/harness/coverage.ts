/**
 * Does a query return data, and if not, is that explained by the installation? An empty result is
 * explained only when one of its selectors reads a BGP back-end or a component the installation
 * does not run (pending prefixes exist only in native mode; the FRR sidecar only in FRR mode), or
 * reads a recording rule all of whose inputs are such selectors (BFD sums in a native cluster).
 * Any other empty result is a blind query: a selector that matches nothing although the data is
 * there, or a join whose sides never meet.
 */
import { bgpSources, catalogue, componentsForModes, type BgpMode, type Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { componentOf } from '../../mixin/promql/components.js';
import { selectorsOf, type VectorSelectorInfo } from '../../mixin/promql/inspect.js';
import type { PrometheusServer } from './prometheus.js';

/** What the scraped installation runs: the BGP back-ends and components present. */
export interface InstallFacts {
  readonly modes: readonly BgpMode[];
  readonly components: readonly Component[];
}

/** Components an install with these BGP modes runs. */
export function componentsFor(modes: readonly BgpMode[], kubeStateMetrics = true): Component[] {
  return [...componentsForModes(modes), ...(kubeStateMetrics ? (['kubeStateMetrics'] as const) : [])];
}

export type QueryOutcome =
  | { readonly status: 'data'; readonly series: number }
  | { readonly status: 'not-applicable'; readonly reason: string }
  /** `blind`: selectors that match nothing although this install should serve them. */
  | { readonly status: 'empty'; readonly reason: string; readonly blind: readonly string[] };

/** Recording rule name → its expression, to explain recorded series by their inputs. */
export type RecordedExprs = ReadonlyMap<string, string>;

/** Why a selector may legitimately match nothing in this installation, or undefined if it may not. */
export function absenceExplanation(
  sel: VectorSelectorInfo,
  cfg: MixinConfig,
  facts: InstallFacts,
  records: RecordedExprs = new Map(),
): string | undefined {
  const recorded = sel.metric === undefined ? undefined : records.get(sel.metric);
  if (recorded !== undefined) {
    const inputs = selectorsOf(recorded).map((input) => absenceExplanation(input, cfg, facts, records));
    const reasons = inputs.filter((r): r is string => r !== undefined);
    return inputs.length > 0 && reasons.length === inputs.length
      ? `${sel.metric} is recorded only from inputs this install lacks (${reasons[0]})`
      : undefined;
  }
  const component = componentOf(sel.matchers, cfg)?.component;
  if (component && !facts.components.includes(component))
    return `${sel.metric ?? 'selector'} reads ${component}, which this install does not run`;
  const entry = sel.metric ? catalogue.get(sel.metric) : undefined;
  if (!entry) return undefined;
  if (entry.bgp) {
    const prefix = sel.metric?.startsWith('frrk8s_') ? 'frrk8s' : 'metallb';
    const mode = Object.values(bgpSources).find((s) => s.prefix === prefix && s.component === component)?.mode;
    if (mode === undefined) return undefined;
    if (!facts.modes.includes(mode)) return `${sel.metric} is the ${mode} back-end, which this install does not run`;
    if (!entry.bgp.family.modes.includes(mode)) return `${sel.metric} does not exist in ${mode} mode`;
    return undefined;
  }
  if (entry.components.length > 0 && !entry.components.some((c) => facts.components.includes(c))) {
    return `${sel.metric} comes from ${entry.components.join('/')}, which this install does not run`;
  }
  return undefined;
}

/** Range (or instant) evaluation of `expr`, counting series with at least one number. */
async function seriesWithData(prom: PrometheusServer, expr: string, instant: boolean, end: number, window: number): Promise<number> {
  if (instant) {
    const r = await prom.query(expr, end);
    if (r.resultType === 'vector') return r.result.filter((s) => Number.isFinite(Number(s.value[1]))).length;
    if (r.resultType === 'scalar') return Number.isFinite(Number(r.result[1])) ? 1 : 0;
    return 0;
  }
  const series = await prom.queryRange(expr, end - window, end, Math.max(1, Math.round(window / 30)));
  return series.filter((s) => s.values.some(([, v]) => Number.isFinite(Number(v)))).length;
}

/**
 * Evaluate a (variable-free) query and classify an empty result. `window` is the range a dashboard
 * would show, in seconds, ending at `end`.
 */
export async function checkQuery(
  prom: PrometheusServer,
  expr: string,
  opts: { cfg: MixinConfig; facts: InstallFacts; records?: RecordedExprs; instant: boolean; end: number; window: number },
): Promise<QueryOutcome> {
  const series = await seriesWithData(prom, expr, opts.instant, opts.end, opts.window);
  if (series > 0) return { status: 'data', series };
  const blind: string[] = [];
  const explained: string[] = [];
  let present = 0;
  for (const sel of selectorsOf(expr)) {
    const text = expr.slice(sel.from, sel.to);
    if ((await prom.queryVector(`count(last_over_time(${text}[${opts.window}s]))`, opts.end)).length > 0) {
      present++;
      continue;
    }
    const why = absenceExplanation(sel, opts.cfg, opts.facts, opts.records);
    if (why) explained.push(why);
    else blind.push(text);
  }
  if (blind.length > 0) return { status: 'empty', reason: `selectors match nothing: ${blind.join(' ; ')}`, blind };
  // Only inputs of back-ends this install does not run: the query is for other installs.
  if (present === 0 && explained.length > 0) return { status: 'not-applicable', reason: explained.join('; ') };
  return { status: 'empty', reason: 'every selector this install can serve has data, but the expression returns none', blind };
}
