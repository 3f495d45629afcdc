import http from 'node:http';
import https from 'node:https';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { redactUrl } from './redact.js';

/** How to reach a Prometheus: the base URL (with any path prefix) and the options real installs need. */
export interface PrometheusEndpoint {
  /** May carry basic-auth credentials and query parameters (sent with every request); reports show it redacted. */
  readonly url: string;
  readonly bearerToken?: string;
  /** PEM bundle that signs the server's certificate. */
  readonly ca?: string;
  readonly insecureSkipVerify?: boolean;
  /** Each request, from sending it to the answer's last byte, must complete within this. */
  readonly timeoutMs: number;
  /** Epoch milliseconds by which every request must have completed: a deadline for a whole run of requests. */
  readonly deadline?: number;
  /** Answers larger than this are refused (default 64 MiB). */
  readonly maxResponseBytes?: number;
}

export const defaultMaxResponseBytes = 64 * 1024 * 1024;

export type UnreachableKind =
  'connection-refused' | 'host-not-found' | 'tls' | 'unauthorized' | 'forbidden' | 'timeout' | 'too-large' | 'not-prometheus' | 'network';

/** Prometheus could not be asked at all: the doctor stops with exit code 2 and this reason. */
export class PrometheusUnreachable extends Error {
  constructor(
    readonly kind: UnreachableKind,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'PrometheusUnreachable';
  }
}

/** Prometheus answered but refused a request (a malformed query): also fatal, a bug on our side. */
export class PrometheusApiError extends Error {
  constructor(
    readonly path: string,
    readonly errorType: string,
    readonly detail: string,
  ) {
    super(`Prometheus rejected ${path}: ${errorType}: ${detail}`);
    this.name = 'PrometheusApiError';
  }
}

export type Labels = Readonly<Record<string, string>>;

export interface InstantSample {
  readonly metric: Labels;
  readonly value: number;
}

// The shapes of the API answers the doctor reads, checked before use: a proxy or another
// server answering JSON must not reach the checks as malformed data.
const apiEnvelope = Type.Object({
  status: Type.Union([Type.Literal('success'), Type.Literal('error')]),
  data: Type.Optional(Type.Unknown()),
  errorType: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
});
const queryData = Type.Object({ resultType: Type.String(), result: Type.Unknown() });
const vectorResult = Type.Array(
  Type.Object({ metric: Type.Record(Type.String(), Type.String()), value: Type.Tuple([Type.Number(), Type.String()]) }),
);
const stringList = Type.Array(Type.String());

const ajv = new Ajv({ strict: true });
const validators = new Map<TSchema, ValidateFunction>();

function validator(schema: TSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function conforms<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return validator(schema)(value);
}

/** `value` as `schema` describes it, or a PrometheusApiError naming the endpoint and what is off. */
function expectShape<T extends TSchema>(schema: T, value: unknown, path: string): Static<T> {
  if (conforms(schema, value)) return value;
  const validate = validator(schema);
  throw new PrometheusApiError(
    path,
    'unexpected_response',
    `not the Prometheus API's answer: ${ajv.errorsText(validate.errors, { dataVar: 'response' })}`,
  );
}

// OpenSSL's verification codes and Node's TLS codes, so that a certificate problem reads as one.
const tlsCodes = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|EPROTO$)/;

function classifyNetworkError(err: NodeJS.ErrnoException, url: URL): PrometheusUnreachable {
  const code = err.code ?? '';
  const where = `${url.host}`;
  if (code === 'ECONNREFUSED')
    return new PrometheusUnreachable('connection-refused', `connection refused by ${where}: is Prometheus listening there?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new PrometheusUnreachable('host-not-found', `host not found: ${url.hostname}`);
  if (tlsCodes.test(code)) {
    return new PrometheusUnreachable(
      'tls',
      `TLS error talking to ${where}: ${err.message} (${code}); pass --ca-file, or --insecure-skip-verify for a self-signed test server`,
    );
  }
  return new PrometheusUnreachable('network', `cannot reach ${where}: ${err.message}${code ? ` (${code})` : ''}`);
}

function mebibytes(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(3))} MiB`;
}

/**
 * A read-only client of the Prometheus HTTP API (query, labels, label values). Every call
 * is a GET: the doctor never writes, and GET is what a read-only proxy in front of Prometheus allows.
 */
export class PrometheusClient {
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(private readonly endpoint: PrometheusEndpoint) {
    let base: URL;
    try {
      base = new URL(endpoint.url);
    } catch {
      throw new PrometheusUnreachable('network', `not a URL: ${redactUrl(endpoint.url)}`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new PrometheusUnreachable(
        'network',
        `unsupported scheme ${base.protocol} in ${redactUrl(endpoint.url)} (use http:// or https://)`,
      );
    }
    // The API paths are resolved against the base: its path prefix must end in a slash to be kept.
    if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
    base.hash = '';
    this.base = base;
    this.agent =
      base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ca: endpoint.ca, rejectUnauthorized: !endpoint.insecureSkipVerify })
        : new http.Agent({ keepAlive: true });
  }

  /** The base URL as given, credentials included: for requests, never for display. */
  get url(): string {
    return this.base.href;
  }

  /** The base URL with credentials and query-string values replaced by `***`: for reports and messages. */
  get redactedUrl(): string {
    return redactUrl(this.base.href);
  }

  /** Free the keep-alive sockets so the process can exit. */
  close(): void {
    this.agent.destroy();
  }

  /** `/api/v1/query`: an instant vector, each sample with its labels and value. */
  async query(expr: string): Promise<InstantSample[]> {
    const data = expectShape(queryData, await this.get('api/v1/query', [['query', expr]]), 'api/v1/query');
    if (data.resultType !== 'vector') {
      throw new PrometheusApiError('api/v1/query', 'unexpected_result', `expected a vector for ${expr}, got ${data.resultType}`);
    }
    return expectShape(vectorResult, data.result, 'api/v1/query').map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
  }

  /** `/api/v1/labels`: label names present on the series matching the selectors. */
  async labelNames(selectors: readonly string[] = []): Promise<string[]> {
    return expectShape(
      stringList,
      await this.get(
        'api/v1/labels',
        selectors.map((s) => ['match[]', s]),
      ),
      'api/v1/labels',
    );
  }

  /** `/api/v1/label/<name>/values`: the values one label takes on the matching series. */
  async labelValues(name: string, selectors: readonly string[] = []): Promise<string[]> {
    const path = `api/v1/label/${encodeURIComponent(name)}/values`;
    return expectShape(
      stringList,
      await this.get(
        path,
        selectors.map((s) => ['match[]', s]),
      ),
      path,
    );
  }

  /**
   * Any other read of the API (`api/v1/alerts`, a range query, …), its `data` checked against
   * `schema`, with the same errors as the calls above: the test harness and the bench ask through
   * this one client too.
   */
  async read<T extends TSchema>(path: string, params: readonly (readonly [string, string])[], schema: T): Promise<Static<T>> {
    return expectShape(schema, await this.get(path, params), path);
  }

  private get(path: string, params: readonly (readonly [string, string])[]): Promise<unknown> {
    const url = new URL(path, this.base);
    // Query parameters of the base URL (a proxy's token) go with every request.
    for (const [k, v] of this.base.searchParams) url.searchParams.append(k, v);
    for (const [k, v] of params) url.searchParams.append(k, v);
    const transport = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.endpoint.bearerToken) headers['Authorization'] = `Bearer ${this.endpoint.bearerToken}`;
    const maxBytes = this.endpoint.maxResponseBytes ?? defaultMaxResponseBytes;
    const { ms, timeout } = this.timeLeft(url);
    if (ms <= 0) return Promise.reject(timeout);

    return new Promise((resolve, reject) => {
      // The first outcome wins: destroying the request after a timeout or an oversized answer
      // also raises a network error, which must not replace the reason.
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const fail = (err: Error) => {
        settle(() => reject(err));
        req.destroy();
      };
      const tooLarge = () =>
        new PrometheusUnreachable(
          'too-large',
          `the answer of ${url.host} to ${path} is larger than ${mebibytes(maxBytes)}: refused (is this the Prometheus API? narrow the query with --cluster)`,
        );

      const req = transport.get(url, { agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
          fail(tooLarge());
          return;
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) fail(tooLarge());
          else chunks.push(c);
        });
        res.on('error', (err) => settle(() => reject(classifyNetworkError(err, url))));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8');
          settle(() => {
            if (status === 401) {
              reject(new PrometheusUnreachable('unauthorized', `unauthorized (HTTP 401) at ${url.host}: pass a valid --bearer-token-file`));
              return;
            }
            if (status === 403) {
              reject(
                new PrometheusUnreachable('forbidden', `forbidden (HTTP 403) at ${url.host}: the token may not read the Prometheus API`),
              );
              return;
            }
            let envelope: unknown;
            try {
              envelope = JSON.parse(body);
            } catch {
              envelope = undefined;
            }
            if (!conforms(apiEnvelope, envelope)) {
              reject(
                new PrometheusUnreachable(
                  'not-prometheus',
                  `${url.origin}${url.pathname} answered HTTP ${status} with ${res.headers['content-type'] ?? 'no content type'}, not the Prometheus API: check the URL and its path prefix`,
                ),
              );
              return;
            }
            if (envelope.status !== 'success') {
              reject(new PrometheusApiError(path, envelope.errorType ?? `HTTP ${status}`, envelope.error ?? body.slice(0, 200)));
              return;
            }
            resolve(envelope.data);
          });
        });
      });
      timer = setTimeout(() => fail(timeout), ms);
      req.on('error', (err: NodeJS.ErrnoException) => {
        settle(() => reject(err instanceof PrometheusUnreachable ? err : classifyNetworkError(err, url)));
      });
    });
  }

  /** How long the next request may take: the request's own limit or what is left of the run's deadline, whichever ends first. */
  private timeLeft(url: URL): { ms: number; timeout: PrometheusUnreachable } {
    const own = this.endpoint.timeoutMs;
    const left = this.endpoint.deadline === undefined ? Infinity : this.endpoint.deadline - Date.now();
    if (left < own) {
      return {
        ms: left,
        timeout: new PrometheusUnreachable(
          'timeout',
          `the deadline of the whole run passed while waiting for ${url.host} (raise --timeout)`,
        ),
      };
    }
    return {
      ms: own,
      timeout: new PrometheusUnreachable('timeout', `no complete answer from ${url.host} within ${own / 1000} s (raise --timeout)`),
    };
  }
}
