import type { SyntaxNode } from '@lezer/common';
import { lookupMetric } from '../../catalogue.js';
import { aggregationInfo, consumerOf, functionName, vectorSelectors } from '../../promql/inspect.js';
import type { ExprRule } from '../context.js';
import type { LintFinding } from '../findings.js';
import { findingAt } from '../targets.js';

/** Where a counter's value means something: the per-second or windowed change. */
const counterFunctions = new Set(['rate', 'irate', 'increase', 'changes', 'resets']);
/** Where only a series' existence matters, so its type does not. */
const existenceFunctions = new Set(['absent', 'absent_over_time', 'present_over_time', 'count_over_time']);
const existenceAggregations = new Set(['count', 'group']);
/** Functions that assume a monotonic counter and invent resets on a gauge. */
const counterOnlyFunctions = new Set(['rate', 'irate', 'increase']);

function consumerName(expr: string, node: SyntaxNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.name === 'FunctionCall') return functionName(expr, node);
  if (node.name === 'AggregateExpr') return aggregationInfo(expr, node).op;
  return undefined;
}

/** Counter or gauge is the catalogue's word, never guessed from a `_total` suffix. */
export const countersRule: ExprRule = {
  ids: ['counter-without-rate', 'gauge-in-rate'],
  check(t) {
    const { expr } = t.parsed;
    const out: LintFinding[] = [];
    for (const sel of vectorSelectors(t.parsed)) {
      const known = sel.metric ? lookupMetric(sel.metric) : undefined;
      if (!known) continue;
      const consumer = consumerOf(sel.node);
      const name = consumerName(expr, consumer);
      if (known.seriesType === 'counter') {
        const fine =
          name !== undefined &&
          (consumer?.name === 'FunctionCall'
            ? counterFunctions.has(name) || existenceFunctions.has(name)
            : existenceAggregations.has(name));
        if (!fine) {
          out.push(
            findingAt(
              t,
              'counter-without-rate',
              `${sel.metric} is a counter: its raw value only grows and resets; wrap it in rate(), irate(), increase(), changes() or resets()`,
              sel.from,
              sel.to,
            ),
          );
        }
      } else if (consumer?.name === 'FunctionCall' && name !== undefined && counterOnlyFunctions.has(name)) {
        out.push(
          findingAt(
            t,
            'gauge-in-rate',
            `${sel.metric} is a gauge: ${name}() treats every decrease as a counter reset; use deriv(), delta() or changes()`,
            consumer.from,
            consumer.to,
          ),
        );
      }
    }
    return out;
  },
};
