/**
 * Polls `/api/v1/alerts` in the background and keeps every state each alert was seen in, tagged
 * with the scenario phase, so a test can assert transitions (pending before firing, gone after
 * recovery) and that no unexpected alert ever became active, even briefly.
 *
 * A recorder that could not see is no witness: reading a phase throws when a poll of that phase
 * failed or none completed, so "no alert was seen" always means Prometheus was asked and said so.
 */
import type { ApiAlert, PrometheusServer } from './prometheus.js';

export interface AlertObservation {
  readonly phase: string;
  /** ms since the epoch */
  readonly at: number;
  readonly state: ApiAlert['state'];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A stable identity of an alert instance: its sorted labels. */
export function alertKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

export class AlertRecorder {
  private readonly seen: AlertObservation[] = [];
  private currentPhase = 'start';
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** Completed polls per phase. */
  private readonly polls = new Map<string, number>();
  private readonly failures: { readonly phase: string; readonly error: unknown }[] = [];

  constructor(
    private readonly prom: PrometheusServer,
    private readonly intervalMs = 250,
  ) {}

  /** Start polling; observations are tagged with `phase` until the next `phase()` call. */
  start(phase: string): void {
    this.currentPhase = phase;
    this.timer = setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = this.poll().finally(() => (this.inFlight = undefined));
    }, this.intervalMs);
  }

  /** Tag later observations with a new phase name. */
  phase(name: string): void {
    this.currentPhase = name;
  }

  private async poll(): Promise<void> {
    const phase = this.currentPhase;
    try {
      const alerts = await this.prom.alerts();
      const at = Date.now();
      for (const a of alerts) this.seen.push({ phase, at, state: a.state, labels: a.labels, annotations: a.annotations });
      this.polls.set(phase, (this.polls.get(phase) ?? 0) + 1);
    } catch (err) {
      this.failures.push({ phase, error: err });
    }
  }

  /** Throws unless every poll of the phase (of all phases without one) succeeded, and at least one did. */
  private assertWatched(phase?: string): void {
    const failed = this.failures.filter((f) => phase === undefined || f.phase === phase);
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new Error(
        `the alert recorder failed ${failed.length} poll(s)${phase ? ` in phase ${phase}` : ''}; first: ${first.error instanceof Error ? first.error.message : String(first.error)}`,
      );
    }
    const completed = phase === undefined ? [...this.polls.values()].reduce((a, b) => a + b, 0) : (this.polls.get(phase) ?? 0);
    if (completed === 0) throw new Error(`the alert recorder completed no poll${phase ? ` in phase ${phase}` : ''}`);
  }

  /** Observations, optionally only those of one phase; throws if the recorder could not watch it. */
  observations(phase?: string): AlertObservation[] {
    this.assertWatched(phase);
    return this.seen.filter((o) => phase === undefined || o.phase === phase);
  }

  /** Observations without the check, for a failure report. */
  observationsSoFar(): AlertObservation[] {
    return [...this.seen];
  }

  /** The states one alert instance went through in a phase, in order, without repeats. */
  transitions(labels: Readonly<Record<string, string>>, phase: string): ApiAlert['state'][] {
    const key = alertKey(labels);
    const states: ApiAlert['state'][] = [];
    for (const o of this.observations(phase)) if (alertKey(o.labels) === key && states[states.length - 1] !== o.state) states.push(o.state);
    return states;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}
