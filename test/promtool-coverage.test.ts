import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyntaxNode } from '@lezer/common';
import { parse } from 'yaml';
import { selectorsOf } from '../mixin/promql/inspect.js';
import { parsePromQL } from '../mixin/promql/parse.js';
import { committedOut } from './helpers/cli.js';

// promtool passes a file that never mentions an alert: this keeps every alert and recording rule
// of out/ covered by the unit tests as the project's standard asks. The tests are the ones the build
// generates from the scenario model (out/tests, default config) and the hand-written ones under
// test/promtool/ for what the model cannot express (versions, install layouts, partial data).

interface AlertCase {
  alertname: string;
  exp_alerts?: { exp_labels: Record<string, string> }[];
}
interface TestGroup {
  input_series?: { series: string }[];
  alert_rule_test?: AlertCase[];
  promql_expr_test?: { expr: string }[];
}
interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

/** Test files with the area file they stand for: `<area>.yaml` by hand, `metallb-<area>.yaml` generated. */
const testFilesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({
      file: f,
      area: f.replace(/^metallb-/, ''),
      groups: (parse(readFileSync(join(dir, f), 'utf8')) as { tests: TestGroup[] }).tests,
    }));
const testFiles = [...testFilesIn(join(import.meta.dirname, 'promtool')), ...testFilesIn(join(committedOut, 'tests'))];
const ruleFile = (file: string) => parse(readFileSync(join(committedOut, file), 'utf8')) as RuleFile;
const ruleNames = (file: string, key: 'alert' | 'record') => [
  ...new Set(ruleFile(file).groups.flatMap((g) => g.rules.map((r) => r[key]).filter((n): n is string => n !== undefined))),
];
const alerts = ruleNames('prometheus_alerts.yaml', 'alert');
const records = ruleNames('prometheus_rules.yaml', 'record');

/** Every alert case with the file and the input series of its test group. */
const cases = testFiles.flatMap(({ file, area, groups }) =>
  groups.flatMap((g) => (g.alert_rule_test ?? []).map((c) => ({ ...c, file, area, inputs: (g.input_series ?? []).map((s) => s.series) }))),
);
type Case = (typeof cases)[number];

/** The `cluster` values of a group's input series (series notation is a PromQL selector). */
const inputClusters = (c: Case) =>
  new Set(
    c.inputs.flatMap((series) => selectorsOf(series).flatMap((s) => s.matchers.filter((m) => m.label === 'cluster').map((m) => m.value))),
  );

/** Two clusters feed the rule and the alert comes from exactly one of them: nothing merged the clusters. */
const multiCluster = (c: Case) => {
  const fired = new Set((c.exp_alerts ?? []).map((a) => a.exp_labels['cluster']));
  const [only] = fired;
  return inputClusters(c).size >= 2 && fired.size === 1 && only !== undefined && inputClusters(c).has(only);
};

/** Whether an expression aggregates, or joins two vectors (a binary operation with a selector on each side). */
function aggregatesOrJoins(expr: string): boolean {
  const { tree } = parsePromQL(expr);
  const hasSelector = (n: SyntaxNode) => {
    const c = n.cursor();
    do if (c.name === 'VectorSelector') return true;
    while (c.next() && c.from < n.to);
    return false;
  };
  let found = false;
  tree.iterate({
    enter(ref) {
      if (ref.name === 'AggregateExpr') found = true;
      if (ref.name === 'BinaryExpr') {
        const sides: SyntaxNode[] = [];
        for (let c = ref.node.firstChild; c; c = c.nextSibling) if (/Expr$|Selector$|Call$/.test(c.name)) sides.push(c);
        if (sides.length === 2 && sides.every(hasSelector)) found = true;
      }
    },
  });
  return found;
}

/** Alert → its area file under test/promtool/ (group `metallb-<area>` → `<area>.yaml`), and whether it aggregates or joins. */
const alertFacts = new Map<string, { areaFile: string; aggregatesOrJoins: boolean }>();
for (const g of ruleFile('prometheus_alerts.yaml').groups) {
  for (const r of g.rules) {
    if (r.alert === undefined) continue;
    const before = alertFacts.get(r.alert);
    alertFacts.set(r.alert, {
      areaFile: `${g.name.replace(/^metallb-/, '')}.yaml`,
      aggregatesOrJoins: (before?.aggregatesOrJoins ?? false) || aggregatesOrJoins(r.expr),
    });
  }
}

describe('promtool unit tests cover the rule files', () => {
  it.each(alerts)(
    '%s has a firing case and a silent case in its area file, and a multi-cluster case if it aggregates or joins',
    (alert) => {
      const facts = alertFacts.get(alert)!;
      const own = cases.filter((c) => c.alertname === alert);
      expect(
        testFiles.map((t) => t.area),
        'area file',
      ).toContain(facts.areaFile);
      expect(
        own.some((c) => (c.exp_alerts ?? []).length > 0),
        'firing case',
      ).toBe(true);
      expect(
        own.some((c) => c.area === facts.areaFile && (c.exp_alerts ?? []).length === 0),
        `silent case in ${facts.areaFile}`,
      ).toBe(true);
      if (facts.aggregatesOrJoins) expect(own.some(multiCluster), 'case with two clusters in, alerts from exactly one out').toBe(true);
    },
  );

  it('tells aggregating or joining alerts from per-series ones', () => {
    expect(aggregatesOrJoins('metallb_k8s_client_config_stale_bool{job="x"} == 1')).toBe(false);
    expect(aggregatesOrJoins('rate(x[5m]) > 0.1')).toBe(false);
    expect(aggregatesOrJoins('max by (cluster, pool) (x) > 0')).toBe(true);
    expect(aggregatesOrJoins('x >= on (cluster, pool) y')).toBe(true);
    expect([...alertFacts.values()].filter((f) => f.aggregatesOrJoins).length).toBeGreaterThan(5);
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
