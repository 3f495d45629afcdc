/**
 * A stand-in Alertmanager that records what Prometheus sends to `POST /api/v2/alerts`. It is the
 * only place where a *resolved* alert is visible (`/api/v1/alerts` drops it), with the annotations
 * as Prometheus rendered them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  private readonly received: ReceivedAlert[] = [];

  private constructor(
    private readonly server: Server,
    /** Base URL to give Prometheus as its Alertmanager. */
    readonly url: string,
  ) {}

  static async start(): Promise<AlertReceiver> {
    let receiver: AlertReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/api/v2/alerts') {
          const now = Date.now();
          const alerts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<ReceivedAlert, 'receivedAt'>[];
          receiver?.received.push(...alerts.map((a) => ({ ...a, receivedAt: now })));
          res.writeHead(200).end();
        } else {
          res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    receiver = new AlertReceiver(server, `http://127.0.0.1:${port}`);
    return receiver;
  }

  /** Alerts of `alertname` received at or after `since` (ms), firing or resolved. */
  of(alertname: string, since = 0): ReceivedAlert[] {
    return this.received.filter((a) => a.labels['alertname'] === alertname && a.receivedAt >= since);
  }

  /** True if this notification says the alert has ended. */
  static isResolved(a: ReceivedAlert): boolean {
    return Date.parse(a.endsAt) <= a.receivedAt + 1_000;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
