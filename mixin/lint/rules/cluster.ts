import type { SyntaxNode } from '@lezer/common';
import { aggregationInfo, binaryInfo, selectorInfo } from '../../promql/inspect.js';
import type { ExprRule } from '../context.js';
import type { LintFinding } from '../findings.js';
import { findingAt, isDashboardTarget, type LintTarget } from '../targets.js';

/** Aggregations that pick series and keep all their labels; without `by` they drop nothing. */
const selecting = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

/** Whether every selector under `node` is pinned to the dashboard's one cluster. */
function clusterScoped(t: LintTarget, node: SyntaxNode, label: string): boolean {
  let scoped = true;
  let any = false;
  const cursor = node.cursor();
  do {
    if (cursor.from >= node.to) break;
    if (cursor.name !== 'VectorSelector') continue;
    any = true;
    const sel = selectorInfo(t.parsed.expr, cursor.node);
    if (!sel.matchers.some((m) => m.label === label && m.op === '=' && m.value === '$cluster')) scoped = false;
  } while (cursor.next());
  return any && scoped;
}

/**
 * Keep the cluster label through every aggregation and join, so one Prometheus can watch many
 * clusters. Where every selector inside is pinned to `="$cluster"` the result is one cluster's by
 * construction, so a dashboard may aggregate everything away (a single-stat total), and a variable
 * query, whose grouping only de-duplicates the values it lists, may group by other labels.
 */
export const clusterRule: ExprRule = {
  ids: ['aggregation-cluster', 'join-cluster'],
  check(t, ctx) {
    const label = ctx.cfg.clusterLabel;
    const { expr, tree } = t.parsed;
    const out: LintFinding[] = [];
    tree.iterate({
      enter(ref) {
        if (ref.name === 'AggregateExpr') {
          const info = aggregationInfo(expr, ref.node);
          const g = info.grouping;
          if (!g) {
            if (selecting.has(info.op)) return;
            if (isDashboardTarget(t) && clusterScoped(t, ref.node, label)) return;
            out.push(
              findingAt(
                t,
                'aggregation-cluster',
                `${info.op}(...) without by (${label}, ...) merges all clusters`,
                ref.from,
                ref.node.getChild('AggregateOp')?.to ?? ref.to,
              ),
            );
          } else if (g.kind === 'by' && !g.labels.includes(label)) {
            if (t.kind === 'variable' && clusterScoped(t, ref.node, label)) return;
            out.push(findingAt(t, 'aggregation-cluster', `${info.op} by (...) drops the ${label} label: add it to by()`, g.from, g.to));
          } else if (g.kind === 'without' && g.labels.includes(label)) {
            out.push(findingAt(t, 'aggregation-cluster', `${info.op} without (...) removes the ${label} label`, g.from, g.to));
          }
        }
        if (ref.name === 'BinaryExpr') {
          const m = binaryInfo(expr, ref.node)?.matching;
          if (m?.kind === 'on' && !m.labels.includes(label)) {
            out.push(findingAt(t, 'join-cluster', `on(...) without ${label} matches series of different clusters`, m.from, m.to));
          } else if (m?.kind === 'ignoring' && m.labels.includes(label)) {
            out.push(findingAt(t, 'join-cluster', `ignoring(${label}) matches series of different clusters`, m.from, m.to));
          }
        }
      },
    });
    return out;
  },
};
