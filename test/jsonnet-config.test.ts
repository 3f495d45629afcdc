import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
import { committedOut, runCli } from './helpers/cli.js';

// out/mixin.libsonnet with the _config+:: object that `config --jsonnet` prints must give the same
// alerts, rules and dashboards as `build` with the same config: every field jsonnet takes.

const work = mkdtempSync(join(tmpdir(), 'metallb-mixin-jsonnet-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small deterministic PRNG (mulberry32), so a failing random config can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomConfig(seed: number): Record<string, unknown> {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const warning = Math.round(r() * 8000) / 100 + 1;
  const alerts: Record<string, unknown> = {};
  for (const a of [
    'MetalLBBGPSessionDown',
    'MetalLBBGPSessionFlapping',
    'MetalLBAddressPoolExhausted',
    'MetalLBSpeakerDown',
    'MetalLBConfigStale',
    'MetalLBL2DuplicateAnnouncer',
  ]) {
    alerts[a] = {
      for: pick(['1m', '90s', '45m', '7m']),
      enabled: r() > 0.3,
      ...(r() > 0.5 ? { severity: pick(['info', 'critical']) } : {}),
    };
  }
  return {
    clusterLabel: pick(['k8s_cluster', 'region', 'cluster']),
    showMultiCluster: r() > 0.5,
    runbookURLPattern: pick(['https://wiki.example.com/Metal%20LB/%s', 'https://runbooks.example.com/%s?src=alert']),
    alertLabels: r() > 0.5 ? { team: pick(['network', 'sre']), page: 'yes' } : {},
    selectors: {
      controller: pick(['job="metallb-controller"', 'job=~"lb-.*",container="controller"']),
      speaker: pick(['job="metallb-speaker",container!="frr-metrics"', 'job!~"frr.*",app="speaker"']),
      kubeStateMetrics: pick(['job="ksm"', 'job=~"kube-state-metrics|ksm"']),
    },
    bgp: { nativePeerMatcher: pick(['peer=~".+:179"', '', 'peer!=""']) },
    pools: { exclude: r() > 0.5 ? [pick(['full-.*', 'dmz', 'a\\.b'])] : [] },
    thresholds: {
      poolUsage: { warning, critical: Math.min(100, warning + Math.round(r() * 1500) / 100 + 0.5) },
      poolFreeAddresses: 1 + Math.floor(r() * 20),
      k8sUpdateErrorRatio: pick([0.07, 0.001, 0.5, 0.123]),
      bgpFlaps: 1 + Math.floor(r() * 9),
      // Above every `for` picked above: the flapping alert's `for` must be shorter than its window.
      bgpFlapWindow: pick(['1h', '2h', '90m']),
    },
    alerts: { ...alerts, MetalLBSpeakersMissing: { nodeMatchers: pick(['', 'node!~"gpu-.*"']) } },
    dashboards: {
      titlePrefix: pick(['LB / ', '']),
      uidPrefix: pick(['lb-', 'x']),
      tags: pick([['metallb'], ['a', 'b']]),
      refresh: pick(['1m', '10s']),
      timezone: pick(['browser', 'Europe/Paris']),
      from: pick(['now-6h', 'now-24h']),
      datasource: { name: pick(['Prometheus', 'thanos']), regex: pick(['', '/prom.*/']) },
    },
  };
}

const configs: [string, Record<string, unknown>][] = [
  ['the defaults', {}],
  [
    'selectors, cluster label and multi-cluster display',
    {
      clusterLabel: 'k8s_cluster',
      showMultiCluster: true,
      selectors: {
        controller: 'job="lb-controller"',
        speaker: 'job="lb-speaker",container!="frr-metrics"',
        frrMetrics: 'job="lb-speaker",container="frr-metrics"',
        frrK8s: 'job=~"frr-k8s|frrk8s"',
        kubeStateMetrics: 'job="ksm",namespace!="test"',
      },
    },
  ],
  [
    'every threshold, with a ratio that JavaScript and jsonnet print differently',
    {
      thresholds: {
        poolUsage: { warning: 70.5, critical: 90 },
        poolFreeAddresses: 5,
        k8sUpdateErrorRatio: 0.07,
        bgpFlaps: 3,
        bgpFlapWindow: '30m',
      },
    },
  ],
  [
    'pool exclusions, node matchers and no native peer matcher',
    {
      pools: { exclude: ['full-.*', 'dmz'] },
      bgp: { nativePeerMatcher: '' },
      alerts: { MetalLBSpeakersMissing: { nodeMatchers: 'node!~"gpu-.*"' } },
    },
  ],
  [
    'disabled alerts, severity overrides and for durations',
    {
      alerts: {
        MetalLBBGPSessionFlapping: { enabled: false },
        MetalLBL2DuplicateAnnouncer: { enabled: false },
        MetalLBK8sClientErrorsHigh: { enabled: false },
        MetalLBBGPSessionDown: { for: '1m', severity: 'warning' },
        MetalLBSpeakerDown: { severity: 'critical', for: '1h' },
      },
    },
  ],
  [
    'every dashboard setting',
    {
      dashboards: {
        titlePrefix: 'Network / LB / ',
        uidPrefix: 'lb-',
        uids: { 'metallb-overview.json': 'abc123' },
        tags: ['network', 'metallb'],
        refresh: '1m',
        timezone: 'browser',
        from: 'now-6h',
        datasource: { name: 'thanos', regex: '/thanos-.*/' },
      },
    },
  ],
  [
    'alert labels and a runbook pattern with other % signs',
    { alertLabels: { team: 'network', page: 'yes' }, runbookURLPattern: 'https://wiki.example.com/Metal%20LB/%s' },
  ],
  ['random config, seed 1', randomConfig(1)],
  ['random config, seed 2', randomConfig(2)],
  ['random config, seed 3', randomConfig(3)],
];

function jsonnetMixin(overrideFile: string): unknown {
  const code = `local m = (import "mixin.libsonnet") + (import ${JSON.stringify(overrideFile)});
    { alerts: m.prometheusAlerts, rules: m.prometheusRules, dashboards: m.grafanaDashboards }`;
  const run = spawnSync('jsonnet', ['-J', committedOut, '-e', code], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('jsonnet _config gives what build --config gives', () => {
  it.each(configs)('%s', (name, overrides) => {
    const file = join(work, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(overrides));
    const printed = runCli(['config', '--jsonnet', '--config', file]);
    expect(printed.status, printed.stderr).toBe(0);
    const overrideFile = join(work, `${name.replace(/\W+/g, '-')}.jsonnet`);
    writeFileSync(overrideFile, printed.stdout);

    const { mixin } = generate(resolveConfig(overrides));
    const expected = JSON.parse(
      JSON.stringify({ alerts: mixin.prometheusAlerts, rules: mixin.prometheusRules, dashboards: mixin.grafanaDashboards }),
    );
    expect(jsonnetMixin(overrideFile)).toEqual(expected);
  });

  it.each([
    ['poolUsageWarning: 96', '_config.poolUsageWarning: must be below poolUsageCritical (95)'],
    ['speakerSelector: ""', '_config.speakerSelector: must be a non-empty selector'],
    ['alerts+: { MetalLBNoSuchAlert: { enabled: false } }', '_config.alerts.MetalLBNoSuchAlert: no such alert'],
    ['dashboardUIDs: { "metallb-nope.json": "x" }', '_config.dashboardUIDs.metallb-nope.json: no such dashboard'],
    [
      'alerts+: { MetalLBBGPSessionDown+: { severity: "page" } }',
      '_config.alerts.MetalLBBGPSessionDown.severity: must be critical, warning, info or null',
    ],
    [
      'alerts+: { MetalLBAddressPoolUsageHigh+: { severity: "warning" } }',
      '_config.alerts.MetalLBAddressPoolUsageHigh.severity: cannot be overridden',
    ],
    ['alerts+: { MetalLBBGPSessionDown+: { "for": "5 minutes" } }', '_config.alerts.MetalLBBGPSessionDown.for: must be a duration'],
    ['alerts+: { MetalLBBGPSessionDown: { enabled: false } }', '_config.alerts.MetalLBBGPSessionDown.for: missing'],
    ['clusterLabel: "job"', '_config.clusterLabel: the rules use job for something else'],
    ['alertLabels: { team: "{{ $value }}" }', '_config.alertLabels.team: a value that changes at every evaluation'],
    ['runbookURLPattern: "a%sb%s"', '_config.runbookURLPattern: must contain %s exactly once'],
    ['poolUsageWarning: "80"', '_config.poolUsageWarning: must be a number'],
    ['speakerSelector: \'job="${x}"\'', '_config.speakerSelector: must be a non-empty selector without $'],
    ['unknownField: 1', '_config.unknownField: unknown field'],
  ])('refuses %s, naming the field', (override, message) => {
    const code = `((import "mixin.libsonnet") + { _config+:: { ${override} } }).prometheusAlerts`;
    const run = spawnSync('jsonnet', ['-J', committedOut, '-e', code], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(message);
  });
});
