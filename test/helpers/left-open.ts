/**
 * Prometheus 3 makes range selectors left-open: at time T, `x[5m]` holds the samples in
 * (T-5m, T], where Prometheus 2 also took the one exactly at T-5m. promtool places samples and
 * evaluations on exact multiples of the interval, so every test sees samples on range boundaries.
 * Shortening each literal range by one millisecond makes Prometheus 2 leave out exactly that
 * sample, as Prometheus 3 does: a test that passes both ways depends on no boundary sample.
 */
const unitMs: Readonly<Record<string, number>> = {
  y: 31_536_000_000,
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

const duration = '(?:\\d+(?:ms|y|w|d|h|m|s))+';
const rangeSelector = new RegExp(`\\[(${duration})(:(?:${duration})?)?\\]`, 'g');

function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(n) * (unitMs[unit ?? ''] ?? NaN);
  return total;
}

/** `expr` with every literal range (of a selector or a subquery) one millisecond shorter; the count of ranges changed. */
export function leftOpen(expr: string): { expr: string; ranges: number } {
  let ranges = 0;
  const out = expr.replace(rangeSelector, (_all, range: string, subquery: string | undefined) => {
    ranges++;
    return `[${durationMs(range) - 1}ms${subquery ?? ''}]`;
  });
  return { expr: out, ranges };
}
