import { execFile, type ExecFileException } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'promtool');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

// Each file holds the promtool unit tests of one area, against the committed out/ rule files
// (the staleness test guarantees out/ is what the sources build).
describe('promtool test rules', () => {
  it('has test files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, async () => {
      // Asynchronously: a worker blocked for long in spawnSync misses vitest's RPC deadline.
      const run = await new Promise<{ error: ExecFileException | null; output: string }>((resolve) => {
        execFile('promtool', ['test', 'rules', join(dir, file)], { encoding: 'utf8' }, (error, stdout, stderr) =>
          resolve({ error, output: `${stdout}${stderr}` }),
        );
      });
      expect(run.error?.code, 'promtool must be installed (scripts/ensure-tools.sh)').not.toBe('ENOENT');
      expect(run.output).toContain('SUCCESS');
      expect(run.error, run.output).toBeNull();
    });
  }
});
