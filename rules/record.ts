import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/**
 * One recorded series, declared once: its name, what it is, how it is computed, and who reads it.
 * - `aggregate`: one series per cluster, pool, peer, node or job instead of one per pod, session
 *   or address; read as is.
 * - `problems`: one series per thing in trouble plus a 0 per cluster (mixin/promql/problems.ts);
 *   read with `problemsAbove`/`problemsAtLeast`.
 */
export interface RecordSpec {
  readonly name: string;
  readonly kind: 'aggregate' | 'problems';
  /**
   * The alerts (by name) and dashboard panels (`<dashboard file without .json>/<panel title>`) that
   * read it with the default config; test/records.test.ts holds this list to the output.
   * Records that read it are not listed: their expressions say so.
   */
  readonly readBy: readonly string[];
  /**
   * Its expression, or undefined where no enabled BGP mode has what it reads. Several expressions
   * are one rule each, recording disjoint parts of the series (split by a label's values), so that
   * no rule reads more than a share of a large family.
   */
  readonly expr: (q: Query) => string | readonly string[] | undefined;
}

/** A recording-rule group: its records in evaluation order (a rule may read those before it). */
export interface RecordGroup {
  readonly name: string;
  /**
   * How often it runs, where not at Prometheus's `evaluation_interval`:
   * - `medium`, every `mediumRulesInterval`: records of alerts that wait a minute or more;
   * - `slow`, every `slowRulesInterval`: records only dashboards read, and those that read the
   *   largest families for alerts with a `for` of 10m.
   */
  readonly pace?: 'medium' | 'slow';
  readonly records: (cfg: MixinConfig) => readonly RecordSpec[];
}

/** The group as Prometheus reads it, without the records no enabled mode can compute. */
export function ruleGroup(group: RecordGroup, cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const rules: RecordingRule[] = [];
  for (const spec of group.records(cfg)) {
    const expr = spec.expr(q);
    for (const part of typeof expr === 'string' ? [expr] : (expr ?? [])) rules.push({ record: spec.name, expr: part });
  }
  const interval = { medium: cfg.mediumRulesInterval, slow: cfg.slowRulesInterval, evaluation: undefined }[group.pace ?? 'evaluation'];
  return { name: group.name, ...(interval ? { interval } : {}), rules };
}

/** Declares a record (typed on its own, so a group's records may name each other). */
export const defineRecord = (spec: RecordSpec): RecordSpec => spec;
