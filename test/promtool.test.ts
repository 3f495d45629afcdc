import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'promtool');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

// Each file holds the promtool unit tests of one area, against the committed out/ rule files
// (the staleness test guarantees out/ is what the sources build).
describe('promtool test rules', () => {
  it('has test files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, () => {
      const run = spawnSync('promtool', ['test', 'rules', join(dir, file)], { encoding: 'utf8' });
      expect(run.error, 'promtool must be installed (scripts/ensure-tools.sh)').toBeUndefined();
      expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    });
  }
});
