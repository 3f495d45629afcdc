import { lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { markerFile, readMarker } from './marker.js';

/**
 * The entries below `dir` that a build did not write: files the marker does not list, folders
 * holding none of those files, links and anything else. A folder without a marker (an out/ written
 * before the marker existed, or an empty one) may hold only files the coming build writes.
 */
export function foreignEntries(dir: string, coming: ReadonlyMap<string, string>): string[] {
  const owned = readMarker(dir) ?? new Set(coming.keys());
  const foreign: string[] = [];
  const walk = (d: string): boolean => {
    let ownsSomething = false;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        if (walk(p)) ownsSomething = true;
        else if (readdirSync(p).length === 0) foreign.push(`${rel}/`);
      } else if (st.isFile() && (owned.has(rel) || rel === markerFile)) {
        ownsSomething = true;
      } else {
        foreign.push(st.isSymbolicLink() ? `${rel} (a link)` : rel);
      }
    }
    return ownsSomething;
  };
  walk(dir);
  return foreign;
}
