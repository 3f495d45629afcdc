/**
 * Prometheus 3's left-open ranges (test/helpers/left-open.ts): every promtool test file run again
 * with every range in the rules and in its own expressions one millisecond shorter, which on
 * Prometheus 2.42 leaves out the sample on each range's start as Prometheus 3 does. A test that
 * passes only one way depends on a sample sitting exactly on a range boundary.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { committedOut, tempDir } from './helpers/cli.js';
import { leftOpen } from './helpers/left-open.js';

const promtoolDir = join(import.meta.dirname, 'promtool');
const generatedDir = join(committedOut, 'tests');
/** The hand-written promtool files, and the ones the build generates and ships in out/tests. */
const files = [promtoolDir, generatedDir].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f)),
);

interface RuleFile {
  groups: { rules: { expr: string }[] }[];
}

interface TestFile {
  rule_files: string[];
  tests: { promql_expr_test?: { expr: string }[] }[];
}

/** The committed rule files with left-open ranges, written into `dir`; the count of ranges changed. */
function leftOpenRules(dir: string): number {
  let ranges = 0;
  for (const f of ['prometheus_alerts.yaml', 'prometheus_rules.yaml']) {
    const rules = parse(readFileSync(join(committedOut, f), 'utf8')) as RuleFile;
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      const shifted = leftOpen(rule.expr);
      rule.expr = shifted.expr;
      ranges += shifted.ranges;
    }
    writeFileSync(join(dir, f), stringify(rules, { lineWidth: 0 }));
  }
  return ranges;
}

describe("promtool tests under Prometheus 3's left-open ranges", () => {
  it('shortens every literal range, of selectors and subqueries, by one millisecond', () => {
    expect(leftOpen('rate(x[5m]) + max_over_time(y[1h30m:1m]) + z[30s:] + w[250ms]')).toEqual({
      expr: 'rate(x[299999ms]) + max_over_time(y[5399999ms:1m]) + z[29999ms:] + w[249ms]',
      ranges: 4,
    });
    expect(leftOpen('up{job=~"[0-9]+m"} offset 5m')).toEqual({ expr: 'up{job=~"[0-9]+m"} offset 5m', ranges: 0 });
  });

  it.each(files.map((path) => [relative(join(import.meta.dirname, '..'), path), path]))('%s', async (_, path) => {
    const dir = tempDir('left-open');
    expect(leftOpenRules(dir)).toBeGreaterThan(0);
    const file = basename(path);
    const test = parse(readFileSync(path, 'utf8')) as TestFile;
    test.rule_files = test.rule_files.map((p) => p.replace(/^.*\//, ''));
    for (const t of test.tests) for (const e of t.promql_expr_test ?? []) e.expr = leftOpen(e.expr).expr;
    writeFileSync(join(dir, file), stringify(test, { lineWidth: 0 }));
    const run = await new Promise<{ error: ExecFileException | null; output: string }>((resolve) => {
      execFile('promtool', ['test', 'rules', file], { cwd: dir, encoding: 'utf8' }, (error, stdout, stderr) =>
        resolve({ error, output: `${stdout}${stderr}` }),
      );
    });
    expect(run.error?.code, 'promtool must be installed (scripts/ensure-tools.sh)').not.toBe('ENOENT');
    expect(run.error, run.output.slice(0, 8000)).toBeNull();
  });
});
