/**
 * The real `alertmanager` binary (Debian's prometheus-alertmanager, 0.25) on 127.0.0.1 with a
 * throwaway data directory and clustering off, plus a webhook sink to see what it notifies.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpSink, type HttpSink } from './http-sink.js';
import { freePort, ServerProcess, spawnServer } from './process.js';

/** An alert as `GET /api/v2/alerts` lists it. */
export interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly fingerprint: string;
  readonly status: {
    readonly state: 'active' | 'suppressed' | 'unprocessed';
    readonly inhibitedBy: string[];
    readonly silencedBy: string[];
  };
  readonly receivers: { readonly name: string }[];
}

/** `$ALERTMANAGER`, else Debian's name for the binary, else upstream's. */
function alertmanagerBinary(): string {
  const candidates = [process.env['ALERTMANAGER'], 'prometheus-alertmanager', 'alertmanager'].filter((c): c is string => c !== undefined);
  return candidates.find((c) => spawnSync(c, ['--version']).status === 0) ?? 'alertmanager';
}

export class AlertmanagerServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`: give it to Prometheus as its Alertmanager. */
  readonly url: string;

  private constructor(
    private readonly server: ServerProcess,
    private readonly workDir: string,
  ) {
    this.url = server.url;
  }

  /** Write `configYaml`, start Alertmanager on a free port and wait until it is ready. */
  static async start(configYaml: string): Promise<AlertmanagerServer> {
    const workDir = mkdtempSync(join(tmpdir(), 'metallb-mixin-alertmanager-'));
    const configFile = join(workDir, 'alertmanager.yml');
    writeFileSync(configFile, configYaml);
    const port = await freePort().catch((err: unknown) => {
      rmSync(workDir, { recursive: true, force: true });
      throw err;
    });
    const alertmanager = new ServerProcess(
      spawnServer(alertmanagerBinary(), port, [
        `--config.file=${configFile}`,
        `--storage.path=${join(workDir, 'data')}`,
        // An empty address turns the gossip cluster off, so no second port is bound.
        '--cluster.listen-address=',
      ]),
    );
    const server = new AlertmanagerServer(alertmanager, workDir);
    try {
      await alertmanager.ready(30_000);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** Every alert Alertmanager holds, active, inhibited and silenced alike. */
  async alerts(): Promise<AlertmanagerAlert[]> {
    const res = await fetch(`${this.url}/api/v2/alerts?active=true&inhibited=true&silenced=true&unprocessed=true`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`GET /api/v2/alerts: HTTP ${res.status}`);
    return (await res.json()) as AlertmanagerAlert[];
  }

  log(): string {
    return this.server.log();
  }

  /** SIGTERM (SIGKILL after 5 s) and delete the data directory. Safe to call twice. */
  async stop(): Promise<void> {
    await this.server.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** One webhook notification: the receiver it was sent to (the URL path) and its alerts. */
export interface Notification {
  readonly receiver: string;
  readonly alerts: { readonly status: 'firing' | 'resolved'; readonly labels: Record<string, string> }[];
}

/** Collects Alertmanager webhook notifications; a receiver's URL is `${sink.url}/<receiver>`. */
export class WebhookSink {
  private constructor(
    private readonly sink: HttpSink,
    readonly notifications: Notification[],
  ) {}

  get url(): string {
    return this.sink.url;
  }

  static async start(): Promise<WebhookSink> {
    const notifications: Notification[] = [];
    const sink = await startHttpSink((_method, path, body) => {
      notifications.push({ receiver: path.slice(1), alerts: (JSON.parse(body) as { alerts: Notification['alerts'] }).alerts });
      return true;
    });
    return new WebhookSink(sink, notifications);
  }

  /** Firing alerts named `alertname` that reached `receiver`. */
  firing(receiver: string, alertname: string): Notification['alerts'] {
    return this.notifications
      .filter((n) => n.receiver === receiver)
      .flatMap((n) => n.alerts.filter((a) => a.status === 'firing' && a.labels['alertname'] === alertname));
  }

  stop(): Promise<void> {
    return this.sink.stop();
  }
}
