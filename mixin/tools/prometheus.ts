import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

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

export interface PrometheusLaunch {
  /** The `prometheus` binary. */
  readonly binary: string;
  readonly configFile: string;
  readonly dataDir: string;
  /** Port on 127.0.0.1, e.g. from `freePort()`. */
  readonly port: number;
  /** Further flags (retention, log level, lifecycle, …). */
  readonly flags: readonly string[];
}

/** Spawns Prometheus with stdout and stderr piped; pair with `untilReady` before querying it. */
export function spawnPrometheus(launch: PrometheusLaunch): { readonly child: ChildProcess; readonly url: string } {
  const child = spawn(
    launch.binary,
    [`--config.file=${launch.configFile}`, `--storage.tsdb.path=${launch.dataDir}`, `--web.listen-address=127.0.0.1:${launch.port}`, ...launch.flags],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { child, url: `http://127.0.0.1:${launch.port}` };
}

/**
 * Polls `<url>/-/ready` until it answers 200. Call it in the tick `child` was spawned in: a binary
 * that cannot be spawned reports so once, on an event, and then counts as exited.
 */
export async function untilReady(child: ChildProcess, url: string, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
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
