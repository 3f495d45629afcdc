/**
 * Polls `/api/v1/alerts` in the background and keeps every state each alert was seen in, tagged
 * with the scenario phase, so a test can assert transitions (pending before firing, gone after
 * recovery) and that no unexpected alert ever became active, even briefly.
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
  private lastError: unknown;

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
    } catch (err) {
      this.lastError = err;
    }
  }

  /** Observations, optionally only those of one phase. */
  observations(phase?: string): AlertObservation[] {
    return this.seen.filter((o) => phase === undefined || o.phase === phase);
  }

  /** The states one alert instance went through, in order, without repeats. */
  transitions(labels: Readonly<Record<string, string>>): ApiAlert['state'][] {
    const key = alertKey(labels);
    const states: ApiAlert['state'][] = [];
    for (const o of this.seen) if (alertKey(o.labels) === key && states[states.length - 1] !== o.state) states.push(o.state);
    return states;
  }

  /** The last error of a poll (Prometheus unreachable), if any. */
  get error(): unknown {
    return this.lastError;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}
