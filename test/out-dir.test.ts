import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, snapshotTree, type CliRun } from './helpers/cli.js';

// `build --out` replaces only a folder it wrote itself; everything else it refuses and leaves as it was.

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) {
    spawnSync('umount', [join(dir, 'mnt')], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'metallb-mixin-outdir-'));
  made.push(dir);
  return dir;
}

function expectRefusal(run: CliRun, message: RegExp): void {
  expect(run.status, run.stdout).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n'), 'one line, no stack trace').toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

const prometheusOnly = ['--format', 'prometheus'];

describe('build --out', () => {
  it('refuses an empty --out, as from an unset variable, and deletes nothing', () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'notes.txt'), 'mine\n');
    expectRefusal(runCli(['build', '--out', '', ...prometheusOnly], cwd), /--out is empty/);
    expect(readdirSync(cwd)).toEqual(['notes.txt']);
  });

  it('refuses the folder the user is in, even when it holds only what a build writes', () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'prometheus_alerts.yaml'), 'groups: []\n');
    expectRefusal(runCli(['build', '--out', '.', ...prometheusOnly], cwd), /--out \.: is the folder you are in/);
    expect(readFileSync(join(cwd, 'prometheus_alerts.yaml'), 'utf8')).toBe('groups: []\n');
  });

  it("refuses a folder holding the user's own files and a .git, and leaves it as it was", () => {
    const out = join(workDir(), 'vendor');
    mkdirSync(join(out, '.git'), { recursive: true });
    writeFileSync(join(out, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    writeFileSync(join(out, 'prometheus_alerts.yaml'), 'groups: []\n');
    const before = snapshotTree(out);
    expectRefusal(runCli(['build', '--out', out, ...prometheusOnly]), /holds what the build did not write \(\.git\/HEAD, notes\.txt\)/);
    expect(snapshotTree(out)).toEqual(before);
  });

  it('refuses a regular file, the config file itself included', () => {
    const dir = workDir();
    const cfg = join(dir, 'my.yaml');
    writeFileSync(cfg, 'alertLabels: { team: network }\n');
    expectRefusal(runCli(['build', '--config', cfg, '--out', cfg, ...prometheusOnly]), /my\.yaml: is a file, not a folder/);
    expect(readFileSync(cfg, 'utf8')).toBe('alertLabels: { team: network }\n');
  });

  it('refuses a folder it wrote once the user has put a file of their own in it', () => {
    const out = join(workDir(), 'out');
    expect(runCli(['build', '--out', out, ...prometheusOnly]).status).toBe(0);
    writeFileSync(join(out, 'README.local'), 'mine\n');
    expectRefusal(runCli(['build', '--out', out, ...prometheusOnly]), /\(README\.local\)/);
    expect(readFileSync(join(out, 'README.local'), 'utf8')).toBe('mine\n');
  });

  it('replaces a folder it wrote: files it no longer writes go, the marker lists what is there', () => {
    const out = join(workDir(), 'out');
    expect(runCli(['build', '--out', out, '--format', 'prometheus', 'alertmanager']).status).toBe(0);
    expect(existsSync(join(out, 'alertmanager', 'inhibit-rules.yaml'))).toBe(true);
    const run = runCli(['build', '--out', out, ...prometheusOnly]);
    expect(run.status, run.stderr).toBe(0);
    expect([...snapshotTree(out).keys()]).toEqual(['.metallb-mixin-files', 'prometheus_alerts.yaml', 'prometheus_rules.yaml']);
    expect(readFileSync(join(out, '.metallb-mixin-files'), 'utf8').split('\n').slice(1)).toEqual([
      'prometheus_alerts.yaml',
      'prometheus_rules.yaml',
      '',
    ]);
  });

  it('accepts an out/ written before the marker existed when it holds only files the build writes', () => {
    const out = join(workDir(), 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'prometheus_rules.yaml'), 'groups: []\n');
    expect(runCli(['build', '--out', out, ...prometheusOnly]).status).toBe(0);
    expect(readFileSync(join(out, 'prometheus_rules.yaml'), 'utf8')).toMatch(/^groups:\n/m);
    expect(readFileSync(join(out, 'prometheus_rules.yaml'), 'utf8')).not.toBe('groups: []\n');
  });

  it('follows a link to a folder: the link stays a link, and the folder it names holds the build', () => {
    const dir = workDir();
    const real = join(dir, 'real-out');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'out'));
    expect(runCli(['build', '--out', join(dir, 'out'), ...prometheusOnly]).status).toBe(0);
    expect(lstatSync(join(dir, 'out')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(real, 'prometheus_alerts.yaml'))).toBe(true);
    // The same rules hold for what the link names.
    writeFileSync(join(real, 'notes.txt'), 'mine\n');
    expectRefusal(runCli(['build', '--out', join(dir, 'out'), ...prometheusOnly]), /\(notes\.txt\)/);
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));
    expectRefusal(runCli(['build', '--out', join(dir, 'dangling'), ...prometheusOnly]), /is a link to a folder that does not exist/);
  });

  it('recovers from a build killed between its two renames, and removes only its own leftovers', () => {
    const dir = workDir();
    const out = join(dir, 'out');
    expect(runCli(['build', '--out', out, ...prometheusOnly]).status).toBe(0);
    // A kill after `out` was retired and before the staged folder took its place; pid 2^22+1 is never a live process.
    renameSync(out, join(dir, 'out.old-4194305-1000'));
    mkdirSync(join(dir, 'out.tmp-4194305-1001'));
    writeFileSync(
      join(dir, 'out.tmp-4194305-1001', '.metallb-mixin-files'),
      readFileSync(join(dir, 'out.old-4194305-1000', '.metallb-mixin-files')),
    );
    mkdirSync(join(dir, 'out.tmp-users-own'));
    const run = runCli(['build', '--out', out, ...prometheusOnly]);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['out', 'out.tmp-users-own']);
    expect(existsSync(join(out, 'prometheus_alerts.yaml'))).toBe(true);
  });

  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version'], { stdio: 'ignore' }).status === 0;

  it.runIf(canMount)('refuses a mount point, and says so in one line for a read-only target', () => {
    const dir = workDir();
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'metallb-mixin-test', mnt]).status !== 0) return;
    expectRefusal(runCli(['build', '--out', mnt, ...prometheusOnly]), /is a mount point/);
    spawnSync('mount', ['-o', 'remount,ro', mnt]);
    expectRefusal(
      runCli(['build', '--out', join(mnt, 'out'), ...prometheusOnly]),
      /cannot write --out .*: read-only file system \(EROFS\)/,
    );
  });
});
