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

/**
 * A whole answer (after `delayMs`, if given); no answer at all; or an endless answer: a JSON
 * envelope that never closes, one chunk every `everyMs` (0: as fast as the socket takes it), cut
 * off after `limitBytes` so that a client that never stops reading cannot fill the machine.
 */
export type FakeAnswer =
  | { status: number; body: string; contentType?: string; delayMs?: number }
  | 'hang'
  | { readonly stream: { readonly chunkBytes: number; readonly everyMs: number; readonly limitBytes: number } };
export type FakeHandler = (path: string, params: URLSearchParams, req: IncomingMessage) => FakeAnswer;

export interface FakePrometheus {
  readonly url: string;
  /** Every request seen, as `path?query`. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export const success = (data: unknown): FakeAnswer => ({ status: 200, body: JSON.stringify({ status: 'success', data }) });

const vector = (result: readonly { metric: Record<string, string>; value: number }[]) =>
  success({ resultType: 'vector', result: result.map((r) => ({ metric: r.metric, value: [1_700_000_000, String(r.value)] })) });

/**
 * A Prometheus holding the series of one MetalLB controller, scraped as `job` in `namespace`:
 * enough for the doctor to find it, see the default selector miss it, and build a config.
 */
export function controllerPrometheus(job: string, namespace = 'metallb-system'): FakeHandler {
  const labels = { job, namespace, container: 'controller' };
  return (path, params) => {
    if (path === '/api/v1/query') {
      const query = params.get('query') ?? '';
      if (query === 'count({__name__=~"metallb_.+|frrk8s_.+"})') return vector([{ metric: {}, value: 2 }]);
      if (query.startsWith('count by (__name__, job, namespace, container) ({__name__=~"metallb_.+|frrk8s_.+"')) {
        return vector(
          ['metallb_allocator_addresses_total', 'metallb_allocator_addresses_in_use_total'].map((name) => ({
            metric: { __name__: name, ...labels },
            value: 1,
          })),
        );
      }
      return vector([]);
    }
    if (path === '/api/v1/labels') return success(['__name__', 'container', 'job', 'namespace']);
    if (path === '/api/v1/label/job/values') return success([job]);
    if (path.startsWith('/api/v1/label/')) return success([]);
    return { status: 404, body: '404 page not found\n', contentType: 'text/plain' };
  };
}

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

function streamEndlessly(res: ServerResponse, opts: { chunkBytes: number; everyMs: number; limitBytes: number }): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"status":"success","data":[');
  const chunk = `${'"x",'.repeat(Math.max(1, Math.floor(opts.chunkBytes / 4)))}`;
  let sent = 0;
  const next = () => {
    if (res.destroyed || sent >= opts.limitBytes) {
      res.destroy();
      return;
    }
    sent += chunk.length;
    // Wait for the socket to drain, so a fast stream goes at the reader's pace.
    const more = res.write(chunk);
    if (opts.everyMs > 0) setTimeout(next, opts.everyMs);
    else if (more) setImmediate(next);
    else res.once('drain', next);
  };
  res.once('close', () => res.destroy());
  next();
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
    if ('stream' in answer) {
      pending.add(res);
      streamEndlessly(res, answer.stream);
      return;
    }
    const send = () => {
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
      res.end(answer.body);
    };
    if (answer.delayMs === undefined) send();
    else setTimeout(send, answer.delayMs);
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
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'scripts', 'cli.js'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
