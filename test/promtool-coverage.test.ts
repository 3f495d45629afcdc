import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { committedOut } from './helpers/cli.js';

// promtool passes a file that never mentions an alert: this keeps every alert and recording rule
// of out/ covered by the unit tests under test/promtool/ as the project's standard asks.

interface AlertCase {
  alertname: string;
  exp_alerts?: { exp_labels: Record<string, string> }[];
}
interface TestGroup {
  alert_rule_test?: AlertCase[];
  promql_expr_test?: { expr: string }[];
}
interface RuleFile {
  groups: { rules: { alert?: string; record?: string }[] }[];
}

const dir = join(import.meta.dirname, 'promtool');
const testFiles = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ file: f, groups: (parse(readFileSync(join(dir, f), 'utf8')) as { tests: TestGroup[] }).tests }));
const ruleNames = (file: string, key: 'alert' | 'record') =>
  [...new Set((parse(readFileSync(join(committedOut, file), 'utf8')) as RuleFile).groups.flatMap((g) => g.rules.map((r) => r[key]).filter((n): n is string => n !== undefined)))];
const alerts = ruleNames('prometheus_alerts.yaml', 'alert');
const records = ruleNames('prometheus_rules.yaml', 'record');
const cases = testFiles.flatMap(({ groups }) => groups.flatMap((g) => g.alert_rule_test ?? []));
const multiCluster = (c: AlertCase) => (c.exp_alerts ?? []).some((a) => 'cluster' in a.exp_labels);

describe('promtool unit tests cover the rule files', () => {
  it.each(alerts)('%s has a firing case, a silent case and a multi-cluster case', (alert) => {
    const own = cases.filter((c) => c.alertname === alert);
    expect(own.some((c) => (c.exp_alerts ?? []).length > 0), 'firing case').toBe(true);
    expect(own.some((c) => (c.exp_alerts ?? []).length === 0), 'silent case').toBe(true);
    expect(own.some(multiCluster), 'case with a cluster label').toBe(true);
  });

  it('the healthy scenario checks every alert and expects none', () => {
    const healthy = testFiles.find((t) => t.file === 'healthy.yaml');
    const checked = healthy?.groups.flatMap((g) => g.alert_rule_test ?? []) ?? [];
    expect(new Set(checked.map((c) => c.alertname))).toEqual(new Set(alerts));
    expect(checked.every((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it.each(records)('%s has a promql_expr_test', (record) => {
    const exprs = testFiles.flatMap(({ groups }) => groups.flatMap((g) => (g.promql_expr_test ?? []).map((t) => t.expr)));
    expect(exprs).toContain(record);
  });
});
