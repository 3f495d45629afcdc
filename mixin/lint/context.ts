import type { MixinConfig } from '../config/schema.js';
import { componentMatchers, type ComponentMatchers } from '../promql/components.js';
import type { Mixin } from '../types.js';
import type { LintFinding } from './findings.js';
import { analyseLabels, type LabelSet } from './labels.js';
import type { LintTarget } from './targets.js';

/** What the expression rules know besides the expression: the config and our own recording rules. */
export interface LintContext {
  readonly cfg: MixinConfig;
  readonly componentMatchers: ComponentMatchers;
  /** Every recording rule we define, with the labels its series carry. */
  readonly recorded: ReadonlyMap<string, LabelSet>;
}

/** A lint rule over one parsed expression. */
export interface ExprRule {
  readonly ids: readonly string[];
  check(target: LintTarget, ctx: LintContext): LintFinding[];
}

/** The context for one lint run; `targets` are the mixin's parsed expressions (collectTargets). */
export function lintContext(cfg: MixinConfig, targets: readonly LintTarget[]): LintContext {
  // In file order, so a rule built on an earlier one sees its labels.
  const recorded = new Map<string, LabelSet>();
  for (const t of targets) {
    if (!t.record) continue;
    const { labels } = analyseLabels(t.parsed, recorded);
    const extra = Object.keys(t.record.labels ?? {});
    recorded.set(
      t.record.record,
      labels.kind === 'vector'
        ? { kind: 'vector', min: new Set([...labels.min, ...extra]), max: labels.max && new Set([...labels.max, ...extra]) }
        : labels,
    );
  }
  return { cfg, componentMatchers: componentMatchers(cfg), recorded };
}

/** A lint rule over the mixin as a whole (rule groups, alert metadata, dashboard structure). */
export interface MixinRule {
  readonly ids: readonly string[];
  check(mixin: Mixin, ctx: LintContext): LintFinding[];
}
