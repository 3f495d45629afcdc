import type { ExprRule } from '../context.js';
import { analyseLabels, formatLabels } from '../labels.js';
import { findingAt } from '../targets.js';

/**
 * A binary operation between vectors matches series with identical label sets (less
 * ignoring()). When one side can only carry labels the other never has, as in the seed's
 * `x == 0 and sum(y) > 0`, nothing ever matches and the expression is silently empty.
 */
export const vectorMatchingRule: ExprRule = {
  ids: ['vector-matching'],
  check(t, ctx) {
    const { expr } = t.parsed;
    return analyseLabels(t.parsed, ctx.recorded).mismatches.map((m) =>
      findingAt(
        t,
        'vector-matching',
        `the sides of "${expr.slice(m.opFrom, m.opTo)}" never have the same labels (left: at least ${formatLabels(m.lhs.min)}, at most ${formatLabels(m.lhs.max)}; right: at least ${formatLabels(m.rhs.min)}, at most ${formatLabels(m.rhs.max)}): aggregate both sides by the same labels or match with on(...)`,
        m.opFrom,
        m.opTo,
      ),
    );
  },
};
