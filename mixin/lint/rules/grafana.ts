import { isMultiValue } from '../../grafana/model.js';
import { childExprs, functionName, vectorSelectors } from '../../promql/inspect.js';
import type { ExprRule } from '../context.js';
import type { LintFinding } from '../findings.js';
import { findingAt } from '../targets.js';

const rateInterval = new Set(['$__rate_interval', '${__rate_interval}']);

/**
 * `$__rate_interval` is at least four scrape intervals and follows the zoom level; a fixed window
 * is either too short to hold two samples or hides spikes.
 */
export const rateIntervalRule: ExprRule = {
  ids: ['target-rate-interval'],
  check(t) {
    if (t.kind !== 'panel') return [];
    const { expr, tree } = t.parsed;
    const out: LintFinding[] = [];
    tree.iterate({
      enter(ref) {
        if (ref.name !== 'FunctionCall') return;
        const fn = functionName(expr, ref.node);
        if (fn !== 'rate' && fn !== 'irate') return;
        const range = childExprs(ref.node)[0]?.getChild('DurationExpr');
        if (!range) return;
        const written = t.source.slice(t.toSource(range.from), t.toSource(range.to));
        if (!rateInterval.has(written))
          out.push(
            findingAt(t, 'target-rate-interval', `${fn}() over [${written}]: use [$__rate_interval] in dashboards`, range.from, range.to),
          );
      },
    });
    return out;
  },
};

/**
 * A multi-value or "All" variable expands to a regex alternation (`a|b`, `.*`): with `=` or `!=`
 * it matches nothing once the user picks two values.
 */
export const multiValueRule: ExprRule = {
  ids: ['template-multi-value-matcher'],
  check(t) {
    const multi = (t.variables ?? []).filter(isMultiValue).map((v) => v.name);
    if (multi.length === 0) return [];
    return vectorSelectors(t.parsed).flatMap((sel) =>
      sel.matchers
        .filter((m) => (m.op === '=' || m.op === '!=') && multi.some((name) => new RegExp(`\\$${name}(?![a-zA-Z0-9_])`).test(m.value)))
        .map((m) =>
          findingAt(
            t,
            'template-multi-value-matcher',
            `${m.label}${m.op}"${m.value}" uses a multi-value variable: match it with ${m.op === '=' ? '=~' : '!~'}`,
            sel.from,
            sel.to,
          ),
        ),
    );
  },
};
