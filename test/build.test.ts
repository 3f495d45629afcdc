import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
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
    expect(lines[0]).toMatch(new RegExp(`wrote ${dashboards} dashboards, ${alerts} alert rules, ${records} recording rules \\(${[...snapshotTree(out).keys()].filter((p) => p !== '.metallb-mixin-files').length} files\\) to .* in \\d+ ms$`));
  });

  it.each([
    ['a broken YAML file', 'thresholds: [\n', /not valid YAML/],
    ['warning above critical', 'thresholds:\n  poolUsage:\n    warning: 99\n', /thresholds\.poolUsage\.warning: must be below critical \(95\)/],
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
    expect(generate(disabled).mixin.prometheusAlerts.groups.flatMap((g) => g.rules).map((r) => r.alert)).not.toContain('MetalLBBGPSessionDown');
  });
});
