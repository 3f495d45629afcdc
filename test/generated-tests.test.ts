import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
import { writeTree } from '../mixin/output/tree.js';

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

async function promtoolTest(dir: string): Promise<{ ok: boolean; output: string }> {
  const files = readdirSync(join(dir, 'tests')).map((f) => join(dir, 'tests', f));
  try {
    const r = await run('promtool', ['test', 'rules', ...files]);
    return { ok: true, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const configs: Record<string, unknown> = {
  default: {},
  'regex and negative selectors': {
    selectors: { controller: 'job=~"lb-.+-ctl|other",namespace!="kube-system"', speaker: 'job="lb",container!~"frr.*|proxy"' },
  },
  'another cluster label': { clusterLabel: 'k8s_cluster' },
  'longer for': { alerts: { MetalLBConfigStale: { for: '20m' }, MetalLBConfigNotLoaded: { for: '1m' } } },
  'BGP modes subset': { bgp: { modes: ['frr-k8s'] } },
  'a disabled alert and a severity override': {
    alerts: { MetalLBConfigStale: { enabled: false }, MetalLBConfigNotLoaded: { severity: 'critical' } },
  },
  'extra alert labels': { alertLabels: { team: 'network', tier: 'infra' } },
};

describe('the tests out/tests/*.yaml ships', () => {
  it('pass under promtool for the default and six other configs', async () => {
    const results = await Promise.all(
      Object.entries(configs).map(async ([name, cfg]) => ({ name, ...(await promtoolTest(buildInto(cfg))) })),
    );
    for (const r of results)
      expect({ name: r.name, ok: r.ok, output: r.ok ? '' : r.output }).toEqual({ name: r.name, ok: true, output: '' });
  });

  it('a disabled alert has no test, a severity override is expected', () => {
    const dir = buildInto(configs['a disabled alert and a severity override']);
    const text = readFileSync(join(dir, 'tests', 'metallb-config.yaml'), 'utf8');
    expect(text).not.toContain('MetalLBConfigStale');
    expect(text).toContain('severity: critical');
  });

  it('fail when a built rule file disagrees with the config: a threshold or a selector edited by hand', async () => {
    const threshold = buildInto({});
    const alerts = join(threshold, 'prometheus_alerts.yaml');
    writeFileSync(alerts, readFileSync(alerts, 'utf8').replace('config_stale_bool:stale > 0', 'config_stale_bool:stale > 1'));
    const selector = buildInto({});
    const rules = join(selector, 'prometheus_rules.yaml');
    writeFileSync(rules, readFileSync(rules, 'utf8').replaceAll('job=~"(.+-)?controller-monitor-service"', 'job="controller"'));
    const [t, s] = await Promise.all([promtoolTest(threshold), promtoolTest(selector)]);
    expect(t.ok).toBe(false);
    expect(t.output).toContain('MetalLBConfigStale');
    expect(s.ok).toBe(false);
  });
});
