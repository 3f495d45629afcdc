import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Component } from '../mixin/catalogue.js';
import { defaultConfig, loadConfigFile, resolveConfig } from '../mixin/config/load.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { blindItems, byCause, rootCause, type CheckResult, type ItemResult } from '../mixin/doctor/blind.js';
import { PrometheusUnreachable, type PrometheusEndpoint } from '../mixin/doctor/client.js';
import type { Facts, ScrapeGroup } from '../mixin/doctor/discover.js';
import { checkedItems } from '../mixin/doctor/items.js';
import { liveness, type Liveness } from '../mixin/doctor/liveness.js';
import { printable } from '../mixin/doctor/printable.js';
import { redactUrl } from '../mixin/doctor/redact.js';
import { runDoctor, type DoctorResult } from '../mixin/doctor/run.js';
import { synthesizeConfig } from '../mixin/doctor/synthesize.js';
import { vectorSelectors } from '../mixin/promql/inspect.js';
import { parsePromQL } from '../mixin/promql/parse.js';
import {
  defaultCluster,
  freePort,
  MetalLBSimulator,
  startPrometheus,
  waitFor,
  type PrometheusServer,
  type ScrapeConfig,
  type SimulatorOptions,
} from './harness/index.js';
import { parse as parseYaml } from 'yaml';
import {
  controllerPrometheus,
  emptyPrometheus,
  runCliAsync,
  startFake,
  success,
  type FakeHandler,
  type FakePrometheus,
} from './doctor/fake-prometheus.js';
import { tempDir } from './helpers/temp.js';

/** Liveness of `expr` when the selectors of the metrics named in `states` have that state (others live). */
function livenessOf(expr: string, states: Record<string, Liveness>): Liveness {
  const parsed = parsePromQL(expr);
  const byFrom = new Map(vectorSelectors(parsed).map((s) => [s.from, states[s.metric ?? ''] ?? 'live']));
  return liveness(parsed, (node) => byFrom.get(node.from) ?? 'live').state;
}

/** The metrics whose selectors decide the verdict. */
function culpritsOf(expr: string, states: Record<string, Liveness>): string[] {
  const parsed = parsePromQL(expr);
  const byFrom = new Map(vectorSelectors(parsed).map((s) => [s.from, states[s.metric ?? ''] ?? 'live']));
  return liveness(parsed, (node) => byFrom.get(node.from) ?? 'live').culprits.map((n) => parsed.expr.slice(n.from, n.to));
}

describe('liveness of an expression from its selectors', () => {
  test('`or` needs one live side, arithmetic and `and` need both', () => {
    expect(livenessOf('a or b', { a: 'blind' })).toBe('live');
    expect(livenessOf('a or b', { a: 'blind', b: 'blind' })).toBe('blind');
    expect(livenessOf('a / b', { b: 'blind' })).toBe('blind');
    expect(livenessOf('a and b', { a: 'blind' })).toBe('blind');
    expect(livenessOf('sum by (cluster) (rate(a[5m])) > 0', {})).toBe('live');
  });

  test('a constant fallback does not hide a blind selector; `unless` needs its filter unless the filter cannot apply', () => {
    expect(livenessOf('sum(a) or vector(0)', { a: 'blind' })).toBe('blind');
    expect(livenessOf('a unless b', { b: 'na' })).toBe('live');
    expect(livenessOf('group(a) unless b == 1', { b: 'blind' })).toBe('blind');
    expect(livenessOf('a unless b', { a: 'blind' })).toBe('blind');
    expect(livenessOf('vector(1)', {})).toBe('const');
  });

  test('a `* 0` heartbeat beside a problem is constant: the record is as live as its problem part', () => {
    expect(livenessOf('(a == bool 0) > 0 or group by (cluster) (up) * 0', { a: 'na' })).toBe('na');
    expect(livenessOf('(a == bool 0) > 0 or group by (cluster) (up) * 0', { a: 'blind' })).toBe('blind');
    expect(livenessOf('(a == bool 0) > 0 or group by (cluster) (up) * 0', {})).toBe('live');
    // Only a literal 0 makes it a heartbeat: any other factor carries data.
    expect(livenessOf('a or up * 2', { a: 'na' })).toBe('live');
  });

  test('absent() of a blind selector is blind (it would fire forever); not applicable wins over blind in a join', () => {
    expect(livenessOf('absent(up{job="x"})', { up: 'blind' })).toBe('blind');
    expect(livenessOf('a * on (node) group_left b', { a: 'blind', b: 'na' })).toBe('na');
    expect(livenessOf('(a or b) * c', { a: 'na', b: 'na' })).toBe('na');
  });

  test('only the selectors on the deciding path are blamed', () => {
    // b's blind branch is masked by live a; the join is blind because of c alone.
    expect(culpritsOf('(a or b) * on (cluster) c', { b: 'blind', c: 'blind' })).toEqual(['c']);
    expect(culpritsOf('(a or b) / c', { a: 'blind', b: 'blind' })).toEqual(['a', 'b']);
    expect(culpritsOf('x unless y', { y: 'na' })).toEqual([]);
  });
});

test('dashboard queries are checked as PromQL: Grafana macros and interval variables expanded, numeric macros stay numbers', () => {
  const expr = 'sum(rate(metallb_bgp_updates_total{cluster="$cluster"}[$__rate_interval])) + max_over_time(x[${window}:]) * $__range_s';
  const [item] = checkedItems({
    prometheusAlerts: { groups: [] },
    prometheusRules: { groups: [] },
    grafanaDashboards: {
      'd.json': {
        templating: { list: [{ type: 'interval', name: 'window', current: { value: '10m' } }] },
        panels: [{ title: 'P', targets: [{ refId: 'A', expr }] }],
      },
    },
  });
  expect(item?.expr).toBe('sum(rate(metallb_bgp_updates_total{cluster="$cluster"}[4m])) + max_over_time(x[10m:]) * 3600');
  expect(parsePromQL(item?.expr ?? '').problems).toEqual([]);
});

test('checked items include nested row panels and label_values variables', () => {
  const items = checkedItems({
    prometheusAlerts: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '1m', labels: {}, annotations: {} }] }] },
    prometheusRules: { groups: [{ name: 'r', rules: [{ record: 'r:x:sum', expr: 'sum(x)' }] }] },
    grafanaDashboards: {
      'd.json': {
        templating: {
          list: [
            { type: 'query', name: 'cluster', query: { query: 'label_values(up{job="j"}, cluster)' } },
            { type: 'datasource', name: 'ds' },
          ],
        },
        panels: [{ type: 'row', title: 'Row', panels: [{ title: 'Inner', targets: [{ refId: 'A', expr: 'rate(x[5m])' }] }] }],
      },
    },
  });
  expect(items).toEqual([
    { kind: 'alert', name: 'A', expr: 'up == 0' },
    { kind: 'record', name: 'r:x:sum', expr: 'sum(x)' },
    { kind: 'variable', name: 'd.json / $cluster', expr: 'up{job="j"}', label: 'cluster' },
    { kind: 'panel', name: 'd.json / Inner [A]', expr: 'rate(x[5m])' },
  ]);
});

function group(partial: Partial<ScrapeGroup> & Pick<ScrapeGroup, 'job' | 'components'>): ScrapeGroup {
  return { cluster: '', namespace: 'metallb-system', container: '', metrics: [], series: 1, ...partial };
}

function facts(partial: Partial<Facts>): Facts {
  return {
    metallbSeries: 10,
    groups: [],
    bgpModes: [],
    bfd: false,
    cluster: { configured: 'cluster', detected: undefined, values: [] },
    kubeStateMetrics: [],
    versionHints: [],
    downTargets: [],
    scrapedJobs: [],
    scope: [],
    ...partial,
  };
}

describe('config synthesis', () => {
  test('keeps selectors that already match and writes only what differs from the defaults', () => {
    const fix = synthesizeConfig(
      defaultConfig(),
      facts({
        groups: [
          group({ job: 'metallb-controller-monitor-service', container: 'controller', components: ['controller'] }),
          group({ job: 'metallb', container: 'speaker', components: ['speaker'] }),
          group({ job: 'metallb-frr-k8s-frr-k8s-monitor-service', container: 'frr-metrics', components: ['frrK8s'] }),
        ],
        bgpModes: ['frr-k8s'],
      }),
      'http://prometheus:9090/',
    );
    expect(fix.changes.map((c) => c.path)).toEqual(['bgp.modes']);
    expect(fix.minimal).toEqual({ bgp: { modes: ['frr-k8s'] } });
    expect(fix.yaml).toContain('bgp:\n  modes:\n    - frr-k8s\n');
  });

  test('rebuilds a selector from custom jobs, and tells a shared job apart by container', () => {
    const fix = synthesizeConfig(
      defaultConfig(),
      facts({
        groups: [
          group({ job: 'lb', container: 'controller', components: ['controller'] }),
          group({ job: 'lb', container: 'speaker', components: ['speaker'] }),
        ],
        bgpModes: ['native'],
        cluster: { configured: 'cluster', detected: 'k8s_cluster', values: ['a', 'b'] },
      }),
      'x',
    );
    expect(fix.config.selectors.controller).toBe('job="lb",container="controller"');
    expect(fix.config.selectors.speaker).toBe('job="lb",container="speaker"');
    expect(fix.config.clusterLabel).toBe('k8s_cluster');
    expect(fix.config.showMultiCluster).toBe(true);
    // The user's other settings survive, and defaults stay out of the file.
    expect(Object.keys(fix.minimal).sort()).toEqual(['bgp', 'clusterLabel', 'selectors', 'showMultiCluster']);
    expect(Object.keys(fix.minimal['selectors'] as object).sort()).toEqual(['controller', 'speaker']);
  });
});

describe('doctor against a stand-in Prometheus API (failure cases)', () => {
  let fake: FakePrometheus | undefined;
  afterAll(async () => fake?.stop());

  test('connection refused: exit 2 with the reason; a usage error is 2 too, never the 1 of "blind"', async () => {
    const port = await freePort();
    const missing = join(tempDir('doctor-missing'), 'token');
    const [run, usage, unreadable] = await Promise.all([
      runCliAsync(['doctor', '--prometheus', `http://127.0.0.1:${port}`]),
      runCliAsync(['doctor', '--timeout', '-1']),
      runCliAsync(['doctor', '--prometheus', `http://127.0.0.1:${port}`, '--bearer-token-file', missing]),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('connection refused');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('must be a positive number of seconds');
    // An unreadable token file is the caller's mistake, named as such before Prometheus is asked.
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toContain(`cannot read the bearer token file ${missing}`);
    expect(unreadable.stderr).not.toContain('connection refused');
  });

  test('HTTP 401: exit 2, says unauthorized; the bearer token from the file is sent', async () => {
    fake = await startFake((path, params, req) => {
      if (req.headers.authorization !== 'Bearer s3cret') return { status: 401, body: 'Unauthorized\n', contentType: 'text/plain' };
      return emptyPrometheus(['node'])(path, params, req);
    });
    const tokenFile = join(tempDir('doctor-token'), 'token');
    writeFileSync(tokenFile, 's3cret\n');
    const [denied, allowed] = await Promise.all([
      runCliAsync(['doctor', '--prometheus', fake.url, '--json']),
      runCliAsync(['doctor', '--prometheus', fake.url, '--bearer-token-file', tokenFile]),
    ]);
    expect(denied.status).toBe(2);
    expect(denied.stderr).toContain('unauthorized (HTTP 401)');
    expect(JSON.parse(denied.stdout)).toMatchObject({ exitCode: 2, error: { kind: 'unauthorized' } });
    expect(allowed.status).toBe(1);
    expect(allowed.stdout).toContain('no MetalLB series found');
    await fake.stop();
    fake = undefined;
  });

  test('a Prometheus with no MetalLB series: exit 1, says so and lists what it scrapes; writes no config', async () => {
    fake = await startFake(emptyPrometheus(['node-exporter', 'prometheus']));
    const out = join(tempDir('doctor-out'), 'fix.yaml');
    const run = await runCliAsync(['doctor', '--prometheus', fake.url, '--write-config', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('no MetalLB series found');
    expect(run.stdout).toContain('"node-exporter", "prometheus"');
    expect(run.stderr).toContain(`nothing written to ${out}`);
    expect(() => readFileSync(out)).toThrow();
    // Read-only: every request was a GET to the query API.
    expect(fake.requests.every((r) => r.startsWith('/api/v1/'))).toBe(true);
    await fake.stop();
    fake = undefined;
  });

  // In-process from here: the CLI's exit code 2 path is covered above, these check the reasons.
  const doctorAt = (url: string, endpoint: Partial<PrometheusEndpoint> = {}) =>
    runDoctor({ endpoint: { url, timeoutMs: 2_000, ...endpoint }, config: defaultConfig(), configSource: 'defaults' });

  test('a timeout and a non-Prometheus answer are unreachable, with the reason', async () => {
    fake = await startFake((path) => (path === '/api/v1/query' ? 'hang' : success([])));
    await expect(doctorAt(fake.url, { timeoutMs: 300 })).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining('within 0.3 s'),
    });
    await fake.stop();

    fake = await startFake(() => ({ status: 200, body: '<html>Grafana</html>', contentType: 'text/html' }));
    await expect(doctorAt(fake.url)).rejects.toMatchObject({
      kind: 'not-prometheus',
      message: expect.stringContaining('not the Prometheus API'),
    });
    await fake.stop();

    // JSON in the envelope's shape whose data is not: rejected with where, not passed on to the checks.
    fake = await startFake((path) =>
      path === '/api/v1/query' ? success({ resultType: 'vector', result: [{ metric: {}, value: 'x' }] }) : success([]),
    );
    await expect(doctorAt(fake.url)).rejects.toMatchObject({
      path: 'api/v1/query',
      errorType: 'unexpected_response',
      message: expect.stringContaining('response/0/value must be array'),
    });
    await fake.stop();
    fake = undefined;
  });

  test('HTTP 403 is forbidden', async () => {
    fake = await startFake(() => ({ status: 403, body: 'Forbidden', contentType: 'text/plain' }));
    await expect(doctorAt(fake.url)).rejects.toBeInstanceOf(PrometheusUnreachable);
    await expect(doctorAt(fake.url)).rejects.toMatchObject({ kind: 'forbidden' });
    await fake.stop();
    fake = undefined;
  });

  describe('TLS', () => {
    const dir = tempDir('doctor-tls');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    beforeAll(() => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
    });

    test('a self-signed certificate is a TLS error unless the CA is given or verification is skipped', async () => {
      fake = await startFake(emptyPrometheus(['node']), { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') });
      await expect(doctorAt(fake.url)).rejects.toMatchObject({ kind: 'tls', message: expect.stringMatching(/self[- ]signed/) });
      await expect(doctorAt(fake.url, { ca: readFileSync(cert, 'utf8') })).resolves.toMatchObject({
        exitCode: 1,
        problem: expect.stringContaining('no MetalLB series'),
      });
      await expect(doctorAt(fake.url, { insecureSkipVerify: true })).resolves.toMatchObject({ exitCode: 1 });
      await fake.stop();
      fake = undefined;
    });

    test('https:// to a plain-HTTP server is a TLS error', async () => {
      fake = await startFake(emptyPrometheus(['node']));
      await expect(doctorAt(fake.url.replace('http:', 'https:'))).rejects.toMatchObject({ kind: 'tls' });
      await fake.stop();
      fake = undefined;
    });
  });
});

test('what the doctor shows of a URL and of a label value', () => {
  // A token as the user name, query parameters, a fragment; a URL that does not parse.
  expect(redactUrl('https://tok3n-only@prom.example/prometheus?x=1&token=abc#frag')).toBe(
    'https://***@prom.example/prometheus?x=***&token=***',
  );
  expect(redactUrl('http://u:p@host:99999/?t=v')).toBe('http://***@host:99999/?t=***');
  expect(redactUrl('http://prom.example:9090/')).toBe('http://prom.example:9090/');
  // A bidirectional override, a C1 control, a tab.
  expect(printable('a\u202eb\u0085c\td')).toBe('a\\u202eb\\u0085c\\u0009d');
});

describe('doctor facing what a Prometheus or a user may hand it', () => {
  const fakes: FakePrometheus[] = [];
  const start = async (handler: FakeHandler) => {
    const fake = await startFake(handler);
    fakes.push(fake);
    return fake;
  };
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.stop()));
  });
  const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);
  // Every control character but the line feed between lines, and the Unicode line separator.
  const controlCharacters = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
  const doctorIn = (url: string, endpoint: Partial<PrometheusEndpoint> = {}) =>
    runDoctor({ endpoint: { url, timeoutMs: 30_000, ...endpoint }, config: defaultConfig(), configSource: 'defaults' });

  // A job name that tries to end the comment it is quoted in and add settings, and to colour the terminal.
  const hostileJob = 'evil\npools:\n  exclude: [".*"]\n\u001b[31mred\u001b[0m\u2028x';
  const hostileSelector = 'job="evil\\npools:\\n  exclude: [\\".*\\"]\\n\\u001b[31mred\\u001b[0m\\u2028x"';

  test('label values with line breaks and terminal escapes: the written config holds only the selector the doctor meant, the report shows them escaped', async () => {
    const fake = await start(controllerPrometheus(hostileJob));
    const file = join(tempDir('doctor-hostile'), 'fix.yaml');
    const [text, json] = await Promise.all([
      runCliAsync(['doctor', '--prometheus', fake.url, '--write-config', file]),
      runCliAsync(['doctor', '--prometheus', fake.url, '--json']),
    ]);
    expect(text.status, text.stderr).toBe(1);
    const written = readFileSync(file, 'utf8');
    expect(parseYaml(written)).toEqual({ selectors: { controller: hostileSelector } });
    const loaded = loadConfigFile(file);
    expect(loaded).toEqual(resolveConfig({ selectors: { controller: hostileSelector } }));
    expect(loaded.pools.exclude).toEqual([]);
    expect(written).not.toMatch(controlCharacters);
    expect(written.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(2);

    expect(text.stdout).not.toMatch(controlCharacters);
    expect(text.stdout).toContain(
      'controller            job="evil\\u000apools:\\u000a  exclude: [".*"]\\u000a\\u001b[31mred\\u001b[0m\\u2028x"',
    );
    // The JSON report carries the value exactly, escaped as JSON.
    expect(json.stdout).not.toMatch(controlCharacters);
    const report = JSON.parse(json.stdout) as { facts: { components: Record<string, { job: string }[]> }; fix: { jsonnet: string } };
    expect(report.facts.components['controller']?.map((c) => c.job)).toEqual([hostileJob]);
    // The jsonnet form of the fix carries the same selector, and nothing else changes.
    const jsonnetConfig = spawnSync('jsonnet', ['-e', `(${report.fix.jsonnet})._config`], { encoding: 'utf8' });
    expect(jsonnetConfig.status, jsonnetConfig.stderr).toBe(0);
    expect(JSON.parse(jsonnetConfig.stdout)).toMatchObject({ controllerSelector: hostileSelector, poolsExclude: [], alertLabels: {} });
  });

  test('credentials and a query-string token in --prometheus are sent, and shown nowhere: report, JSON, written config, errors', async () => {
    const basic = `Basic ${Buffer.from('alice-basic:s3cret-pass').toString('base64')}`;
    const fake = await start((path, params, req) => {
      if (req.headers.authorization !== basic || params.get('token') !== 'q-t0ken-value')
        return { status: 401, body: 'Unauthorized\n', contentType: 'text/plain' };
      return controllerPrometheus('lb-controller')(path, params, req);
    });
    const port = new URL(fake.url).port;
    const free = await freePort();
    const file = join(tempDir('doctor-credentials'), 'fix.yaml');
    const runs = await Promise.all([
      runCliAsync([
        'doctor',
        '--prometheus',
        `http://alice-basic:s3cret-pass@127.0.0.1:${port}/?token=q-t0ken-value`,
        '--write-config',
        file,
      ]),
      runCliAsync(['doctor', '--prometheus', `http://alice-basic:s3cret-pass@127.0.0.1:${port}/?token=q-t0ken-value`, '--json']),
      runCliAsync(['doctor', '--prometheus', `http://alice-basic:s3cret-pass@127.0.0.1:${free}/?token=q-t0ken-value`, '--json']),
      runCliAsync(['doctor', '--prometheus', 'http://alice-basic:s3cret-pass@127.0.0.1:99999/?token=q-t0ken-value']),
      runCliAsync(['doctor', '--prometheus', `http://alice-basic:wr0ng-pass@127.0.0.1:${port}/?token=q-t0ken-value`, '--json']),
    ]);
    const [text, json, refused, notAUrl, denied] = runs;
    expect(text?.status, text?.stderr).toBe(1);
    expect(text?.stdout).toContain(`metallb-mixin doctor: http://***@127.0.0.1:${port}/?token=*** (config: defaults)`);
    expect(JSON.parse(json?.stdout ?? '')).toMatchObject({ prometheus: `http://***@127.0.0.1:${port}/?token=***` });
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(
      `# metallb-mixin config written by \`metallb-mixin doctor\` from http://***@127.0.0.1:${port}/?token=***.`,
    );
    expect(JSON.parse(refused?.stdout ?? '')).toMatchObject({
      prometheus: `http://***@127.0.0.1:${free}/?token=***`,
      exitCode: 2,
      error: { kind: 'connection-refused' },
    });
    expect(refused?.stderr).toContain(
      `\nmetallb-mixin doctor: cannot query Prometheus at http://***@127.0.0.1:${free}/?token=***: connection refused by 127.0.0.1:${free}: is Prometheus listening there?\n`,
    );
    expect(notAUrl?.status).toBe(2);
    expect(notAUrl?.stderr).toContain('not a URL: http://***@127.0.0.1:99999/?token=***');
    expect(denied?.status).toBe(2);
    expect(JSON.parse(denied?.stdout ?? '')).toMatchObject({ error: { kind: 'unauthorized' } });
    const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(file, 'utf8')].join('\n');
    for (const secret of ['alice-basic', 's3cret-pass', 'q-t0ken-value', 'wr0ng-pass']) expect(everything).not.toContain(secret);
  });

  test('an endless, slow answer ends at the request deadline, however steadily bytes arrive', async () => {
    const fake = await start(() => ({ stream: { chunkBytes: 1024, everyMs: 50, limitBytes: 16 * 1024 * 1024 } }));
    const started = Date.now();
    await expect(doctorIn(fake.url, { timeoutMs: 1_000 })).rejects.toMatchObject({
      kind: 'timeout',
      message: `no complete answer from ${new URL(fake.url).host} within 1 s (raise --timeout)`,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);

  test('an endless, fast answer is cut at the size cap: 64 MiB by default, with a one-line error', async () => {
    const fake = await start(() => ({ stream: { chunkBytes: 64 * 1024, everyMs: 0, limitBytes: 256 * 1024 * 1024 } }));
    await expect(doctorIn(fake.url, { maxResponseBytes: 1024 * 1024 })).rejects.toMatchObject({
      kind: 'too-large',
      message: expect.stringContaining('is larger than 1 MiB: refused'),
    });
    const run = await runCliAsync(['doctor', '--prometheus', fake.url]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /\nmetallb-mixin doctor: cannot query Prometheus at http:\/\/127\.0\.0\.1:\d+\/: the answer of 127\.0\.0\.1:\d+ to api\/v1\/query is larger than 64 MiB: refused [^\n]*\n$/,
    );
  }, 60_000);

  test('--timeout is the deadline of the whole run: answers that each come in time still end the run when it passes', async () => {
    const slowly: FakeHandler = (path, params, req) => {
      const answer = controllerPrometheus('lb-controller')(path, params, req);
      return typeof answer === 'object' && 'status' in answer ? { ...answer, delayMs: 200 } : answer;
    };
    const fake = await start(slowly);
    const started = Date.now();
    const run = await runCliAsync(['doctor', '--prometheus', fake.url, '--timeout', '1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`the deadline of the whole run passed while waiting for ${new URL(fake.url).host} (raise --timeout)`);
    expect(Date.now() - started).toBeLessThan(10_000);
    noStackTrace(run.stderr);
  }, 60_000);

  test('a bearer token file: one trailing line break is dropped; a second line, or nothing, is refused with the file named', async () => {
    const fake = await start((path, params, req) =>
      req.headers.authorization === 'Bearer s3cret'
        ? controllerPrometheus('lb-controller')(path, params, req)
        : { status: 401, body: 'Unauthorized\n', contentType: 'text/plain' },
    );
    const dir = tempDir('doctor-tokens');
    const files = { crlf: 's3cret\r\n', twoLines: 's3cret\nsecond\n', empty: '\n' };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const [crlf, twoLines, empty] = await Promise.all(
      Object.keys(files).map((name) => runCliAsync(['doctor', '--prometheus', fake.url, '--bearer-token-file', join(dir, name)])),
    );
    expect(crlf?.status, crlf?.stderr).toBe(1);
    expect(twoLines?.status).toBe(2);
    expect(twoLines?.stderr).toContain(
      `the bearer token file ${join(dir, 'twoLines')} holds more than one line: it must hold the token alone`,
    );
    expect(empty?.status).toBe(2);
    expect(empty?.stderr).toContain(`the bearer token file ${join(dir, 'empty')} is empty`);
    for (const run of [twoLines, empty]) noStackTrace(run?.stderr ?? '');
  });

  test('--write-config into a folder, a missing folder or below a file: one line, exit 2, before Prometheus is asked', async () => {
    const fake = await start(controllerPrometheus('lb-controller'));
    const dir = tempDir('doctor-targets');
    writeFileSync(join(dir, 'plain'), 'x\n');
    const targets = [dir, join(dir, 'missing', 'fix.yaml'), join(dir, 'plain', 'fix.yaml')];
    const runs = await Promise.all(targets.map((t) => runCliAsync(['doctor', '--prometheus', fake.url, '--write-config', t])));
    expect(runs.map((r) => r.status)).toEqual([2, 2, 2]);
    expect(runs.map((r) => r.stderr)).toEqual([
      `metallb-mixin doctor: cannot write ${dir}: it is a folder; give the name of the file to write\n`,
      `metallb-mixin doctor: cannot write ${join(dir, 'missing', 'fix.yaml')}: folder ${join(dir, 'missing')} does not exist\n`,
      `metallb-mixin doctor: cannot write ${join(dir, 'plain', 'fix.yaml')}: ${join(dir, 'plain')} is not a folder\n`,
    ]);
    expect(fake.requests).toEqual([]);
  });

  test('--write-config replaces a config the doctor wrote, and any other file only with --force', async () => {
    const fake = await start(controllerPrometheus('lb-controller'));
    const dir = tempDir('doctor-overwrite');
    const mine = join(dir, 'mine.yaml');
    writeFileSync(mine, 'thresholds:\n  bgpFlaps: 4\n');
    const refused = await runCliAsync(['doctor', '--prometheus', fake.url, '--write-config', mine]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      `metallb-mixin doctor: refusing to overwrite ${mine}: it exists and was not written by metallb-mixin doctor (pass --force to replace it)\n`,
    );
    expect(readFileSync(mine, 'utf8')).toBe('thresholds:\n  bgpFlaps: 4\n');

    const forced = await runCliAsync(['doctor', '--prometheus', fake.url, '--write-config', mine, '--force']);
    expect(forced.status, forced.stderr).toBe(1);
    expect(loadConfigFile(mine).selectors.controller).toBe('job="lb-controller"');
    writeFileSync(mine, readFileSync(mine, 'utf8').replace('job="lb-controller"', 'job="old"'));
    const again = await runCliAsync(['doctor', '--prometheus', fake.url, '--write-config', mine]);
    expect(again.status, again.stderr).toBe(1);
    expect(loadConfigFile(mine).selectors.controller).toBe('job="lb-controller"');
    // Written beside it under a temporary name, then moved: nothing else is left.
    expect(readdirSync(dir)).toEqual(['mine.yaml']);
  });
});

// --- Against the real Prometheus scraping the simulated MetalLB ------------------------------

interface Scenario {
  readonly sim: MetalLBSimulator;
  readonly prom: PrometheusServer;
}

/**
 * The simulator's scrape configs with the `job` values (and the cluster label's name) changed, as
 * a user's own ServiceMonitors or relabelling would produce.
 */
function relabelled(configs: readonly ScrapeConfig[], jobs: Readonly<Record<string, string>>, clusterLabel?: string): ScrapeConfig[] {
  return configs.map((c) => ({
    ...c,
    static_configs: c.static_configs.map((s) => {
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.labels)) {
        if (k === 'job') labels[k] = jobs[v] ?? v;
        else if (k === 'cluster' && clusterLabel) labels[clusterLabel] = v;
        else labels[k] = v;
      }
      return { ...s, labels };
    }),
  }));
}

async function startScenario(opts: SimulatorOptions, rewrite: (c: ScrapeConfig[]) => ScrapeConfig[] = (c) => c): Promise<Scenario> {
  const sim = await MetalLBSimulator.start(opts);
  try {
    const prom = await startPrometheus({ scrapeConfigs: rewrite(sim.scrapeConfigs()) });
    return { sim, prom };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}

/** Every target scraped at least once: all its series are queryable. */
async function ready(s: Scenario): Promise<void> {
  await s.prom.waitForTargetsUp(s.sim.targets().length);
}

const doctorOn = (s: Scenario, config: MixinConfig = defaultConfig(), cluster?: string) =>
  runDoctor({ endpoint: { url: s.prom.url, timeoutMs: 10_000 }, config, configSource: 'test', cluster });

function jobsOf(result: DoctorResult, component: Component): string[] {
  return [...new Set(result.facts.groups.filter((g) => g.components.includes(component)).map((g) => g.job))].sort();
}

const names = (items: readonly ItemResult[]) => [...new Set(items.map((i) => i.name))];
const blindNames = (result: DoctorResult, kind?: string) =>
  names(blindItems(result.check).filter((i) => kind === undefined || i.kind === kind));
const naAlerts = (check: CheckResult) => names(check.items.filter((i) => i.state === 'na' && i.kind === 'alert'));

describe('doctor against the real Prometheus scraping the simulated MetalLB', () => {
  const customJobs = {
    'metallb-controller-monitor-service': 'lb-controller',
    metallb: 'lb-speaker',
    'metallb-frr-k8s-frr-k8s-monitor-service': 'lb-frr-k8s',
  };
  const scenarios: Record<string, Scenario> = {};
  const started = async (name: string) => {
    const s = scenarios[name];
    if (!s) throw new Error(`scenario ${name} did not start`);
    await ready(s);
    return s;
  };

  beforeAll(async () => {
    // All at once: Prometheus start-up dominates, and the scenarios do not interact.
    const specs: [string, SimulatorOptions, ((c: ScrapeConfig[]) => ScrapeConfig[])?][] = [
      ['helm', { install: 'helm', bgpMode: 'frr-k8s' }],
      ['kustomize-relabelled', { install: 'kustomize', bgpMode: 'frr-k8s-relabelled' }],
      ['helm-frr', { install: 'helm', bgpMode: 'frr' }],
      ['multi', { install: 'helm', bgpMode: 'native', clusters: ['east', 'west'] }, (c) => relabelled(c, {}, 'k8s_cluster')],
      ['custom-jobs', { install: 'helm', bgpMode: 'frr-k8s' }, (c) => relabelled(c, customJobs)],
      [
        'layer2',
        { install: 'kustomize', bgpMode: 'native', kubeStateMetrics: false, clusterSpecs: [{ ...defaultCluster('kind'), peers: [] }] },
      ],
    ];
    const results = await Promise.allSettled(specs.map(([, opts, rewrite]) => startScenario(opts, rewrite)));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') scenarios[specs[i]?.[0] ?? ''] = r.value;
    });
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.all(Object.values(scenarios).flatMap((s) => [s.prom.stop(), s.sim.stop()]));
  });

  test('Helm install, FRR-K8s mode: the defaults see everything; the fix only narrows bgp.modes', async () => {
    const s = await started('helm');
    const result = await doctorOn(s);
    expect(jobsOf(result, 'controller')).toEqual(['metallb-controller-monitor-service']);
    expect(jobsOf(result, 'speaker')).toEqual(['metallb']);
    expect(jobsOf(result, 'frrK8s')).toEqual(['metallb-frr-k8s-frr-k8s-monitor-service']);
    expect(result.facts.bgpModes).toEqual(['frr-k8s']);
    expect(result.facts.bfd).toBe(true);
    expect(result.facts.cluster.detected).toBeUndefined();
    expect(result.facts.kubeStateMetrics.map((k) => k.job)).toEqual(['kube-state-metrics']);
    expect(result.facts.versionHints.join('\n')).toMatch(/9120: MetalLB >= 0\.16[\s\S]*9140[\s\S]*>= 0\.14/);
    expect(result.facts.downTargets).toEqual([]);
    expect(blindNames(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Native-only pending prefixes cannot apply without native mode: not applicable, not blind.
    expect(naAlerts(result.check)).toContain('MetalLBBGPPrefixesPending');
    expect(naAlerts(result.check)).not.toContain('MetalLBBGPSessionDown');
    expect(result.fix?.minimal).toEqual({ bgp: { modes: ['frr-k8s'] } });
    expect(result.recheck && blindItems(result.recheck)).toEqual([]);
  });

  test('kustomize install with the operator relabelling frr-k8s to metallb_*: relabelled mode, from the frr-k8s job', async () => {
    const s = await started('kustomize-relabelled');
    const result = await doctorOn(s);
    expect(jobsOf(result, 'controller')).toEqual(['controller-monitor-service']);
    expect(jobsOf(result, 'speaker')).toEqual(['speaker-monitor-service']);
    expect(jobsOf(result, 'frrK8s')).toEqual(['frr-k8s-metrics-service']);
    expect(result.facts.groups.find((g) => g.job === 'frr-k8s-metrics-service' && g.container === 'frr-metrics')?.metrics).toContain(
      'metallb_bgp_session_up',
    );
    expect(result.facts.bgpModes).toEqual(['frr-k8s-relabelled']);
    expect(blindNames(result)).toEqual([]);
    expect(result.fix?.minimal).toEqual({ bgp: { modes: ['frr-k8s-relabelled'] } });

    // A config written for the Helm/0.16 default (frr-k8s names) is blind here, by mode.
    const frrK8sOnly = resolveConfig({ bgp: { modes: ['frr-k8s'] } });
    const wrong = await doctorOn(s, frrK8sOnly);
    expect(wrong.exitCode).toBe(1);
    expect(blindNames(wrong, 'alert')).toEqual(expect.arrayContaining(['MetalLBBGPSessionDown', 'MetalLBBFDSessionDown']));
    const sessionDown = blindItems(wrong.check).find((i) => i.name === 'MetalLBBGPSessionDown');
    expect(sessionDown?.findings.map((f) => f.cause)).toEqual(['bgp-mode']);
    expect(rootCause(sessionDown?.findings[0]?.detail ?? '')).toBe(
      'bgp.modes has frr-k8s (frrk8s_bgp_*/frrk8s_bfd_* from the frr-k8s), which is not here; the BGP series here are mode frr-k8s-relabelled',
    );
    expect(wrong.recheck && blindItems(wrong.recheck)).toEqual([]);
  });

  test('Helm install, FRR mode: the sidecar shares the speaker job and is told apart by container', async () => {
    const s = await started('helm-frr');
    const [speaker] = s.sim.targetsOf('speaker');
    if (!speaker) throw new Error('no speaker target');
    s.sim.setTargetDown(speaker, true);
    await waitFor(
      async () => (await s.prom.queryVector(`up{instance="${speaker.labels['instance']}", container="speaker"} == 0`)).length > 0,
      { what: 'speaker down' },
    );
    const result = await doctorOn(s);
    expect(jobsOf(result, 'speaker')).toEqual(['metallb']);
    expect(jobsOf(result, 'frrMetrics')).toEqual(['metallb']);
    expect(result.facts.groups.filter((g) => g.job === 'metallb').map((g) => [g.container, g.components])).toEqual([
      ['frr-metrics', ['frrMetrics']],
      ['speaker', ['speaker']],
    ]);
    expect(result.facts.bgpModes).toEqual(['frr']);
    expect(result.facts.versionHints.join('\n')).toContain('9121');
    expect(result.facts.downTargets).toEqual([{ cluster: '', job: 'metallb', instance: speaker.labels['instance'] }]);
    // A down target is reported, but the alerts still see the other speakers.
    expect(blindNames(result)).toEqual([]);
    expect(result.fix?.minimal).toEqual({ bgp: { modes: ['frr'] } });

    // With the only controller down its series go stale: its alerts and panels are blind, and no
    // config can fix that.
    const [controller] = s.sim.targetsOf('controller');
    if (!controller) throw new Error('no controller target');
    s.sim.setTargetDown(controller, true);
    await waitFor(async () => (await s.prom.queryVector('count(metallb_allocator_addresses_total)')).length === 0, {
      what: 'controller series stale',
    });
    const down = await doctorOn(s);
    expect(down.exitCode).toBe(1);
    const downCauses = byCause(down.check);
    expect(downCauses.map(([cause]) => cause)).toEqual(['targets-down']);
    expect(names(downCauses[0]?.[1] ?? [])).toEqual(
      expect.arrayContaining(['MetalLBAddressPoolExhausted', 'MetalLBAddressPoolHeadroomLow']),
    );
    // The config alerts read controller `or` speakers: the speakers still feed them.
    expect(blindNames(down)).not.toContain('MetalLBConfigStale');
    expect(down.facts.downTargets.map((t) => t.job)).toEqual(['metallb', 'metallb-controller-monitor-service']);
    expect(down.fix?.changes.map((c) => c.path)).toEqual(['bgp.modes']);
  });

  test('multi-cluster under a custom cluster label: found, blind by cluster label with the default config, fixed', async () => {
    const s = await started('multi');
    const result = await doctorOn(s);
    expect(result.facts.cluster).toMatchObject({ configured: 'cluster', detected: 'k8s_cluster', values: ['east', 'west'] });
    expect(result.facts.bgpModes).toEqual(['native']);
    expect(result.facts.groups.filter((g) => g.components.includes('controller')).map((g) => g.cluster)).toEqual(['east', 'west']);
    const byClusterLabel = blindItems(result.check).filter((i) => i.findings.some((f) => f.cause === 'cluster-label'));
    expect(names(byClusterLabel)).toEqual(expect.arrayContaining(['MetalLBAddressPoolExhausted', 'MetalLBControllerDown']));
    expect(result.exitCode).toBe(1);
    expect(result.fix?.minimal).toEqual({ clusterLabel: 'k8s_cluster', showMultiCluster: true, bgp: { modes: ['native'] } });
    expect(result.recheck && blindItems(result.recheck)).toEqual([]);
    // Native mode: the pending-prefixes alert applies here; BFD, which native mode lacks, does not.
    expect(naAlerts(result.recheck ?? result.check)).not.toContain('MetalLBBGPPrefixesPending');
    const bfd = result.check.items.find((i) => i.name === 'MetalLBBFDSessionDown');
    expect(bfd?.state).toBe('na');
    expect(bfd?.findings.map((f) => rootCause(f.detail))).toContain(
      'only mode frr/frr-k8s/frr-k8s-relabelled emits it; the BGP series here are mode native',
    );

    // --cluster narrows every query to one cluster.
    const east = await doctorOn(s, result.fix?.config ?? defaultConfig(), 'east');
    expect(east.facts.scope).toEqual(['k8s_cluster="east"']);
    expect([...new Set(east.facts.groups.map((g) => g.cluster))]).toEqual(['east']);
    expect(east.exitCode).toBe(0);
    const nowhere = await doctorOn(s, defaultConfig(), 'north');
    expect(nowhere.problem).toContain('no MetalLB series found in cluster "north"');
  });

  test('custom job names and a wrong BGP mode: blind by job selector and mode; the written config fixes both (CLI)', async () => {
    const s = await started('custom-jobs');
    const dir = tempDir('doctor-fix');
    const userConfig = join(dir, 'mine.yaml');
    writeFileSync(userConfig, 'bgp:\n  modes: [native]\nthresholds:\n  bgpFlaps: 4\n');
    const written = join(dir, 'fixed.yaml');
    const run = await runCliAsync(['doctor', '--prometheus', s.prom.url, '--config', userConfig, '--write-config', written, '--json']);
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as {
      facts: { components: Record<string, { job: string }[]> };
      check: { blind: { name: string; causes: string[] }[] };
      recheck: { blind: unknown[] };
      fix: { writtenTo: string };
    };
    expect(report.facts.components['controller']?.map((c) => c.job)).toEqual(['lb-controller']);
    expect(report.facts.components['frrK8s']?.map((c) => c.job)).toEqual(['lb-frr-k8s', 'lb-frr-k8s']);
    const causes = Object.fromEntries(report.check.blind.map((b) => [b.name, b.causes]));
    expect(causes['MetalLBAddressPoolExhausted']).toEqual(['job-selector']);
    expect(causes['MetalLBConfigStale']).toEqual(['job-selector']);
    expect(causes['MetalLBBGPSessionDown']).toEqual(['bgp-mode']);
    expect(report.recheck.blind).toEqual([]);
    expect(report.fix.writtenTo).toBe(written);
    expect(run.stderr).toContain('checking');

    // The written file is minimal, keeps the user's own setting, and a fresh run with it is clean.
    const fixed = loadConfigFile(written);
    expect(fixed.selectors.controller).toBe('job="lb-controller"');
    expect(fixed.selectors.speaker).toBe('job="lb-speaker"');
    expect(fixed.selectors.frrK8s).toBe('job="lb-frr-k8s"');
    expect(fixed.bgp.modes).toEqual(['frr-k8s']);
    expect(fixed.thresholds.bgpFlaps).toBe(4);
    const text = readFileSync(written, 'utf8');
    expect(text).not.toContain('kubeStateMetrics');
    expect(text).not.toContain('frrMetrics');
    const again = await doctorOn(s, fixed);
    expect(blindItems(again.check)).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(again.fix?.changes).toEqual([]);
  });

  test('layer 2 only, no kube-state-metrics: BGP and joined alerts are not applicable, nothing is blind', async () => {
    const s = await started('layer2');
    const result = await doctorOn(s);
    expect(result.facts.bgpModes).toEqual([]);
    expect(result.facts.kubeStateMetrics).toEqual([]);
    expect(blindNames(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const na = naAlerts(result.check);
    expect(na).toEqual(
      expect.arrayContaining(['MetalLBBGPSessionDown', 'MetalLBBGPNoPrefixesAnnounced', 'MetalLBBFDSessionDown', 'MetalLBSpeakersMissing']),
    );
    const sessionDown = result.check.items.find((i) => i.name === 'MetalLBBGPSessionDown');
    expect(sessionDown?.findings.map((f) => rootCause(f.detail))).toContain('no BGP series at all: a layer 2 only cluster');
    // bgp.modes stays as configured: nothing tells which mode a future BGP peer will use.
    expect(result.fix?.changes).toEqual([]);
  });
});
