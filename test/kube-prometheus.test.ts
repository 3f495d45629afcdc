import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, RecordingRule, RuleFile } from '../mixin/types.js';
import { repoRoot, runCli, tempDir } from './helpers/cli.js';
import { onlyBlock } from './helpers/markdown.js';
import { run as runAsync } from './helpers/run.js';

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
  /** A build with the settings of the snippet's `_config+::`, written as the YAML config a CLI user would. */
  let sameAsSnippet: string;

  beforeAll(() => {
    const tree = vendorTree();
    out = tree.out;
    const cfg = join(dirname(out), 'same-as-snippet.yaml');
    writeFileSync(
      cfg,
      [
        'selectors:',
        '  speaker: job="metallb-speaker",container!="frr-metrics"',
        'thresholds:',
        '  poolUsage: { warning: 80 }',
        'alertLabels: { team: network }',
        'alerts:',
        '  MetalLBBGPSessionDown: { for: 1m }',
        '',
      ].join('\n'),
    );
    sameAsSnippet = join(dirname(out), 'same-as-snippet');
    const build = runCli(['build', '--config', cfg, '--out', sameAsSnippet, '--format', 'prometheus', 'dashboards', 'tests']);
    expect(build.status, build.stderr).toBe(0);
    const snippet = join(dirname(tree.vendor), 'example.jsonnet');
    writeFileSync(snippet, onlyBlock(readme, section, 'jsonnet'));
    const run = spawnSync('jsonnet', ['-J', tree.vendor, snippet], { encoding: 'utf8' });
    expect(run.error, 'jsonnet must be installed (scripts/ensure-tools.sh)').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    evaluated = JSON.parse(run.stdout) as Evaluated;
  });

  const ruleFile = <R>(dir: string, file: string) => parseYaml(readFileSync(join(dir, file), 'utf8')) as RuleFile<R>;

  it('emits one PrometheusRule with the alert groups then the recording groups of build --config with the same settings', () => {
    const rule = evaluated['metallb-prometheus-rules'];
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'metallb', namespace: 'monitoring', labels: { prometheus: 'k8s' } });
    const alerts = ruleFile<AlertRule>(sameAsSnippet, 'prometheus_alerts.yaml');
    const records = ruleFile<RecordingRule>(sameAsSnippet, 'prometheus_rules.yaml');
    expect(alerts.groups.length).toBeGreaterThan(0);
    expect(rule.spec.groups).toEqual([...alerts.groups, ...records.groups]);
    const speakerDown = alerts.groups.flatMap((g) => g.rules).find((r) => r.alert === 'MetalLBBGPSessionDown');
    expect(speakerDown?.for).toBe('1m');
    expect(speakerDown?.labels['team']).toBe('network');
  });

  it('the PrometheusRule it emits passes promtool check rules', () => {
    const file = join(dirname(out), 'emitted-rules.yaml');
    writeFileSync(file, stringifyYaml({ groups: evaluated['metallb-prometheus-rules'].spec.groups }));
    const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('the PrometheusRule it emits passes the promtool tests generated for the same settings', async () => {
    const dir = join(dirname(out), 'emitted-tested');
    mkdirSync(join(dir, 'tests'), { recursive: true });
    const groups = evaluated['metallb-prometheus-rules'].spec.groups as { rules: { alert?: string }[] }[];
    const alerting = groups.filter((g) => g.rules.some((r) => r.alert !== undefined));
    writeFileSync(join(dir, 'prometheus_alerts.yaml'), stringifyYaml({ groups: alerting }));
    writeFileSync(join(dir, 'prometheus_rules.yaml'), stringifyYaml({ groups: groups.filter((g) => !alerting.includes(g)) }));
    const tests = readdirSync(join(sameAsSnippet, 'tests'));
    for (const f of tests) copyFileSync(join(sameAsSnippet, 'tests', f), join(dir, 'tests', f));
    expect(tests.length).toBeGreaterThan(5);
    const promtool = await runAsync('promtool', ['test', 'rules', ...tests.map((f) => join('tests', f))], {
      cwd: dir,
      env: { ...process.env, TMPDIR: dir },
    });
    expect(promtool.status, (promtool.stdout + promtool.stderr).slice(0, 4000)).toBe(0);
  });

  it("puts every dashboard in kube-prometheus's Grafana, one ConfigMap each, equal to the dashboards of build --config", () => {
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
      expect(JSON.parse(cm?.data[file] ?? 'null')).toEqual(JSON.parse(readFileSync(join(sameAsSnippet, 'dashboards', file), 'utf8')));
    }
  });
});
