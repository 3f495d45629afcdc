/**
 * Servers the tests and the bench start (Prometheus, Alertmanager): spawned on a free port of
 * 127.0.0.1, awaited until ready, their output kept for error messages, and never left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { basename } from 'node:path';

/** A free TCP port on 127.0.0.1 (the kernel's choice; the caller's server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface SpawnedServer {
  readonly child: ChildProcess;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
}

/**
 * Spawns a Prometheus-style server (`--web.listen-address`, `/-/ready`: Prometheus, Alertmanager)
 * on 127.0.0.1:`port` with stdout and stderr piped; pair with `untilReady` before querying it.
 */
export function spawnServer(binary: string, port: number, args: readonly string[]): SpawnedServer {
  const child = spawn(binary, [...args, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, url: `http://127.0.0.1:${port}` };
}

export type ReadyOutcome = 'ready' | 'exited' | 'timeout';

/**
 * Polls `<url>/-/ready` until it answers 200. Call it in the tick `child` was spawned in: a binary
 * that cannot be spawned reports so once, on an event, and then counts as exited.
 */
export async function untilReady(child: ChildProcess, url: string, timeoutMs: number): Promise<ReadyOutcome> {
  let exited = child.exitCode !== null || child.signalCode !== null;
  const onGone = () => (exited = true);
  child.once('exit', onGone);
  child.once('error', onGone);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited) return 'exited';
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      if (response?.ok) return 'ready';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return exited ? 'exited' : 'timeout';
  } finally {
    child.off('exit', onGone);
    child.off('error', onGone);
  }
}

/** Every `ServerProcess` still running; killed when Node exits, so a crashed run leaves no process behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A spawned server with its output kept (stdout and stderr, line by line) for error messages. */
export class ServerProcess {
  readonly url: string;
  private readonly child: ChildProcess;
  private readonly name: string;
  private readonly logLines: string[] = [];
  private readonly exited: Promise<void>;
  private gone = false;

  /** Wrap the server in the tick it was spawned in, so that a failed spawn is seen (and logged). */
  constructor(spawned: SpawnedServer) {
    this.child = spawned.child;
    this.url = spawned.url;
    this.name = basename(spawned.child.spawnfile);
    running.add(this.child);
    const collect = (chunk: Buffer) =>
      this.logLines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      const done = () => {
        this.gone = true;
        running.delete(this.child);
        resolve();
      };
      this.child.once('exit', done);
      // A binary that cannot be spawned (ENOENT) emits 'error' and never 'exit'.
      this.child.once('error', (err) => {
        this.logLines.push(`spawn failed: ${err.message}`);
        done();
      });
    });
  }

  /** Waits for `/-/ready`; throws with the server's log if it exits first or `timeoutMs` passes. */
  async ready(timeoutMs: number): Promise<void> {
    const outcome = await untilReady(this.child, this.url, timeoutMs);
    if (outcome === 'exited') throw new Error(`${this.name} exited during start-up:\n${this.log()}`);
    if (outcome === 'timeout') throw new Error(`${this.name} not ready on ${this.url} after ${timeoutMs} ms:\n${this.log()}`);
  }

  log(): string {
    return this.logLines.join('\n');
  }

  /** True once the process has exited (crash or stop). */
  get hasExited(): boolean {
    return this.gone;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.gone) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
