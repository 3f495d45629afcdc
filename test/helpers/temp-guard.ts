/**
 * Vitest global setup: the whole run gets a temp dir of its own (TMPDIR, which os.tmpdir() and
 * the tools the tests start read), and the run fails if anything is left in it at the end. A
 * private folder, so that another run on the same machine neither hides a leak nor causes one.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const systemTemp = tmpdir();
  const runTemp = mkdtempSync(join(systemTemp, 'metallb-mixin-test-run-'));
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = runTemp;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    const left = readdirSync(runTemp).sort();
    rmSync(runTemp, { recursive: true, force: true });
    if (left.length > 0) {
      throw new Error(
        `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir (removed now): ${left.join(', ')}`,
      );
    }
  };
}
