import type { SyntaxNode } from '@lezer/common';
import { childExprs, functionName } from '../../promql/inspect.js';
import type { ExprRule } from '../context.js';
import type { LintFinding } from '../findings.js';
import { findingAt, type LintTarget } from '../targets.js';

/** Functions over a range vector, with the position of that argument. */
const rangeArgument: Readonly<Record<string, number>> = Object.fromEntries([
  ...[
    'rate',
    'irate',
    'increase',
    'delta',
    'idelta',
    'deriv',
    'changes',
    'resets',
    'predict_linear',
    'holt_winters',
    'double_exponential_smoothing',
  ].map((f) => [f, 0] as const),
  ...['avg', 'min', 'max', 'sum', 'count', 'stddev', 'stdvar', 'last', 'first', 'present', 'absent', 'mad'].map(
    (f) => [`${f}_over_time`, 0] as const,
  ),
  ['quantile_over_time', 1] as const,
]);

/** Parentheses, and an `@` modifier, keep the type of what they wrap (`x[1h:] @ end()` is a range). */
function unwrapParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === 'ParenExpr' || n.name === 'StepInvariantExpr') n = childExprs(n)[0] ?? n;
  return n;
}

/**
 * The grammar accepts some expressions Prometheus's type checker rejects; the two that matter
 * are checked here so they fail in-process with a position even where promtool is missing.
 */
function rangeProblems(t: LintTarget): LintFinding[] {
  const { expr, tree } = t.parsed;
  const out: LintFinding[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'MatrixSelector') {
        const inner = childExprs(ref.node)[0];
        if (inner && inner.name !== 'VectorSelector') {
          out.push(
            findingAt(
              t,
              'promql-type',
              'a range [..] applies only to a plain selector; use a subquery [range:step] for an expression',
              inner.from,
              ref.to,
            ),
          );
        }
      }
      if (ref.name === 'FunctionCall') {
        const fn = functionName(expr, ref.node);
        const index = rangeArgument[fn];
        if (index === undefined) return;
        const arg = childExprs(ref.node)[index];
        const kind = arg ? unwrapParens(arg).name : undefined;
        if (arg && kind !== 'MatrixSelector' && kind !== 'SubqueryExpr') {
          out.push(findingAt(t, 'promql-type', `${fn}() needs a range vector such as x[5m]`, arg.from, arg.to));
        }
      }
    },
  });
  return out;
}

export const syntaxRule: ExprRule = {
  ids: ['promql-syntax', 'promql-type'],
  check(t) {
    if (t.parsed.problems.length > 0) {
      return t.parsed.problems.map((p) => findingAt(t, 'promql-syntax', p.message, p.from, p.to));
    }
    return rangeProblems(t);
  },
};
