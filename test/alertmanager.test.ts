import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inhibitions } from '../mixin/alertmanager/inhibitions.js';
import { generate } from '../mixin/build.js';
import { defaultConfig, resolveConfig } from '../mixin/config/load.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { alertsSection } from '../mixin/config/sections/alerts.js';
import type { InhibitRule } from '../mixin/render/alertmanager.js';
import type { Severity } from '../mixin/types.js';
import { AlertmanagerServer, WebhookSink, type AlertmanagerAlert } from './harness/alertmanager.js';
import { startPrometheus, waitFor, type PrometheusServer } from './harness/prometheus.js';
import { MetalLBSimulator } from './harness/simulator.js';
import { tempDir } from './helpers/cli.js';

interface AlertmanagerConfig {
  route: { receiver: string; group_wait?: string; group_interval?: string; repeat_interval?: string; routes?: unknown[] };
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
  inhibit_rules: InhibitRule[];
}

function alertmanagerFiles(cfg: MixinConfig): { dir: string; example: string; inhibit: string } {
  const { files } = generate(cfg);
  const dir = tempDir('alertmanager');
  const example = join(dir, 'alertmanager-example.yaml');
  const inhibit = join(dir, 'inhibit-rules.yaml');
  writeFileSync(example, files.get('alertmanager/alertmanager-example.yaml') ?? '');
  writeFileSync(inhibit, files.get('alertmanager/inhibit-rules.yaml') ?? '');
  return { dir, example, inhibit };
}

function amtool(...args: string[]): { status: number | null; stdout: string; output: string } {
  const run = spawnSync('amtool', args, { encoding: 'utf8' });
  expect(run.error, 'amtool must be installed (scripts/ensure-tools.sh)').toBeUndefined();
  return { status: run.status, stdout: run.stdout, output: `${run.stdout}${run.stderr}` };
}

/** The receivers of the example config, named here rather than taken from the code that writes them. */
const expectedReceiver: Readonly<Record<Severity, string>> = { critical: 'metallb-page', warning: 'metallb-ticket', info: 'metallb-log' };

/** Every emitted alert rule's name and severity. */
function emitted(cfg: MixinConfig): { alert: string; severity: Severity }[] {
  return generate(cfg).mixin.prometheusAlerts.groups.flatMap((g) =>
    g.rules.map((r) => ({ alert: r.alert, severity: r.labels['severity'] as Severity })),
  );
}

describe('Alertmanager files, checked by amtool 0.25', () => {
  const cfg = defaultConfig();
  const files = alertmanagerFiles(cfg);
  const example = parseYaml(readFileSync(files.example, 'utf8')) as AlertmanagerConfig;
  const inhibit = parseYaml(readFileSync(files.inhibit, 'utf8')) as Pick<AlertmanagerConfig, 'inhibit_rules'>;

  it('the example config passes amtool check-config, with every inhibit rule', () => {
    const run = amtool('check-config', files.example);
    expect(run.output).toContain('SUCCESS');
    expect(run.status).toBe(0);
    expect(run.output).toContain(` - ${example.inhibit_rules.length} inhibit rules`);
    expect(example.inhibit_rules.length).toBeGreaterThan(0);
  });

  it('inhibit-rules.yaml is valid pasted into a minimal config, and is what the example holds', () => {
    const minimal = join(files.dir, 'minimal.yaml');
    writeFileSync(minimal, stringify({ route: { receiver: 'null' }, receivers: [{ name: 'null' }], ...inhibit }));
    const run = amtool('check-config', minimal);
    expect(run.status, run.output).toBe(0);
    expect(inhibit.inhibit_rules).toEqual(example.inhibit_rules);
  });

  it('routes every MetalLB alert by its severity, and other alerts to the default receiver', () => {
    const alerts = emitted(cfg);
    expect(alerts.length).toBeGreaterThan(0);
    for (const { alert, severity } of alerts) {
      const run = amtool('config', 'routes', 'test', `--config.file=${files.example}`, `alertname=${alert}`, `severity=${severity}`);
      expect(run.status, run.output).toBe(0);
      expect(run.stdout.trim(), `${alert} (${severity})`).toBe(expectedReceiver[severity]);
    }
    expect(new Set(alerts.map((a) => a.severity))).toEqual(new Set(['critical', 'warning']));
    // No default alert is info, but a severity override may make one so.
    const info = amtool(
      'config',
      'routes',
      'test',
      `--config.file=${files.example}`,
      'alertname=MetalLBBGPPrefixesPending',
      'severity=info',
    );
    expect(info.stdout.trim()).toBe('metallb-log');
    const other = amtool(
      'config',
      'routes',
      'test',
      `--config.file=${files.example}`,
      'alertname=KubePodCrashLooping',
      'severity=critical',
    );
    expect(other.stdout.trim()).toBe('default');
    expect(example.receivers.map((r) => r.name).sort()).toEqual(['default', ...Object.values(expectedReceiver)].sort());
  });

  it('names only alerts of the mixin, and drops the side of a pair whose alerts a config disables', () => {
    const known = new Set(Object.keys(alertsSection.properties));
    for (const i of inhibitions) for (const a of [...i.source.alerts, ...i.targets.alerts]) expect(known).toContain(a);

    const emittedNames = new Set(emitted(cfg).map((a) => a.alert));
    const named = (rule: InhibitRule) =>
      [...rule.source_matchers, ...rule.target_matchers].flatMap((m) => m.match(/^alertname=~?"(.*)"$/)?.[1]?.split('|') ?? []);
    for (const rule of inhibit.inhibit_rules) for (const a of named(rule)) expect(emittedNames).toContain(a);

    const source = inhibitions[0]?.source.alerts[0] ?? 'MetalLBAddressPoolExhausted';
    const without = resolveConfig({ alerts: { [source]: { enabled: false } } });
    const rules = parseYaml(generate(without).files.get('alertmanager/inhibit-rules.yaml') ?? '') as Pick<
      AlertmanagerConfig,
      'inhibit_rules'
    >;
    for (const rule of rules.inhibit_rules) expect(named(rule)).not.toContain(source);
  });

  it('always compares the configured cluster label', () => {
    const rules = parseYaml(
      generate(resolveConfig({ clusterLabel: 'k8s_cluster' })).files.get('alertmanager/inhibit-rules.yaml') ?? '',
    ) as Pick<AlertmanagerConfig, 'inhibit_rules'>;
    expect(rules.inhibit_rules.length).toBeGreaterThan(0);
    for (const rule of rules.inhibit_rules) expect(rule.equal[0]).toBe('k8s_cluster');
  });
});

/**
 * Prometheus evaluates the generated rules against the simulated MetalLB of two clusters and sends
 * to a real Alertmanager running the generated example config, whose receivers post to a sink.
 */
describe('a real Prometheus sending to a real Alertmanager', () => {
  // Every alert fires as soon as its condition holds, so the scenario takes seconds.
  const cfg = resolveConfig({
    slowRulesInterval: '1s',
    mediumRulesInterval: '1s',
    alerts: Object.fromEntries(Object.keys(alertsSection.properties).map((a) => [a, { for: '0s' }])),
  });
  let sim: MetalLBSimulator;
  let sink: WebhookSink;
  let alertmanager: AlertmanagerServer;
  let prometheus: PrometheusServer;
  let exampleRules: InhibitRule[];

  beforeAll(async () => {
    const { files } = generate(cfg);
    const dir = tempDir('e2e-alertmanager');
    const ruleFiles = ['prometheus_alerts.yaml', 'prometheus_rules.yaml'].map((f) => {
      writeFileSync(join(dir, f), files.get(f) ?? '');
      return join(dir, f);
    });
    sink = await WebhookSink.start();
    const amConfig = parseYaml(files.get('alertmanager/alertmanager-example.yaml') ?? '') as AlertmanagerConfig;
    amConfig.route = { ...amConfig.route, group_wait: '1s', group_interval: '1s', repeat_interval: '1m' };
    for (const r of amConfig.receivers) r.webhook_configs = [{ url: `${sink.url}/${r.name}` }];
    exampleRules = amConfig.inhibit_rules;
    alertmanager = await AlertmanagerServer.start(stringify(amConfig));
    sim = await MetalLBSimulator.start({ clusters: ['east', 'west'] });
    prometheus = await startPrometheus({ scrapeConfigs: sim.scrapeConfigs(), ruleFiles, alertmanagerUrl: alertmanager.url });
    await prometheus.waitForTargetsUp(sim.targets().length);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await sink?.stop();
    await sim?.stop();
  });

  const pool = (a: AlertmanagerAlert, cluster: string, name: string) => a.labels['cluster'] === cluster && a.labels['pool'] === name;

  it('an exhausted pool pages once: the critical alert is active, its warnings arrive inhibited and are never notified', async () => {
    sim.fillPool('tenant-a', { cluster: 'east' });
    const alerts = await waitFor(
      async () => {
        const all = await alertmanager.alerts();
        const inPool = all.filter((a) => pool(a, 'east', 'tenant-a'));
        const critical = inPool.find((a) => a.labels['alertname'] === 'MetalLBAddressPoolExhausted');
        const warnings = inPool.filter((a) => a.labels['severity'] === 'warning');
        return critical && warnings.length > 0 && warnings.every((w) => w.status.state !== 'unprocessed')
          ? { critical, warnings, all }
          : undefined;
      },
      { timeoutMs: 60_000, what: 'MetalLBAddressPoolExhausted and a warning of pool tenant-a in Alertmanager' },
    );
    expect(alerts.critical.status.state).toBe('active');
    // The labels the rule compares name the pool on both sides, rather than being absent on both.
    const rule = exampleRules.find((r) => r.source_matchers.includes('alertname="MetalLBAddressPoolExhausted"'));
    expect(rule?.equal).toEqual(['cluster', 'pool', 'family']);
    for (const w of alerts.warnings) {
      for (const label of rule?.equal ?? []) {
        expect(alerts.critical.labels[label], label).toBeTruthy();
        expect(w.labels[label], label).toBe(alerts.critical.labels[label]);
      }
      expect(w.status.state, w.labels['alertname']).toBe('suppressed');
      expect(w.status.inhibitedBy).toContain(alerts.critical.fingerprint);
    }
    // The same pool of the other cluster is not full, so nothing of it is muted.
    expect(alerts.all.filter((a) => pool(a, 'west', 'tenant-a') && a.status.state === 'suppressed')).toEqual([]);

    await waitFor(() => sink.firing('metallb-page', 'MetalLBAddressPoolExhausted').length > 0, { what: 'the page for the exhausted pool' });
    const ticketed = sink.notifications
      .filter((n) => n.receiver === 'metallb-ticket')
      .flatMap((n) => n.alerts)
      .filter((a) => a.labels['cluster'] === 'east' && a.labels['pool'] === 'tenant-a');
    expect(ticketed).toEqual([]);
  });

  it('a BGP session that is down mutes its flapping warning on the same peer and pod', async () => {
    const peer = sim.state('east').spec.peers[0]?.address ?? '';
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Down, up, down again: two state changes make it flap, and it ends down.
    for (const up of [false, true, false]) {
      sim.setPeerSession('worker-1', peer, up, { cluster: 'east' });
      await sleep(2_500);
    }
    const onPeer = (a: AlertmanagerAlert) => a.labels['cluster'] === 'east' && (a.labels['peer'] ?? '').startsWith(peer);
    const found = await waitFor(
      async () => {
        const all = (await alertmanager.alerts()).filter(onPeer);
        const down = all.find((a) => a.labels['alertname'] === 'MetalLBBGPSessionDown');
        const flapping = all.find((a) => a.labels['alertname'] === 'MetalLBBGPSessionFlapping' && a.status.state !== 'unprocessed');
        return down && flapping ? { down, flapping } : undefined;
      },
      { timeoutMs: 60_000, what: 'MetalLBBGPSessionDown and MetalLBBGPSessionFlapping of the same peer in Alertmanager' },
    );
    expect(found.down.status.state).toBe('active');
    expect(found.flapping.status.state).toBe('suppressed');
    expect(found.flapping.status.inhibitedBy).toContain(found.down.fingerprint);
    const rule = exampleRules.find((r) => r.source_matchers.includes('alertname="MetalLBBGPSessionDown"'));
    for (const label of ['cluster', 'peer', 'instance', 'pod']) {
      expect(rule?.equal).toContain(label);
      expect(found.down.labels[label], label).toBeTruthy();
      expect(found.flapping.labels[label], label).toBe(found.down.labels[label]);
    }
    // While the session was briefly up again the flapping warning was rightly ticketed; once it is down, only the page goes out.
    await waitFor(() => sink.firing('metallb-page', 'MetalLBBGPSessionDown').length > 0, { what: 'the page for the session' });
  });
});
