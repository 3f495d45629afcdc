import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
import { writeTree } from '../mixin/output/tree.js';
import { renderTests } from '../mixin/render/tests.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function buildInto(overrides: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'metallb-mixin-gentests-'));
  dirs.push(dir);
  writeTree(dir, generate(resolveConfig(overrides)).files);
  return dir;
}

async function promtoolTest(dir: string, only?: string): Promise<{ ok: boolean; output: string }> {
  const files = readdirSync(join(dir, 'tests'))
    .filter((f) => only === undefined || f === only)
    .map((f) => join(dir, 'tests', f));
  try {
    // A failing promtool leaves its test storage in TMPDIR: keep it in the build dir, removed after.
    const r = await run('promtool', ['test', 'rules', ...files], { env: { ...process.env, TMPDIR: dir } });
    return { ok: true, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const configs: Record<string, unknown> = {
  default: {},
  'regex and negative selectors': {
    selectors: {
      controller: 'job=~"lb-.+-ctl|other",namespace!="kube-system"',
      speaker: 'job="lb",container!~"frr.*|proxy"',
      frrMetrics: 'job="lb",container=~"frr.*"',
      frrK8s: 'job=~"[a-z]+-frr-k8s[0-9]*",namespace!~"kube-.*"',
      kubeStateMetrics: 'job=~"ksm|kube-state-metrics",instance!=""',
    },
  },
  'another cluster label, shown': { clusterLabel: 'k8s_cluster', showMultiCluster: true },
  'other thresholds and for durations': {
    thresholds: {
      poolUsage: { warning: 70.5, critical: 90 },
      poolFreeAddresses: 5,
      k8sUpdateErrorRatio: 0.1,
      bgpFlaps: 20,
      bgpFlapWindow: '10m',
    },
    alerts: {
      MetalLBConfigStale: { for: '20m' },
      MetalLBConfigNotLoaded: { for: '1m' },
      MetalLBBGPSessionDown: { for: '0s' },
      MetalLBBGPSessionFlapping: { for: '8m' },
      MetalLBAddressPoolUsageHigh: { for: '30m' },
    },
  },
  'native BGP only': { bgp: { modes: ['native'], nativePeerMatcher: 'peer=~".+:179"' } },
  'frr-k8s BGP only': { bgp: { modes: ['frr-k8s'] } },
  'a disabled alert, a severity override, excluded pools': {
    alerts: { MetalLBConfigStale: { enabled: false }, MetalLBConfigNotLoaded: { severity: 'critical' } },
    pools: { exclude: ['default', 'reserved-.+'] },
  },
  'extra alert labels, runbooks elsewhere, nodes without speakers': {
    alertLabels: { team: 'network', tier: 'infra' },
    runbookURLPattern: 'https://wiki.example.com/runbooks/%s',
    alerts: { MetalLBSpeakersMissing: { nodeMatchers: 'node!~"gpu-.*"' } },
  },
};

describe('the tests out/tests/*.yaml ships', () => {
  it('pass under promtool for the default and seven other configs', async () => {
    const results = await Promise.all(
      Object.entries(configs).map(async ([name, cfg]) => ({ name, ...(await promtoolTest(buildInto(cfg))) })),
    );
    for (const r of results)
      expect({ name: r.name, ok: r.ok, output: r.ok ? '' : r.output }).toEqual({ name: r.name, ok: true, output: '' });
    // Eight builds' tests, each evaluating every rule at every step: minutes on two busy cores.
  }, 600_000);

  it('test every enabled alert, firing and short of its threshold, and leave disabled alerts out', () => {
    const dir = buildInto(configs['a disabled alert, a severity override, excluded pools']);
    const text = readdirSync(join(dir, 'tests'))
      .map((f) => readFileSync(join(dir, 'tests', f), 'utf8'))
      .join('\n');
    const alerts = readFileSync(join(dir, 'prometheus_alerts.yaml'), 'utf8');
    const names = [...new Set([...alerts.matchAll(/- alert: (\w+)/g)].map((m) => m[1]))];
    expect(names).toHaveLength(24);
    for (const name of names) expect(text).toContain(`${name} fires in cluster-a only`);
    expect(text).not.toContain('MetalLBConfigStale');
    expect(text).toContain('severity: critical');
    for (const name of ['MetalLBAddressPoolExhausted', 'MetalLBAddressPoolUsageHigh', 'MetalLBK8sClientErrorsHigh'])
      expect(text).toContain(`${name} stays silent`);
    expect(text).toContain('excluded pool reserved-');
    expect(text).toContain('pool: pool-a');
  });

  it('test every recording rule with its exact series on two healthy clusters', () => {
    const dir = buildInto({ bgp: { modes: ['frr', 'native'] } });
    const rules = readFileSync(join(dir, 'prometheus_rules.yaml'), 'utf8');
    const records = new Set([...rules.matchAll(/- record: (\S+)/g)].map((m) => m[1]));
    const tested = new Set(
      readdirSync(join(dir, 'tests')).flatMap((f) =>
        [...readFileSync(join(dir, 'tests', f), 'utf8').matchAll(/- expr: (\S+)\n\s+eval_time/g)].map((m) => m[1]),
      ),
    );
    expect([...tested].sort()).toEqual([...records].sort());
    // FRR and native sessions peer with one router: one series per peer as each mode writes it, two sessions each.
    const bgp = readFileSync(join(dir, 'tests', 'metallb-bgp-slow-rules.yaml'), 'utf8');
    expect(bgp).toContain(
      'labels: cluster_peer_vrf:metallb_bgp_session_up:count{cluster="cluster-b",peer="10.0.0.1:179"}\n            value: 2',
    );
    expect(bgp).toContain(
      'labels: cluster_peer_vrf:metallb_bgp_session_up:count{cluster="cluster-b",peer="10.0.0.1",vrf="default"}\n            value: 2',
    );
  });

  it('refuse to build tests for an alert the scenario model cannot fire, or a record it cannot work out', () => {
    const cfg = resolveConfig({});
    const withRecord = generate(cfg).mixin;
    withRecord.prometheusRules.groups[0]!.rules.push({ record: 'cluster:something_new:sum', expr: 'sum by (cluster) (up)' });
    expect(() => renderTests(withRecord, cfg)).toThrow(/record cluster:something_new:sum has no expected series/);
    const { mixin } = generate(cfg);
    const group = mixin.prometheusAlerts.groups[0]!;
    group.rules.push({ ...group.rules[0]!, alert: 'MetalLBSomethingNew' });
    expect(() => renderTests(mixin, cfg)).toThrow(/MetalLBSomethingNew has no fault/);
  });

  it('fail when a built rule file disagrees with the config: a threshold or a selector edited by hand', async () => {
    const threshold = buildInto({});
    const alerts = join(threshold, 'prometheus_alerts.yaml');
    writeFileSync(alerts, readFileSync(alerts, 'utf8').replace('in_use:ratio > 0.85', 'in_use:ratio > 0.86'));
    const selector = buildInto({});
    const rules = join(selector, 'prometheus_rules.yaml');
    writeFileSync(rules, readFileSync(rules, 'utf8').replaceAll('job=~"(.+-)?controller-monitor-service"', 'job="controller"'));
    const forDuration = buildInto({});
    const alerts2 = join(forDuration, 'prometheus_alerts.yaml');
    writeFileSync(alerts2, readFileSync(alerts2, 'utf8').replace(/(alert: MetalLBBGPSessionDown\n\s+expr: .*\n\s+)for: 2m/, '$1for: 3m'));
    const [t, s, f] = await Promise.all([
      promtoolTest(threshold, 'metallb-pools.yaml'),
      promtoolTest(selector, 'metallb-pools.yaml'),
      promtoolTest(forDuration, 'metallb-bgp.yaml'),
    ]);
    expect(t.ok).toBe(false);
    expect(t.output).toContain('MetalLBAddressPoolUsageHigh fires');
    expect(s.ok).toBe(false);
    expect(s.output).toContain('MetalLBAddressPoolExhausted fires');
    expect(f.ok).toBe(false);
    expect(f.output).toContain('MetalLBBGPSessionDown fires');
  });
});
