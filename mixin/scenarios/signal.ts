/**
 * How one input series behaves over time, as promtool samples it. A fault switches a series from
 * its `before` signal to its `after` signal at the fault's start.
 */
export type Signal =
  | { readonly kind: 'gauge'; readonly value: number }
  /** A counter growing by `perMinute`, plus `jump` at once when this signal starts. */
  | { readonly kind: 'counter'; readonly perMinute: number; readonly jump?: number }
  /** Alternates between `from` and `to` every `every` samples (1 if unset), forever. */
  | { readonly kind: 'toggle'; readonly from: number; readonly to: number; readonly every?: number }
  /** No sample: the series is gone (a stale marker ends it where it existed). */
  | { readonly kind: 'absent' }
  /** `value` for `every` samples, then gone for `every` samples, forever; first present or first gone. */
  | { readonly kind: 'blink'; readonly value: number; readonly every: number; readonly startPresent: boolean };

export const gauge = (value: number): Signal => ({ kind: 'gauge', value });
export const counter = (perMinute: number, jump = 0): Signal => ({ kind: 'counter', perMinute, jump });
export const absent: Signal = { kind: 'absent' };
export const blink = (value: number, every: number, startPresent: boolean): Signal => ({ kind: 'blink', value, every, startPresent });

/** One input series: its metric, its labels (without the cluster label), and its signal before and after the fault. */
export interface Timeline {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly before: Signal;
  readonly after: Signal;
}

export const steady = (metric: string, labels: Readonly<Record<string, string>>, signal: Signal): Timeline => ({
  metric,
  labels,
  before: signal,
  after: signal,
});

const minute = 60_000;

/**
 * The samples of a timeline every `stepMs` from 0 to `endMs`, with the fault starting at `startMs`:
 * numbers, `stale` where the series ends, `_` where it has none.
 */
export function samples(t: Timeline, stepMs: number, startMs: number, endMs: number): (number | 'stale' | '_')[] {
  const out: (number | 'stale' | '_')[] = [];
  let counterValue = 0;
  let sinceStart = 0;
  let present = false;
  let previous: Signal | undefined;
  for (let at = 0; at <= endMs; at += stepMs) {
    const signal = at < startMs ? t.before : t.after;
    const entering = signal !== previous;
    previous = signal;
    switch (signal.kind) {
      case 'absent':
        out.push(present ? 'stale' : '_');
        present = false;
        continue;
      case 'gauge':
        out.push(signal.value);
        break;
      case 'counter':
        if (entering) counterValue += signal.jump ?? 0;
        else counterValue += (signal.perMinute * stepMs) / minute;
        out.push(counterValue);
        break;
      case 'toggle': {
        sinceStart = entering ? 0 : sinceStart + 1;
        out.push(Math.floor(sinceStart / (signal.every ?? 1)) % 2 === 0 ? signal.from : signal.to);
        break;
      }
      case 'blink': {
        sinceStart = entering ? 0 : sinceStart + 1;
        if ((Math.floor(sinceStart / signal.every) % 2 === 0) !== signal.startPresent) {
          out.push(present ? 'stale' : '_');
          present = false;
          continue;
        }
        out.push(signal.value);
        break;
      }
    }
    present = true;
  }
  return out;
}

/** promtool's `values:` text of a sample list, runs written in its expanding notation (`1x20`, `0+60x20`, `_x5`). */
export function valuesText(values: readonly (number | 'stale' | '_')[]): string {
  const end = values.length - [...values].reverse().findIndex((v) => v !== '_');
  const parts: string[] = [];
  let i = 0;
  while (i < Math.min(end, values.length)) {
    const v = values[i]!;
    let j = i + 1;
    if (typeof v === 'number') {
      const next = values[j];
      const step = typeof next === 'number' ? next - v : 0;
      while (j < end && typeof values[j] === 'number' && (values[j] as number) - (values[j - 1] as number) === step) j++;
      const n = j - i - 1;
      parts.push(n === 0 ? String(v) : step === 0 ? `${v}x${n}` : `${v}${step > 0 ? '+' : '-'}${Math.abs(step)}x${n}`);
    } else if (v === '_') {
      while (j < end && values[j] === '_') j++;
      parts.push(j - i === 1 ? '_' : `_x${j - i}`);
    } else parts.push(v);
    i = j;
  }
  return parts.join(' ');
}
