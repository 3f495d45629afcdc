/**
 * A stand-in Alertmanager that records what Prometheus sends to `POST /api/v2/alerts`. It is the
 * only place where a *resolved* alert is visible (`/api/v1/alerts` drops it), with the annotations
 * as Prometheus rendered them.
 */
import { startHttpSink, type HttpSink } from './http-sink.js';

/** One alert of one notification, as Prometheus posts it. */
export interface ReceivedAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  /** In the past when the alert is resolved; a few minutes ahead while it fires. */
  readonly endsAt: string;
  /** Local time the notification arrived (ms since the epoch). */
  readonly receivedAt: number;
}

export class AlertReceiver {
  private constructor(
    private readonly sink: HttpSink,
    private readonly received: ReceivedAlert[],
  ) {}

  /** Base URL to give Prometheus as its Alertmanager. */
  get url(): string {
    return this.sink.url;
  }

  static async start(): Promise<AlertReceiver> {
    const received: ReceivedAlert[] = [];
    const sink = await startHttpSink((method, path, body) => {
      if (method !== 'POST' || path !== '/api/v2/alerts') return false;
      const now = Date.now();
      received.push(...(JSON.parse(body) as Omit<ReceivedAlert, 'receivedAt'>[]).map((a) => ({ ...a, receivedAt: now })));
      return true;
    });
    return new AlertReceiver(sink, received);
  }

  /** Alerts of `alertname` received at or after `since` (ms), firing or resolved. */
  of(alertname: string, since = 0): ReceivedAlert[] {
    return this.received.filter((a) => a.labels['alertname'] === alertname && a.receivedAt >= since);
  }

  /** True if this notification says the alert has ended. */
  static isResolved(a: ReceivedAlert): boolean {
    return Date.parse(a.endsAt) <= a.receivedAt + 1_000;
  }

  stop(): Promise<void> {
    return this.sink.stop();
  }
}
