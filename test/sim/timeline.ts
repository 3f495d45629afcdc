/**
 * Time in the simulator: a window of `ticks` scrapes, `step` seconds apart, from `start` (unix
 * seconds). The bench's window is fixed and long past; the live simulator's grows with the clock.
 * Every series is one value per tick (NaN where there is no sample).
 */
import type { Random } from './random.js';

/** The sampled window: one scrape every `step` seconds, `ticks` scrapes from `start` (unix seconds). */
export interface Timeline {
  readonly start: number;
  readonly step: number;
  readonly ticks: number;
}

/**
 * Rates in the model are per 30 s, the scrape interval of MetalLB's own monitors: a timeline of
 * another step scales them by this factor.
 */
export const perStep = (tl: Timeline): number => tl.step / 30;

/** Scrape state of a target at each tick. */
export const Absent = 0;
export const Down = 1;
export const Up = 2;
export type TargetState = Uint8Array;

/** A target that exists from `from` to `to` (inclusive) and fails its scrapes in `downs` ([from, to] pairs). */
export function targetState(
  tl: Timeline,
  opts: { from?: number; to?: number; downs?: readonly (readonly [number, number])[] } = {},
): TargetState {
  const state = new Uint8Array(tl.ticks);
  const from = opts.from ?? 0;
  const to = opts.to ?? tl.ticks - 1;
  for (let t = from; t <= to && t < tl.ticks; t++) state[t] = Up;
  for (const [a, b] of opts.downs ?? []) {
    for (let t = Math.max(a, from); t <= Math.min(b, to); t++) state[t] = Down;
  }
  return state;
}

/** `up`: 1 while scrapes succeed, 0 while they fail, no sample while the target does not exist. */
export function upValues(state: TargetState): Float64Array {
  return Float64Array.from(state, (s) => (s === Absent ? NaN : s === Up ? 1 : 0));
}

/** 1 while the target's pod exists (up or failing its scrapes), no sample before it starts or after it is gone. */
export function podExists(state: TargetState): (tick: number) => number {
  return (t) => (state[t] === Absent ? NaN : 1);
}

/** A gauge the target reports while it is up. */
export function gauge(state: TargetState, value: (tick: number) => number): Float64Array {
  const out = new Float64Array(state.length);
  for (let t = 0; t < state.length; t++) out[t] = state[t] === Up ? value(t) : NaN;
  return out;
}

/**
 * A counter the target reports while it is up. It starts from `initial` when the process was
 * already running before the window, and from 0 after every restart (a down stretch, or the target
 * appearing mid-window): the counter resets a real speaker restart produces. `increment(t)` is
 * added at each tick the counter is reported.
 */
export function counter(state: TargetState, increment: (tick: number) => number, initial = 0): Float64Array {
  const out = new Float64Array(state.length);
  let value = initial;
  let previous: number = Up;
  for (let t = 0; t < state.length; t++) {
    if (state[t] !== Up) {
      out[t] = NaN;
      previous = state[t] ?? Absent;
      continue;
    }
    if (previous !== Up && t > 0) value = 0;
    value += increment(t);
    out[t] = value;
    previous = Up;
  }
  return out;
}

/**
 * An increment of about `perTick` with some noise, never negative: whole numbers where a tick
 * holds several events, fractions where a short tick holds less than one (they add up).
 */
export function noisy(rng: Random, perTick: number): () => number {
  return perTick >= 1 ? () => Math.max(0, Math.round(perTick * (0.6 + 0.8 * rng.next()))) : () => perTick * (0.6 + 0.8 * rng.next());
}

/** A state that changes at some ticks: `changes` are [tick, value] pairs in time order. */
export function stepFunction<T>(initial: T, changes: readonly (readonly [number, T])[]): (tick: number) => T {
  return (t) => {
    let value = initial;
    for (const [at, v] of changes) {
      if (at > t) break;
      value = v;
    }
    return value;
  };
}
