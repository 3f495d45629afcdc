import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, snapshotTree, tempDir } from './helpers/cli.js';
import { onlyBlock } from './helpers/markdown.js';

const readme = join(repoRoot, 'README.md');

const execFileAsync = promisify(execFile);

/** Run a command without blocking the test worker (npm install takes a while); reject with its output on failure. */
async function run(cmd: string, args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(cmd, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** `npm pack` into a temp dir (running `prepack`, which compiles dist/), then install the tarball into an empty project. */
describe('the packed npm package', () => {
  let tarballFiles: string[];
  let app: string;
  let installed: string;
  /** What npm printed on stderr while packing and installing. */
  let npmStderr: string;

  beforeAll(async () => {
    const work = tempDir('package');
    const pack = await run('npm', ['pack', '--json', '--pack-destination', work], repoRoot);
    const [result] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[];
    expect(result).toBeDefined();
    tarballFiles = (result?.files ?? []).map((f) => f.path);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true })}\n`);
    // Dependencies come from the local npm cache when it has them, else from the registry.
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, result?.filename ?? '')], app);
    installed = join(app, 'node_modules', 'metallb-mixin');
    npmStderr = `${pack.stderr}\n${install.stderr}`;
  }, 300_000);

  it('packs and installs without a warning from npm', () => {
    expect(npmStderr.split('\n').filter((l) => /warn/i.test(l))).toEqual([]);
  });

  it('carries the Apache-2.0 licence text, the repository, and no install-time script', () => {
    expect(tarballFiles).toContain('LICENSE');
    const licence = readFileSync(join(installed, 'LICENSE'), 'utf8');
    expect(licence.startsWith('Apache License\nVersion 2.0, January 2004\n')).toBe(true);
    expect(licence).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      license: string;
      repository: unknown;
      scripts: Record<string, string>;
    };
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/metallb-mixin/metallb-mixin.git' });
    // Nothing runs on the user's install: dist/ is compiled before packing.
    expect(Object.keys(manifest.scripts).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
  });

  it('--version prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const printed = await run('npx', ['--no-install', 'metallb-mixin', '--version'], app);
    expect(printed.stdout).toBe(`${version}\n`);
  });

  it('doctor --help of the installed bin lists its options', async () => {
    const help = await run('npx', ['--no-install', 'metallb-mixin', 'doctor', '--help'], app);
    expect(help.stdout).toContain('--write-config <file>');
    expect(help.stdout).toContain('--force');
    expect(help.stdout).toContain('--timeout <seconds>');
  });

  it('ships the compiled CLI and library, the committed out/ and the docs, and no tests, benchmark or sources', () => {
    expect(tarballFiles).toContain('dist/scripts/cli.js');
    expect(tarballFiles).toContain('out/mixin.libsonnet');
    expect(tarballFiles).toContain('docs/runbooks.md');
    expect(tarballFiles.filter((f) => /^(test|dist\/test|node_modules)\//.test(f) || /\.ts$/.test(f))).toEqual([]);
    // The benchmark and the repository's own doc generator are not for users.
    expect(tarballFiles.filter((f) => /bench|vitest|^dist\/scripts\/docs\.js$/.test(f))).toEqual([]);
  });

  it('runs the documented `npx metallb-mixin build --config my.yaml --out ./metallb-mixin` with the documented kube-prometheus-stack config', async () => {
    const command = onlyBlock(readme, 'Building your own copy', 'sh', '--config my.yaml')
      .split('\n')
      .find((l) => l.startsWith('npx metallb-mixin build --config'));
    expect(command).toBeDefined();
    const [npx, ...args] = (command ?? '').split(/\s+/);
    writeFileSync(join(app, 'my.yaml'), onlyBlock(readme, 'Prometheus Operator and kube-prometheus-stack (Helm)', 'yaml', 'release'));
    const built = await run(npx ?? 'npx', ['--no-install', ...args], app);
    expect(built.stdout).toMatch(/wrote \d+ dashboards, \d+ alert rules, \d+ recording rules/);

    const rule = parseYaml(readFileSync(join(app, 'metallb-mixin', 'kubernetes', 'prometheus-rule.yaml'), 'utf8')) as {
      metadata: { labels: Record<string, string> };
    };
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    // The labels given replace the defaults (no `prometheus: k8s` left), and the README says so,
    // beside the fact that kube-prometheus itself selects every rule.
    const text = readFileSync(readme, 'utf8').replace(/\s+/g, ' ');
    expect(text).toContain('`labels` replaces the default labels, it does not add to them');
    expect(text).toContain('kube-prometheus, whose Prometheus selects every PrometheusRule (its `ruleSelector` is empty, `{}`)');

    // The installed package writes exactly what the repository's CLI writes for the same config.
    const reference = join(tempDir('package-ref'), 'out');
    const ref = runCli(['build', '--config', join(app, 'my.yaml'), '--out', reference]);
    expect(ref.status, ref.stderr).toBe(0);
    expect(snapshotTree(join(app, 'metallb-mixin'))).toEqual(snapshotTree(reference));
  });

  it('--help of the installed bin lists the build command and every format', async () => {
    const help = await run('npx', ['--no-install', 'metallb-mixin', 'build', '--help'], app);
    expect(help.stdout).toContain('--format');
    expect(help.stdout).toContain('grafana-operator');
  });
});
