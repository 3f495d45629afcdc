import { functionName } from '../../promql/inspect.js';
import type { ExprRule } from '../context.js';
import { findingAt } from '../targets.js';
import { durationToMs } from '../../promql/duration.js';

/**
 * The scrape interval the mixin assumes. Prometheus's default is 1m and kube-prometheus scrapes
 * at 30s, so 1m is the slow case: one missed scrape must not look like a disappeared target.
 */
const assumedScrapeIntervalMs = 60_000;
/** `absent()` turns true on one failed scrape or a restart; two intervals ride that out (pint's alerts/absent). */
const minimumAbsentFor = 2 * assumedScrapeIntervalMs;

export const absentRule: ExprRule = {
  ids: ['absent-for'],
  check(t) {
    if (!t.alert || durationToMs(t.alert.for) >= minimumAbsentFor) return [];
    const { expr, tree } = t.parsed;
    let call: { from: number; to: number; name: string } | undefined;
    tree.iterate({
      enter(ref) {
        if (call || ref.name !== 'FunctionCall') return;
        const name = functionName(expr, ref.node);
        if (name === 'absent' || name === 'absent_over_time') call = { from: ref.from, to: ref.to, name };
      },
    });
    if (!call) return [];
    return [
      findingAt(
        t,
        'absent-for',
        `${call.name}() alert with for: ${t.alert.for || '0s'}: needs at least ${minimumAbsentFor / 60_000}m (two scrape intervals) to ride out one missed scrape`,
        call.from,
        call.to,
      ),
    ];
  },
};
