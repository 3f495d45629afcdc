import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempDir } from './temp.js';

export { tempDir };

export const repoRoot = join(import.meta.dirname, '..', '..');
export const committedOut = join(repoRoot, 'out');
const cliPath = join(repoRoot, 'dist', 'scripts', 'cli.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the compiled CLI (npm test compiles it before vitest starts). */
export function runCli(args: readonly string[], cwd = repoRoot): CliRun {
  const run = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A copy of the committed out/ to build into, so tests never touch the real one. */
export function copyOfOut(): string {
  const dir = join(tempDir('out'), 'out');
  cpSync(committedOut, dir, { recursive: true });
  return dir;
}

/** Path → content of every file below `dir`. */
export function snapshotTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}
