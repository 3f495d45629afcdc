/**
 * A small HTTP server on a free port of 127.0.0.1 that hands every request's method, path and
 * body to the test: what Prometheus posts to an Alertmanager, what Alertmanager posts to a webhook.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpSink {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** `accept` sees each request once its body is in; a request it does not accept gets a 404. */
export async function startHttpSink(accept: (method: string, path: string, body: string) => boolean): Promise<HttpSink> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok = accept(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString('utf8'));
      res.writeHead(ok ? 200 : 404).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
