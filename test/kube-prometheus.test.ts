import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, RecordingRule, RuleFile } from '../mixin/types.js';
import { repoRoot, runCli, tempDir } from './helpers/cli.js';
import { onlyBlock } from './helpers/markdown.js';

const readme = join(repoRoot, 'README.md');
const fixtures = join(repoRoot, 'test', 'fixtures', 'kube-prometheus');
const section = 'kube-prometheus (jsonnet)';

interface ConfigMap {
  kind: string;
  metadata: { name: string; namespace: string };
  data: Record<string, string>;
}

interface Evaluated {
  'metallb-prometheus-rules': {
    apiVersion: string;
    kind: string;
    metadata: Record<string, unknown>;
    spec: { groups: unknown[] };
  };
  'grafana-dashboardDefinitions': { kind: string; items: ConfigMap[] };
}

/**
 * A jsonnet-bundler vendor directory as `jb install` would leave it: kube-prometheus replaced by
 * the stand-ins written from its contract, and the mixin at the path the documented `jb install`
 * names, holding a fresh build with the default config.
 */
function vendorTree(): { vendor: string; out: string } {
  const root = tempDir('kube-prometheus');
  const out = join(root, 'out');
  const build = runCli(['build', '--out', out]);
  expect(build.status, build.stderr).toBe(0);

  const vendor = join(root, 'vendor');
  mkdirSync(join(vendor, 'kube-prometheus', 'lib'), { recursive: true });
  copyFileSync(join(fixtures, 'addMixin.libsonnet'), join(vendor, 'kube-prometheus', 'lib', 'mixin.libsonnet'));
  copyFileSync(join(fixtures, 'main.libsonnet'), join(vendor, 'kube-prometheus', 'main.libsonnet'));

  const install = onlyBlock(readme, section, 'sh', 'jb install').match(/jb install (\S+?)(@\S+)?$/m);
  expect(install, 'the kube-prometheus section shows a `jb install <path>@<ref>` command').not.toBeNull();
  const mixinDir = join(vendor, install?.[1] ?? '');
  mkdirSync(dirname(mixinDir), { recursive: true });
  symlinkSync(out, mixinDir);
  return { vendor, out };
}

describe('the kube-prometheus snippet of the README, with Debian jsonnet', () => {
  let evaluated: Evaluated;
  let out: string;

  beforeAll(() => {
    const tree = vendorTree();
    out = tree.out;
    const snippet = join(dirname(tree.vendor), 'example.jsonnet');
    writeFileSync(snippet, onlyBlock(readme, section, 'jsonnet'));
    const run = spawnSync('jsonnet', ['-J', tree.vendor, snippet], { encoding: 'utf8' });
    expect(run.error, 'jsonnet must be installed (scripts/ensure-tools.sh)').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    evaluated = JSON.parse(run.stdout) as Evaluated;
  });

  const ruleFile = <R>(file: string) => parseYaml(readFileSync(join(out, file), 'utf8')) as RuleFile<R>;

  it('emits one PrometheusRule with the alert groups then the recording groups, and the snippet override applied', () => {
    const rule = evaluated['metallb-prometheus-rules'];
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'metallb', namespace: 'monitoring', labels: { prometheus: 'k8s' } });
    const alerts = ruleFile<AlertRule>('prometheus_alerts.yaml');
    const records = ruleFile<RecordingRule>('prometheus_rules.yaml');
    expect(alerts.groups.length).toBeGreaterThan(0);
    // The snippet's `_config+:: { alertLabels: { team: 'network' } }` reaches every alert.
    const withTeam = alerts.groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, labels: { ...r.labels, team: 'network' } })) }));
    expect(rule.spec.groups).toEqual([...withTeam, ...records.groups]);
  });

  it("puts every dashboard in kube-prometheus's Grafana, one ConfigMap each, equal to out/dashboards", () => {
    const dir = join(out, 'dashboards');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    expect(files.length).toBeGreaterThan(0);
    const definitions = evaluated['grafana-dashboardDefinitions'];
    expect(definitions.kind).toBe('ConfigMapList');
    const byName = new Map(definitions.items.map((cm) => [cm.metadata.name, cm]));
    expect(definitions.items).toHaveLength(files.length);
    for (const file of files) {
      const cm = byName.get(`grafana-dashboard-${file.replace(/\.json$/, '')}`);
      expect(cm, file).toBeDefined();
      expect(cm?.metadata.namespace).toBe('monitoring');
      expect(Object.keys(cm?.data ?? {})).toEqual([file]);
      expect(JSON.parse(cm?.data[file] ?? 'null')).toEqual(JSON.parse(readFileSync(join(out, 'dashboards', file), 'utf8')));
    }
  });
});

