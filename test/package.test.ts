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
    return await execFileAsync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** `npm pack` into a temp dir (running `prepare`, which compiles dist/), then install the tarball into an empty project. */
describe('the packed npm package', () => {
  let tarballFiles: string[];
  let app: string;

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
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, result?.filename ?? '')], app);
  }, 300_000);

  it('ships the compiled CLI and library, the committed out/ and the docs, and no tests or sources', () => {
    expect(tarballFiles).toContain('dist/scripts/cli.js');
    expect(tarballFiles).toContain('out/mixin.libsonnet');
    expect(tarballFiles).toContain('docs/runbooks.md');
    expect(tarballFiles.filter((f) => /^(test|dist\/test|node_modules)\//.test(f) || /\.ts$/.test(f))).toEqual([]);
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

    const rule = parseYaml(readFileSync(join(app, 'metallb-mixin', 'kubernetes', 'prometheus-rule.yaml'), 'utf8')) as { metadata: { labels: Record<string, string> } };
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });

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
