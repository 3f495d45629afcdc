import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
import { writeTree } from '../mixin/output/tree.js';
import { copyOfOut, repoRoot, runCli, snapshotTree, tempDir } from './helpers/cli.js';

describe('build', () => {
  it('is deterministic: two builds give byte-identical trees', () => {
    const a = join(tempDir('det'), 'out');
    const b = join(tempDir('det'), 'out');
    expect(runCli(['build', '--out', a]).status).toBe(0);
    expect(runCli(['build', '--out', b]).status).toBe(0);
    expect(snapshotTree(a)).toEqual(snapshotTree(b));
  });

  it('the committed out/ is what the sources build', () => {
    const run = runCli(['check']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  // CI runs `npm run build` before `npm test`, which would quietly refresh a stale out/; git still
  // knows what was committed.
  it.runIf(existsSync(join(repoRoot, '.git')))('the build did not change the committed out/', () => {
    const status = spawnSync('git', ['status', '--porcelain', '--', 'out'], { cwd: repoRoot, encoding: 'utf8' });
    expect(status.status).toBe(0);
    expect(status.stdout, 'out/ differs from the commit: run npm run build and commit out/').toBe('');
  });

  it('check names the stale files and exits 1', () => {
    const out = copyOfOut();
    writeFileSync(join(out, 'prometheus_alerts.yaml'), 'groups: []\n');
    writeFileSync(join(out, 'leftover.json'), '{}\n');
    const run = runCli(['check', '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('changed  prometheus_alerts.yaml');
    expect(run.stderr).toContain('extra    leftover.json');
  });

  it('prints one summary line with the counts of what it wrote', () => {
    const out = join(tempDir('summary'), 'out');
    const run = runCli(['build', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const count = (file: string, pattern: RegExp) => readFileSync(join(out, file), 'utf8').match(pattern)?.length ?? 0;
    const alerts = count('prometheus_alerts.yaml', /^\s*- alert: /gm);
    const records = count('prometheus_rules.yaml', /^\s*- record: /gm);
    const dashboards = readdirSync(join(out, 'dashboards')).length;
    expect([alerts, records, dashboards].every((n) => n > 0)).toBe(true);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `wrote ${dashboards} dashboards, ${alerts} alert rules, ${records} recording rules \\(${[...snapshotTree(out).keys()].filter((p) => p !== '.metallb-mixin-files').length} files\\) to .* in \\d+ ms$`,
      ),
    );
  });

  it.each([
    ['a broken YAML file', 'thresholds: [\n', /not valid YAML/],
    [
      'warning above critical',
      'thresholds:\n  poolUsage:\n    warning: 99\n',
      /thresholds\.poolUsage\.warning: must be below critical \(95\)/,
    ],
    ['an invalid selector', 'selectors:\n  speaker: job=metallb\n', /selectors\.speaker: not a valid label matcher list/],
    ['an unknown key', 'dashboards:\n  refrsh: 1m\n', /dashboards\.refrsh: unknown key/],
  ])('rejects %s with a message naming the field and leaves out/ untouched', (_name, yaml, message) => {
    const out = copyOfOut();
    const before = snapshotTree(out);
    const cfgFile = join(tempDir('bad'), 'bad.yaml');
    writeFileSync(cfgFile, yaml);
    const run = runCli(['build', '--config', cfgFile, '--out', out]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(snapshotTree(out)).toEqual(before);
  });

  it('a config override changes the output (for durations, extra labels, disabled alerts)', () => {
    const cfg = resolveConfig({ alertLabels: { team: 'network' }, alerts: { MetalLBBGPSessionDown: { for: '7m' } } });
    const alerts = generate(cfg).mixin.prometheusAlerts.groups.flatMap((g) => g.rules);
    const down = alerts.find((r) => r.alert === 'MetalLBBGPSessionDown');
    expect(down?.for).toBe('7m');
    expect(alerts.every((r) => r.labels['team'] === 'network')).toBe(true);
    const disabled = resolveConfig({ alerts: { MetalLBBGPSessionDown: { enabled: false } } });
    expect(
      generate(disabled)
        .mixin.prometheusAlerts.groups.flatMap((g) => g.rules)
        .map((r) => r.alert),
    ).not.toContain('MetalLBBGPSessionDown');
  });
});

describe('build output for config values with a second meaning', () => {
  type Alert = { alert: string; labels: Record<string, string>; annotations: Record<string, string> };
  const alertsOf = (yaml: string): Alert[] => (parseYaml(yaml) as { groups: { rules: Alert[] }[] }).groups.flatMap((g) => g.rules);

  it('a runbook pattern with other % signs works in the YAML and in mixin.libsonnet (real jsonnet)', () => {
    const cfg = resolveConfig({ runbookURLPattern: 'https://wiki.example.com/My%20Page/%s' });
    const { files } = generate(cfg);
    const yamlAlerts = alertsOf(files.get('prometheus_alerts.yaml') ?? '');
    expect(yamlAlerts.find((a) => a.alert === 'MetalLBBGPSessionDown')?.annotations['runbook_url']).toBe(
      'https://wiki.example.com/My%20Page/metallbbgpsessiondown',
    );
    const dir = mkdtempSync(join(tmpdir(), 'metallb-mixin-runbook-'));
    try {
      writeTree(dir, files);
      const run = spawnSync(
        'jsonnet',
        ['-J', dir, '-e', '[r for g in (import "mixin.libsonnet").prometheusAlerts.groups for r in g.rules]'],
        { encoding: 'utf8' },
      );
      expect(run.error, 'jsonnet must be installed (scripts/ensure-tools.sh)').toBeUndefined();
      expect(run.status, run.stderr).toBe(0);
      const jsonnetAlerts = JSON.parse(run.stdout) as Alert[];
      expect(jsonnetAlerts.find((a) => a.alert === 'MetalLBBGPSessionDown')?.annotations['runbook_url']).toBe(
        'https://wiki.example.com/My%20Page/metallbbgpsessiondown',
      );
      expect(jsonnetAlerts.map((a) => a.annotations['runbook_url'])).toEqual(yamlAlerts.map((a) => a.annotations['runbook_url']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('label values YAML 1.1 reads as booleans or numbers are written quoted, so kubectl reads strings', () => {
    const values = { a: 'yes', b: 'no', c: 'on', d: 'off', e: 'true', f: '1', g: 'y', h: 'N', i: '010' };
    const cfg = resolveConfig({ outputs: { monitors: { labels: values }, dashboardConfigMaps: { labels: { grafana_dashboard: 'yes' } } } });
    const { files } = generate(cfg);
    const monitors = parseAllDocuments(files.get('kubernetes/monitors/metallb-0.16.yaml') ?? '', { version: '1.1' }).map(
      (d) => d.toJS() as { kind: string; metadata: { labels?: unknown } },
    );
    const serviceMonitor = monitors.find((o) => o.kind === 'ServiceMonitor');
    expect(serviceMonitor?.metadata.labels).toEqual({ a: 'yes', b: 'no', c: 'on', d: 'off', e: 'true', f: '1', g: 'y', h: 'N', i: '010' });
    const configMap = parseYaml(files.get('kubernetes/dashboards/metallb-overview.yaml') ?? '', { version: '1.1' }) as {
      metadata: { labels: unknown };
    };
    expect(configMap.metadata.labels).toEqual({ grafana_dashboard: 'yes' });
    expect(files.get('kubernetes/dashboards/metallb-overview.yaml')).toContain('grafana_dashboard: "yes"');
  });

  it('two configs that differ only in the order of map keys give byte-identical files', () => {
    const a = resolveConfig({
      alertLabels: { team: 'network', tier: 'infra' },
      outputs: {
        monitors: {
          labels: { release: 'kps', team: 'network' },
          podSelectors: { speaker: { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/component': 'speaker' } },
        },
        dashboardConfigMaps: { annotations: { grafana_folder: 'MetalLB', owner: 'network' } },
      },
    });
    const b = resolveConfig({
      outputs: {
        dashboardConfigMaps: { annotations: { owner: 'network', grafana_folder: 'MetalLB' } },
        monitors: {
          podSelectors: { speaker: { 'app.kubernetes.io/component': 'speaker', 'app.kubernetes.io/name': 'metallb' } },
          labels: { team: 'network', release: 'kps' },
        },
      },
      alertLabels: { tier: 'infra', team: 'network' },
    });
    const filesA = generate(a).files;
    const filesB = generate(b).files;
    expect([...filesA.keys()]).toEqual([...filesB.keys()]);
    for (const [path, content] of filesA) expect(filesB.get(path), path).toBe(content);
  });

  it('a severity override applies to a single-severity alert and keeps the others as they were', () => {
    const cfg = resolveConfig({ alerts: { MetalLBBGPSessionDown: { severity: 'warning' } } });
    const alerts = alertsOf(generate(cfg).files.get('prometheus_alerts.yaml') ?? '');
    expect(alerts.filter((a) => a.alert === 'MetalLBBGPSessionDown').map((a) => a.labels['severity'])).toEqual(['warning']);
    expect(alerts.filter((a) => a.alert === 'MetalLBAddressPoolUsageHigh').map((a) => a.labels['severity'])).toEqual([
      'warning',
      'critical',
    ]);
  });
});
