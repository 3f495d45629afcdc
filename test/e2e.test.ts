/**
 * End to end on the real Prometheus: the generated rules, with the default selectors and only the
 * `for` durations shortened through the config, evaluated against a simulated MetalLB whose target
 * labels are those of real installs. Two installations:
 *  A. Helm, FRR-K8s (the 0.16 default), one cluster: healthy → a pool fills up → it is drained →
 *     a BGP peer drops → it recovers.
 *  B. kustomize, three clusters with a `cluster` label, one per other BGP back-end (native, FRR
 *     sidecar, relabelled FRR-K8s): healthy → a pool fills in one cluster while a native peer drops
 *     in another → both recover.
 * In every healthy phase each recording rule and each dashboard query must return data; across
 * both installations nothing may stay blank.
 */
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import type { BgpMode } from '../mixin/catalogue.js';
import { generate, type Generated } from '../mixin/build.js';
import { defaultConfig, resolveConfig } from '../mixin/config/load.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import {
  AlertReceiver,
  MetalLBSimulator,
  Stack,
  alertKey,
  checkQuery,
  componentsFor,
  dashboardQueries,
  defaultCluster,
  expandVariables,
  resolveVariables,
  variableMap,
  waitFor,
  type ApiAlert,
  type BuiltinVariables,
  type InstallFacts,
  type QueryOutcome,
} from './harness/index.js';

/** Short enough to keep the test quick, long enough that a 250 ms poll always sees `pending`. */
const shortFor = '4s';
const shortForMs = 4_000;

/** Grafana's built-ins for a 60 s range drawn at 30 points; `$__rate_interval` as with a 15 s scrape setting. */
const builtins: BuiltinVariables = { __rate_interval: '1m', __interval: '2s', __interval_ms: '2000', __range: '60s', __range_s: '60' };
const dashboardWindow = 60;

/**
 * Dashboard queries that are empty in a healthy cluster by design, with the reason. Keyed by
 * `<dashboard file> › <panel>`. Keep this list short: every entry is a panel that is blank most of the time.
 */
const emptyWhenHealthy: Readonly<Record<string, string>> = {
  'metallb-overview.json › Firing MetalLB alerts': 'lists the MetalLB alerts firing now (ALERTS); nothing fires in a healthy cluster',
  'metallb-bgp-bfd.json › BGP session state per node and peer':
    'draws the sessions that were down, and every session of the node addresses chosen; none is down in a healthy cluster and none is chosen',
  'metallb-components.json › Pods with a configuration problem':
    'lists pods on a stale or missing configuration; none in a healthy cluster',
};

function e2eConfig(overrides: Record<string, unknown> = {}): MixinConfig {
  const alerts = Object.fromEntries(Object.keys(defaultConfig().alerts).map((name) => [name, { for: shortFor }]));
  // The slow groups run as often as the others here: the scenario takes seconds, not minutes.
  return resolveConfig({ slowRulesInterval: '1s', mediumRulesInterval: '1s', ...overrides, alerts });
}

function ruleFilesOf(generated: Generated): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of ['prometheus_alerts.yaml', 'prometheus_rules.yaml']) {
    const content = generated.files.get(name);
    if (content === undefined) throw new Error(`generate() produced no ${name}`);
    files.set(name, content);
  }
  return files;
}

/** An alert a phase expects: its labels (a subset of the real ones) and what its description must name. */
interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>> & { readonly alertname: string };
  readonly mentions: readonly string[];
}

const matches = (labels: Readonly<Record<string, string>>, e: ExpectedAlert) => Object.entries(e.labels).every(([k, v]) => labels[k] === v);

const describeExpected = (e: ExpectedAlert) => JSON.stringify(e.labels);

/** Every query's outcome per installation, for the cross-installation check at the end. */
const coverage = new Map<string, { install: string; outcome: QueryOutcome }[]>();

function note(key: string, install: string, outcome: QueryOutcome): void {
  const list = coverage.get(key) ?? [];
  list.push({ install, outcome });
  coverage.set(key, list);
}

function printLogOnFailure(stack: () => Stack | undefined): void {
  onTestFailed(() => {
    const s = stack();
    if (!s) return;
    console.error(`--- prometheus log (last 80 lines) ---\n${s.prom.log().split('\n').slice(-80).join('\n')}`);
    const seen = s.recorder.observationsSoFar().map((o) => `${o.phase} ${o.state} ${JSON.stringify(o.labels)}`);
    console.error(`--- alerts seen ---\n${[...new Set(seen)].join('\n')}`);
  });
}

/** Every rule loaded, and none failing to evaluate. */
async function assertRulesHealthy(stack: Stack, generated: Generated): Promise<void> {
  const expectedNames = [
    ...generated.mixin.prometheusAlerts.groups.flatMap((g) => g.rules.map((r) => r.alert)),
    ...generated.mixin.prometheusRules.groups.flatMap((g) => g.rules.map((r) => r.record)),
  ].sort();
  const groups = await stack.prom.rules();
  expect(groups.flatMap((g) => g.rules.map((r) => r.name)).sort()).toEqual(expectedNames);
  const unhealthy = groups
    .flatMap((g) => g.rules)
    .filter((r) => r.health !== 'ok')
    .map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
  expect(unhealthy).toEqual([]);
}

/** Each recording rule's output has series, or its inputs belong to a back-end the install does not run. */
async function assertRecordingRules(
  stack: Stack,
  cfg: MixinConfig,
  generated: Generated,
  install: string,
  facts: InstallFacts,
): Promise<void> {
  const end = Date.now() / 1000;
  const problems: string[] = [];
  for (const rule of generated.mixin.prometheusRules.groups.flatMap((g) => g.rules)) {
    let outcome = await checkQuery(stack.prom, rule.record, { cfg, facts, instant: true, end, window: dashboardWindow });
    // The output is empty: classify by the rule's own expression (which back-end it reads).
    if (outcome.status !== 'data')
      outcome = await checkQuery(stack.prom, rule.expr, { cfg, facts, instant: true, end, window: dashboardWindow });
    note(`rule ${rule.record} ${JSON.stringify(rule.labels ?? {})}`, install, outcome);
    if (outcome.status === 'empty') problems.push(`${rule.record}: ${outcome.reason}`);
  }
  expect(problems).toEqual([]);
}

/** Each dashboard query, with its variables expanded as Grafana would for `cluster`, returns data. */
async function assertDashboards(
  stack: Stack,
  cfg: MixinConfig,
  generated: Generated,
  install: string,
  facts: InstallFacts,
  select: Record<string, string> = {},
): Promise<number> {
  const end = Date.now() / 1000;
  const problems: string[] = [];
  const records = new Map(generated.mixin.prometheusRules.groups.flatMap((g) => g.rules.map((r) => [r.record, r.expr] as const)));
  let checked = 0;
  for (const [file, dashboard] of Object.entries(generated.mixin.grafanaDashboards)) {
    const variables = variableMap(
      builtins,
      await resolveVariables(dashboard, stack.prom, builtins, { end, window: dashboardWindow }, select),
    );
    for (const q of dashboardQueries(file, dashboard)) {
      const expr = expandVariables(q.expr, variables);
      const key = `${file} › ${q.panel} › ${q.refId}`;
      let outcome: QueryOutcome;
      try {
        outcome = await checkQuery(stack.prom, expr, { cfg, facts, records, instant: q.instant, end, window: dashboardWindow });
      } catch (err) {
        problems.push(`${key}: ${(err as Error).message}\n    ${expr}`);
        continue;
      }
      checked++;
      // A panel that says what to show for no data (a stat showing "0" sessions down) is not blank,
      // provided every selector it reads has data: then "no data" really means "none".
      const shownAsNoValue = outcome.status === 'empty' && outcome.blind.length === 0 && q.noValue !== undefined;
      note(key, install, shownAsNoValue ? { status: 'data', series: 0 } : outcome);
      if (outcome.status === 'empty' && !shownAsNoValue && !emptyWhenHealthy[`${file} › ${q.panel}`]) {
        problems.push(`${key}: ${outcome.reason}\n    ${expr}`);
      }
    }
  }
  expect(problems).toEqual([]);
  return checked;
}

/** One step of a scenario, written so that it does not depend on the step before it having passed. */
interface Phase {
  readonly name: string;
  /** Puts the simulator in the state this phase starts from (idempotent: a no-op after the step before passed). */
  readonly setup: () => void;
  /** The alerts firing in that state. */
  readonly from: readonly ExpectedAlert[];
  readonly apply: () => void;
  readonly expect: readonly ExpectedAlert[];
}

/**
 * Drive one phase: reach its starting state (exactly its `from` alerts firing), apply the change,
 * wait until exactly the expected alerts fire and the others of `from` are resolved, then check
 * transitions, rendered annotations, notifications, and that no other alert became active at any
 * point of the phase. Each phase reaches its own starting state, so a failed phase does not fail
 * the next ones, nor hide their result.
 */
async function runPhase(stack: Stack, phase: Phase): Promise<void> {
  const { prom, recorder, receiver } = stack;
  recorder.phase(`${phase.name} (setup)`);
  phase.setup();
  await waitFor(
    async () => {
      const firingNow = (await prom.alerts()).filter((a) => a.state === 'firing');
      const allFrom = phase.from.every((e) => firingNow.some((a) => matches(a.labels, e)));
      const onlyFrom = firingNow.every((a) => phase.from.some((e) => matches(a.labels, e)));
      return allFrom && onlyFrom;
    },
    {
      timeoutMs: 30_000,
      what: `phase ${phase.name} to start from ${phase.from.map(describeExpected).join(', ') || 'no alert'} firing, and nothing else`,
    },
  );
  recorder.phase(phase.name);
  const startedAt = Date.now();
  phase.apply();
  const leaving = phase.from.filter((p) => !phase.expect.some((e) => describeExpected(e) === describeExpected(p)));

  const firing = await waitFor(
    async () => {
      const active = await prom.alerts();
      const firingNow = active.filter((a) => a.state === 'firing');
      const allFiring = phase.expect.every((e) => firingNow.some((a) => matches(a.labels, e)));
      const allGone = leaving.every((e) => !active.some((a) => matches(a.labels, e)));
      return allFiring && allGone ? firingNow : undefined;
    },
    {
      timeoutMs: 30_000,
      what: `phase ${phase.name}: ${phase.expect.map(describeExpected).join(', ') || 'no alert'} firing, ${leaving.map(describeExpected).join(', ') || 'nothing'} resolved`,
    },
  );
  // Stay long enough that an alert which should not fire would at least have gone pending.
  const dwell = startedAt + shortForMs + 2_000 - Date.now();
  if (dwell > 0) await new Promise((r) => setTimeout(r, dwell));

  for (const e of phase.expect) {
    const instances = firing.filter((a) => matches(a.labels, e));
    expect(instances, `exactly one instance of ${describeExpected(e)}`).toHaveLength(1);
    const alert = instances[0] as ApiAlert;
    // The recorder polls on its own clock: when the wait above took longer than the dwell, its
    // last poll may predate the firing state that wait saw. Let it catch up before reading it.
    await waitFor(() => recorder.transitions(alert.labels, phase.name).at(-1) === 'firing', {
      what: `the recorder to see ${describeExpected(e)} firing`,
      timeoutMs: 5_000,
    });
    expect(recorder.transitions(alert.labels, phase.name).slice(-2), `${describeExpected(e)} goes pending, then firing`).toEqual([
      'pending',
      'firing',
    ]);
    assertRendered(alert.labels, alert.annotations, e);
    const sent = await waitFor(
      () => receiver.of(alert.labels['alertname'] ?? '', startedAt).find((r) => alertKey(r.labels) === alertKey(alert.labels)),
      {
        what: `${describeExpected(e)} sent to the Alertmanager`,
        timeoutMs: 10_000,
      },
    );
    expect(AlertReceiver.isResolved(sent)).toBe(false);
    expect(sent.annotations).toEqual(alert.annotations);
  }
  for (const e of leaving) {
    await waitFor(() => receiver.of(e.labels.alertname, startedAt).some((r) => matches(r.labels, e) && AlertReceiver.isResolved(r)), {
      what: `${describeExpected(e)} resolved at the Alertmanager`,
      timeoutMs: 10_000,
    });
  }

  // Two targets scraped a moment apart can make a join briefly true (kube-state-metrics lists a new
  // address before the speaker's next scrape shows it announced): that stays pending, which is what
  // `for` is for. Unexpected alerts must never fire, and none may still be active at the end.
  const allowed = [...phase.expect, ...leaving];
  const unexpected = recorder.observations(phase.name).filter((o) => !allowed.some((e) => matches(o.labels, e)));
  expect(
    [...new Set(unexpected.filter((o) => o.state === 'firing').map((o) => JSON.stringify(o.labels)))],
    'unexpected alerts fired',
  ).toEqual([]);
  const stillActive = (await prom.alerts()).filter((a) => !phase.expect.some((e) => matches(a.labels, e)));
  expect(
    stillActive.map((a) => `${a.state} ${JSON.stringify(a.labels)}`),
    'unexpected alerts active at the end of the phase',
  ).toEqual([]);
}

function assertRendered(labels: Record<string, string>, annotations: Record<string, string>, e: ExpectedAlert): void {
  const name = e.labels.alertname;
  expect(annotations['summary'], `${name} summary`).toMatch(/^[A-Z].*\.$/);
  const description = annotations['description'] ?? '';
  for (const text of e.mentions) expect(description, `${name} description names ${text}`).toContain(text);
  expect(description).not.toMatch(/<no value>|\{\{|\}\}|\(\)|\s{2}/);
  expect(annotations['runbook_url']).toBe(
    `https://github.com/metallb-mixin/metallb-mixin/blob/main/docs/runbooks.md#${name.toLowerCase()}`,
  );
  expect(labels['severity']).toMatch(/^(warning|critical)$/);
}

/** What a pool filled to the last address raises, with the default thresholds (85% and 95%). */
function poolFullAlerts(pool: string, extra: Record<string, string>, mentions: readonly string[]): ExpectedAlert[] {
  const base = { pool, family: 'ipv4', ...extra };
  return [
    { labels: { alertname: 'MetalLBAddressPoolExhausted', severity: 'critical', ...base }, mentions: [pool, 'ipv4', ...mentions] },
    { labels: { alertname: 'MetalLBAddressPoolUsageHigh', severity: 'warning', ...base }, mentions: [pool, '85%', ...mentions] },
    { labels: { alertname: 'MetalLBAddressPoolUsageHigh', severity: 'critical', ...base }, mentions: [pool, '95%', ...mentions] },
    { labels: { alertname: 'MetalLBAddressPoolHeadroomLow', severity: 'warning', ...base }, mentions: [pool, ...mentions] },
  ];
}

/** One outage and recovery is two state changes: a flap by the default threshold of 2. */
function flapAlerts(session: Record<string, string>, mentions: readonly string[]): ExpectedAlert[] {
  return [{ labels: { alertname: 'MetalLBBGPSessionFlapping', severity: 'warning', ...session }, mentions }];
}

describe('end to end A: Helm install, FRR-K8s BGP, one cluster', () => {
  const install = 'helm/frr-k8s';
  const mode: BgpMode = 'frr-k8s';
  const cfg = e2eConfig();
  const generated = generate(cfg);
  const facts: InstallFacts = { modes: [mode], components: componentsFor([mode]) };
  let sim: MetalLBSimulator | undefined;
  let stack: Stack | undefined;

  beforeAll(async () => {
    sim = await MetalLBSimulator.start({ install: 'helm', bgpMode: mode, clusters: ['kind'] });
    stack = await Stack.start([sim], { ruleFiles: ruleFilesOf(generated), firstPhase: 'healthy' });
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
  });
  const ready = () => {
    printLogOnFailure(() => stack);
    if (!stack || !sim) throw new Error('the stack did not start');
    return { stack, sim };
  };

  test('every rule loads and evaluates without error', async () => {
    const { stack } = ready();
    await assertRulesHealthy(stack, generated);
  });

  test('healthy: every recording rule yields series', async () => {
    const { stack } = ready();
    await assertRecordingRules(stack, cfg, generated, install, facts);
  });

  test('healthy: every dashboard query returns data', async () => {
    const { stack } = ready();
    expect(await assertDashboards(stack, cfg, generated, install, facts)).toBeGreaterThan(0);
  });

  test('healthy: no alert is pending or firing', async () => {
    const { stack } = ready();
    // Long enough for any alert whose condition holds to have gone pending and then fired.
    const wait = stack.rulesLoadedAt + shortForMs + 2_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(stack.recorder.observations('healthy').map((o) => `${o.state} ${JSON.stringify(o.labels)}`)).toEqual([]);
  });

  const poolFull = poolFullAlerts('tenant-a', {}, []);

  /** The session that drops: worker-1's to the first peer, and the alerts it raises. */
  const peerOutage = (sim: MetalLBSimulator) => {
    const node = sim.state().spec.nodes.find((n) => n.name === 'worker-1');
    const peer = sim.state().spec.peers[0];
    if (!node || !peer) throw new Error('topology lacks worker-1 or a peer');
    const pod = sim.pods('worker-1').frrK8s;
    const session = { peer: peer.address, vrf: peer.vrf, pod, instance: `${node.ip}:9141`, job: sim.jobs().frrK8s };
    const alerts: ExpectedAlert[] = [
      { labels: { alertname: 'MetalLBBGPSessionDown', severity: 'critical', ...session }, mentions: [pod, peer.address, node.ip] },
      { labels: { alertname: 'MetalLBBFDSessionDown', severity: 'warning', ...session }, mentions: [pod, peer.address] },
    ];
    return { peer, session, alerts };
  };
  /** Every pool drained and every session up. */
  const healthy = (sim: MetalLBSimulator) => () => {
    sim.drainPool('tenant-a');
    for (const p of sim.state().spec.peers) sim.setPeerSession('worker-1', p.address, true);
  };

  test('a pool fills up: exhaustion, usage (warning and critical) and headroom alerts fire', async () => {
    const { stack, sim } = ready();
    await runPhase(stack, { name: 'pool-full', setup: healthy(sim), from: [], apply: () => sim.fillPool('tenant-a'), expect: poolFull });
  });

  test('the pool is drained: its alerts resolve', async () => {
    const { stack, sim } = ready();
    await runPhase(stack, {
      name: 'pool-drained',
      setup: () => sim.fillPool('tenant-a'),
      from: poolFull,
      apply: () => sim.drainPool('tenant-a'),
      expect: [],
    });
  });

  test('a BGP peer drops: the BGP and BFD session alerts fire for that peer only', async () => {
    const { stack, sim } = ready();
    const { peer, alerts } = peerOutage(sim);
    await runPhase(stack, {
      name: 'peer-down',
      setup: healthy(sim),
      from: [],
      apply: () => sim.setPeerSession('worker-1', peer.address, false),
      expect: alerts,
    });
  });

  test('the peer recovers: the session alerts resolve (and the outage counts as a flap)', async () => {
    const { stack, sim } = ready();
    const { peer, session, alerts } = peerOutage(sim);
    await runPhase(stack, {
      name: 'peer-recovered',
      setup: () => {
        sim.drainPool('tenant-a');
        sim.setPeerSession('worker-1', peer.address, false);
      },
      from: alerts,
      apply: () => sim.setPeerSession('worker-1', peer.address, true),
      expect: flapAlerts(session, [session.pod, peer.address]),
    });
  });
});

describe('end to end B: kustomize install, three clusters (native, FRR, relabelled FRR-K8s)', () => {
  const install = 'kustomize/multi';
  const cfg = e2eConfig({ showMultiCluster: true });
  const generated = generate(cfg);
  const clusters: readonly { name: string; mode: BgpMode }[] = [
    { name: 'east', mode: 'native' },
    { name: 'west', mode: 'frr' },
    { name: 'south', mode: 'frr-k8s-relabelled' },
  ];
  const sims: MetalLBSimulator[] = [];
  let stack: Stack | undefined;

  beforeAll(async () => {
    for (const [i, c] of clusters.entries()) {
      sims.push(
        await MetalLBSimulator.start({
          install: 'kustomize',
          bgpMode: c.mode,
          clusterSpecs: [defaultCluster(c.name, i)],
          clusterLabel: true,
        }),
      );
    }
    stack = await Stack.start(sims, { ruleFiles: ruleFilesOf(generated), firstPhase: 'healthy' });
  });
  afterAll(async () => {
    await stack?.stop();
    for (const sim of sims) await sim.stop();
  });
  const ready = () => {
    printLogOnFailure(() => stack);
    if (!stack || sims.length !== clusters.length) throw new Error('the stack did not start');
    return { stack, east: sims[0] as MetalLBSimulator, west: sims[1] as MetalLBSimulator };
  };
  const allModes = clusters.map((c) => c.mode);

  test('every rule loads and evaluates without error', async () => {
    const { stack } = ready();
    await assertRulesHealthy(stack, generated);
  });

  test('healthy: every recording rule yields series', async () => {
    const { stack } = ready();
    await assertRecordingRules(stack, cfg, generated, install, { modes: allModes, components: componentsFor(allModes) });
  });

  test.each(clusters)('healthy: every dashboard query returns data for cluster $name ($mode)', async ({ name, mode }) => {
    const { stack } = ready();
    const facts: InstallFacts = { modes: [mode], components: componentsFor([mode]) };
    const select = cfg.showMultiCluster ? { [cfg.clusterLabel]: name } : {};
    expect(await assertDashboards(stack, cfg, generated, `kustomize/${mode}`, facts, select)).toBeGreaterThan(0);
  });

  test('healthy: no alert is pending or firing', async () => {
    const { stack } = ready();
    const wait = stack.rulesLoadedAt + shortForMs + 2_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(stack.recorder.observations('healthy').map((o) => `${o.state} ${JSON.stringify(o.labels)}`)).toEqual([]);
  });

  /** West's pool full and east's native session of worker-2 to the second peer down, and the alerts they raise. */
  const degradation = (east: MetalLBSimulator) => {
    const node = east.state().spec.nodes.find((n) => n.name === 'worker-2');
    const peer = east.state().spec.peers[1];
    if (!node || !peer) throw new Error('topology lacks worker-2 or a second peer');
    const pod = east.pods('worker-2').speaker;
    const session = { cluster: 'east', peer: `${peer.address}:${peer.port}`, pod, instance: `${node.ip}:9120`, job: east.jobs().speaker };
    const alerts: ExpectedAlert[] = [
      ...poolFullAlerts('tenant-a', { cluster: 'west' }, ['west']),
      {
        labels: { alertname: 'MetalLBBGPSessionDown', severity: 'critical', ...session },
        mentions: [pod, `${peer.address}:${peer.port}`, 'east'],
      },
    ];
    return { peer, session, alerts };
  };

  test('a pool fills in one cluster while a native peer drops in another: only their alerts fire, each with its cluster', async () => {
    const { stack, east, west } = ready();
    const { peer, alerts } = degradation(east);
    await runPhase(stack, {
      name: 'degraded',
      setup: () => {
        west.drainPool('tenant-a');
        east.setPeerSession('worker-2', peer.address, true);
      },
      from: [],
      apply: () => {
        west.fillPool('tenant-a');
        east.setPeerSession('worker-2', peer.address, false);
      },
      expect: alerts,
    });
  });

  test('both recover: their alerts resolve', async () => {
    const { stack, east, west } = ready();
    const { peer, session, alerts } = degradation(east);
    await runPhase(stack, {
      name: 'recovered',
      setup: () => {
        west.fillPool('tenant-a');
        east.setPeerSession('worker-2', peer.address, false);
      },
      from: alerts,
      apply: () => {
        west.drainPool('tenant-a');
        east.setPeerSession('worker-2', peer.address, true);
      },
      expect: flapAlerts(session, [session.pod, session.peer, 'east']),
    });
  });
});

describe('end to end: coverage across installations', () => {
  test('every dashboard query and recording rule returned data in at least one installation', () => {
    expect(coverage.size).toBeGreaterThan(0);
    const neverData = [...coverage]
      .filter(
        ([key, runs]) => !runs.some((r) => r.outcome.status === 'data') && !emptyWhenHealthy[key.split(' › ').slice(0, 2).join(' › ')],
      )
      .map(
        ([key, runs]) =>
          `${key}: ${runs.map((r) => `${r.install}: ${r.outcome.status === 'data' ? 'data' : r.outcome.reason}`).join(' | ')}`,
      );
    expect(neverData).toEqual([]);
  });
});
