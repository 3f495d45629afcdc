import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file by which the CLI knows a folder as its own: it lists every file the build wrote there,
 * so a later build replaces exactly those and refuses a folder that holds anything else.
 */
export const markerFile = '.metallb-mixin-files';

const firstLine = '# Written by metallb-mixin build: the files it owns in this folder. Anything else here stops the next build.';

export function renderMarker(files: Iterable<string>): string {
  return `${firstLine}\n${[...files].sort().join('\n')}\n`;
}

/** The files a marker lists, or undefined when `dir` has no marker of ours. */
export function readMarker(dir: string): Set<string> | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, markerFile), 'utf8');
  } catch {
    return undefined;
  }
  const [head, ...rest] = text.split('\n');
  if (head !== firstLine) return undefined;
  return new Set(rest.filter((line) => line !== ''));
}
