/**
 * A stand-in for the Prometheus HTTP API on 127.0.0.1 that answers with canned JSON, for the
 * doctor's failure cases (auth, TLS, timeouts, an empty Prometheus) that a real one cannot easily
 * be made to produce.
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.js';

export type FakeAnswer = { status: number; body: string; contentType?: string } | 'hang';
export type FakeHandler = (path: string, params: URLSearchParams, req: IncomingMessage) => FakeAnswer;

export interface FakePrometheus {
  readonly url: string;
  /** Every request seen, as `path?query`. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export const success = (data: unknown): FakeAnswer => ({ status: 200, body: JSON.stringify({ status: 'success', data }) });

/** A Prometheus that scrapes `jobs` but holds no MetalLB series. */
export function emptyPrometheus(jobs: readonly string[]): FakeHandler {
  return (path, params) => {
    if (path === '/api/v1/query') {
      // `up` exists for the listed jobs; nothing else does.
      return success({ resultType: 'vector', result: [] });
    }
    if (path === '/api/v1/label/job/values') return success(params.getAll('match[]').includes('up') ? [...jobs] : []);
    if (path.startsWith('/api/v1/label')) return success([]);
    return { status: 404, body: '404 page not found\n', contentType: 'text/plain' };
  };
}

export async function startFake(handler: FakeHandler, tls?: { key: string; cert: string }): Promise<FakePrometheus> {
  const requests: string[] = [];
  const pending = new Set<ServerResponse>();
  const listener: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${url.pathname}${url.search}`);
    const answer = handler(url.pathname, url.searchParams, req);
    if (answer === 'hang') {
      pending.add(res);
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
    res.end(answer.body);
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface AsyncRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the compiled CLI without blocking the event loop (the fake server lives in this process,
 * so spawnSync would deadlock it).
 */
export function runCliAsync(args: readonly string[]): Promise<AsyncRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'scripts', 'cli.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
