const unitsMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** A Prometheus duration (`1h30m`) in milliseconds; 0 for an empty or missing one (a rule without `for`). */
export function durationToMs(duration: string | undefined): number {
  let total = 0;
  for (const m of (duration ?? '').matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * (unitsMs[m[2] ?? ''] ?? 0);
  return total;
}
