import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot, type CliRun } from './helpers/cli.js';

/** The compiled CLI, run without blocking, so the cases can run side by side (each is a cold start). */
function runCliAsync(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'scripts', 'cli.js'), ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** One refused input (test/fixtures/refusals.yaml): exactly one of `config`, `path`, `oversize`. */
interface Refusal {
  readonly name: string;
  /** Text stderr must contain: the field the error names (or the file, for file errors). */
  readonly field: string;
  readonly config?: string;
  readonly path?: string;
  readonly oversize?: number;
}

const refusals = parseYaml(readFileSync(join(import.meta.dirname, 'fixtures', 'refusals.yaml'), 'utf8')) as Refusal[];
const work = mkdtempSync(join(tmpdir(), 'metallb-mixin-refusals-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The --config argument of a case, writing its file under `dir`. */
function configFile(refusal: Refusal, dir: string): string {
  if (refusal.path !== undefined) return refusal.path;
  const file = join(dir, 'config.yaml');
  writeFileSync(file, refusal.oversize !== undefined ? `# ${'x'.repeat(refusal.oversize)}\n` : `${refusal.config ?? ''}\n`);
  return file;
}

describe('every config refusal, through the CLI', () => {
  it('the table is well formed', () => {
    expect(refusals.length).toBeGreaterThan(30);
    for (const r of refusals) {
      expect(
        [r.config, r.path, r.oversize].filter((x) => x !== undefined),
        r.name,
      ).toHaveLength(1);
      expect(r.field, r.name).toBeTruthy();
    }
  });

  it.concurrent.each(refusals.map((r, i) => [r.name, r, i] as const))(
    'refuses %s: non-zero exit, the field named, no stack trace, nothing written',
    async (_name, refusal, i) => {
      const caseDir = mkdtempSync(join(work, `case-${i}-`));
      const out = join(caseDir, 'out');
      const run = await runCliAsync(['build', '--config', configFile(refusal, caseDir), '--out', out]);
      expect(run.status, run.stderr).not.toBe(0);
      expect(run.status, run.stderr).not.toBeNull();
      expect(run.stderr).toContain(refusal.field);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr).not.toMatch(/\b\w*Error:/);
      expect(run.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    },
  );
});
