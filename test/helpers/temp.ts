import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every folder made by tempDir in this test file; test/helpers/temp-cleanup.ts removes them
// after the file's last test, passed or failed.
const made = new Set<string>();

/** A new empty folder in the temp dir, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `metallb-mixin-${prefix}-`));
  made.add(dir);
  return dir;
}

/** Remove every folder tempDir made so far. */
export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}
