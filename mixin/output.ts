import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/** Write every file under a fresh directory. */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [path, content] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** A temporary directory beside `outDir`, on the same filesystem so the final rename is atomic. */
export function stagingDir(outDir: string): string {
  const abs = resolve(outDir);
  const dir = join(dirname(abs), `${basename(abs)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Replace `outDir` by `staged` with two renames, so a reader never sees a half-written out/ and a
 * failed build never touches it.
 */
export function promote(staged: string, outDir: string): void {
  const abs = resolve(outDir);
  const old = `${abs}.old-${process.pid}-${Date.now()}`;
  const hadOld = existsSync(abs);
  if (hadOld) renameSync(abs, old);
  try {
    renameSync(staged, abs);
  } catch (err) {
    if (hadOld) renameSync(old, abs);
    throw err;
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export interface TreeDifference {
  readonly missing: string[];
  readonly changed: string[];
  readonly extra: string[];
}

/** How `dir` differs from the files a build would write. */
export function compareTree(dir: string, files: ReadonlyMap<string, string>): TreeDifference {
  const onDisk = new Set(listFiles(dir));
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [path, content] of files) {
    if (!onDisk.has(path)) missing.push(path);
    else if (readFileSync(join(dir, path), 'utf8') !== content) changed.push(path);
    onDisk.delete(path);
  }
  return { missing, changed, extra: [...onDisk] };
}
