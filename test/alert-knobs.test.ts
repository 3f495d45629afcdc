import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
import { tempDir } from './helpers/cli.js';
import { issuesOf } from './helpers/config.js';

// The promtool files under test/promtool/ run against out/, built with the default config. The
// knobs that only change the output when set are proven here: build with them, then let promtool
// evaluate the result.

const controller =
  'job="metallb-controller-monitor-service",namespace="metallb-system",pod="metallb-controller-6d5f7c9b8-q2w4e",instance="10.244.1.5:9120"';
const ksm = 'job="kube-state-metrics",instance="10.244.0.9:8080"';

/** A full pool (IPv4 only) as the allocator reports it. */
const fullPool = (pool: string) => [
  { series: `metallb_allocator_ipv4_addresses_total{${controller},pool="${pool}"}`, values: '4x20' },
  { series: `metallb_allocator_ipv4_addresses_in_use_total{${controller},pool="${pool}"}`, values: '4x20' },
  { series: `metallb_allocator_ipv6_addresses_total{${controller},pool="${pool}"}`, values: '0x20' },
  { series: `metallb_allocator_ipv6_addresses_in_use_total{${controller},pool="${pool}"}`, values: '0x20' },
];

/** A Ready node, and optionally the speaker pod Prometheus scrapes on it. */
const node = (name: string, speaker: boolean) => [
  { series: `kube_node_info{${ksm},node="${name}"}`, values: '1x20' },
  { series: `kube_node_status_condition{${ksm},node="${name}",condition="Ready",status="true"}`, values: '1x20' },
  ...(speaker
    ? [
        {
          series: `up{job="metallb",namespace="metallb-system",container="speaker",pod="metallb-speaker-${name}",instance="${name}:9120"}`,
          values: '1x20',
        },
        {
          series: `kube_pod_info{${ksm},namespace="metallb-system",pod="metallb-speaker-${name}",node="${name}",created_by_kind="DaemonSet"}`,
          values: '1x20',
        },
      ]
    : []),
];

/**
 * Build with `overrides`, then have promtool check that at 20m exactly `firing` alerts fire (by
 * their labels; ALERTS carries no annotations, which the files under test/promtool/ check).
 */
function runPromtool(
  overrides: unknown,
  inputSeries: object[],
  firing: Record<string, string>[],
): { status: number | null; output: string } {
  const { files } = generate(resolveConfig(overrides));
  const dir = tempDir('knobs');
  mkdirSync(join(dir, 'out'));
  for (const name of ['prometheus_alerts.yaml', 'prometheus_rules.yaml']) writeFileSync(join(dir, 'out', name), files.get(name) ?? '');
  const labelText = (labels: Record<string, string>) =>
    Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
  const test = {
    rule_files: ['out/prometheus_alerts.yaml', 'out/prometheus_rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: inputSeries,
        promql_expr_test: [
          {
            expr: 'ALERTS{alertstate="firing"}',
            eval_time: '20m',
            exp_samples: firing.map((labels) => ({ labels: `ALERTS{alertstate="firing",${labelText(labels)}}`, value: 1 })),
          },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'test.yaml'), stringify(test));
  const run = spawnSync('promtool', ['test', 'rules', join(dir, 'test.yaml')], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('alert knobs', () => {
  it('pools.exclude silences every pool alert of the matching pools only (anchored)', () => {
    const series = [...fullPool('reserved-dns'), ...fullPool('public'), ...fullPool('public-reserved-x')];
    const alerts = (pool: string) => [
      { alertname: 'MetalLBAddressPoolExhausted', severity: 'critical', pool, family: 'ipv4' },
      { alertname: 'MetalLBAddressPoolUsageHigh', severity: 'warning', pool, family: 'ipv4' },
      { alertname: 'MetalLBAddressPoolUsageHigh', severity: 'critical', pool, family: 'ipv4' },
      { alertname: 'MetalLBAddressPoolHeadroomLow', severity: 'warning', pool, family: 'ipv4' },
    ];
    const excluded = runPromtool({ pools: { exclude: ['reserved-.*'] } }, series, [...alerts('public'), ...alerts('public-reserved-x')]);
    expect(excluded.output).toContain('SUCCESS');
    expect(excluded.status, excluded.output).toBe(0);
    const all = runPromtool({}, series, [...alerts('public'), ...alerts('public-reserved-x'), ...alerts('reserved-dns')]);
    expect(all.status, all.output).toBe(0);
  });

  it('alerts.MetalLBSpeakersMissing.nodeMatchers limits the nodes that must run a speaker', () => {
    const series = [
      { series: `up{${controller}}`, values: '1x20' },
      ...node('node-a', true),
      ...node('node-b', false),
      ...node('gpu-1', false),
    ];
    const missing = (n: string) => ({ alertname: 'MetalLBSpeakersMissing', severity: 'warning', node: n });
    const limited = runPromtool({ alerts: { MetalLBSpeakersMissing: { nodeMatchers: 'node!~"gpu-.*"' } } }, series, [missing('node-b')]);
    expect(limited.status, limited.output).toBe(0);
    const all = runPromtool({}, series, [missing('gpu-1'), missing('node-b')]);
    expect(all.status, all.output).toBe(0);
  });

  it('thresholds reach the expressions and the descriptions', () => {
    const { mixin } = generate(resolveConfig({ thresholds: { poolUsage: { warning: 70, critical: 90 }, poolFreeAddresses: 5 } }));
    const rules = mixin.prometheusAlerts.groups.flatMap((g) => g.rules);
    const usage = rules.filter((r) => r.alert === 'MetalLBAddressPoolUsageHigh');
    expect(usage.map((r) => [r.labels['severity'], r.expr])).toEqual([
      ['warning', 'cluster_pool_family:metallb_allocator_addresses_in_use:ratio > 0.7'],
      ['critical', 'cluster_pool_family:metallb_allocator_addresses_in_use:ratio > 0.9'],
    ]);
    expect(usage[0]?.annotations['description']).toContain('above the 70% threshold');
    expect(
      rules
        .find((r) => r.alert === 'MetalLBAddressPoolHeadroomLow')
        ?.expr.trim()
        .endsWith('< 5'),
    ).toBe(true);
  });

  it('rejects a flapping `for` a single flap cannot outlast, and malformed node matchers', () => {
    expect(issuesOf({ alerts: { MetalLBBGPSessionFlapping: { for: '15m' } } })).toEqual([
      'alerts.MetalLBBGPSessionFlapping.for: must be shorter than thresholds.bgpFlapWindow (15m), or a single flap can never fire',
    ]);
    expect(issuesOf({ alerts: { MetalLBBGPSessionFlapping: { for: '15m' } }, thresholds: { bgpFlapWindow: '30m' } })).toEqual([]);
    expect(issuesOf({ alerts: { MetalLBSpeakersMissing: { nodeMatchers: 'node=gpu' } } })).toEqual([
      'alerts.MetalLBSpeakersMissing.nodeMatchers: not a valid label matcher list: node=gpu',
    ]);
  });
});
