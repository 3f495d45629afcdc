import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { markerFile } from './marker.js';

/** Write every file below `dir`, creating folders as needed. */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [path, content] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Every regular file below `dir`, relative to it and sorted; the ownership marker is not one of them. */
export function listFiles(dir: string): string[] {
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
  return out.filter((f) => f !== markerFile).sort();
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
