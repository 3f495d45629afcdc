/**
 * What the dashboards show: every stat and table panel, and the key per-pool and per-peer series,
 * evaluated by `promtool test rules` (with the committed recording rules) on the small two-cluster
 * install of test/dashboard-queries/small-cluster.yaml, against values worked out by hand in
 * expected.yaml. Queries are read from the built out/dashboards by panel title and refId, with
 * their Grafana variables expanded as Grafana's Prometheus data source does, so a changed
 * aggregation (`sum` → `count`) or a dropped grouping label (`vrf`) changes a number here.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { expandResolved, formatValues } from '../mixin/grafana/expand.js';
import { readDashboard, type GrafanaDashboard } from '../mixin/grafana/model.js';
import { queryTargets, type QueryTarget } from '../mixin/grafana/walk.js';
import type { DashboardJson } from '../mixin/types.js';
import { committedOut, tempDir } from './helpers/cli.js';
import { leftOpen } from './helpers/left-open.js';

interface ExpectedSample {
  readonly labels: string;
  readonly value: number;
}

interface Case {
  readonly panel: string;
  /** Only where the dashboard has two panels of this title. */
  readonly type?: string;
  readonly refId: string;
  /** Variable values chosen instead of the defaults (`cluster` east, every other variable "All"). */
  readonly select?: Readonly<Record<string, string>>;
  readonly exp_samples: readonly ExpectedSample[];
}

const here = join(import.meta.dirname, 'dashboard-queries');
const cluster = readFileSync(join(here, 'small-cluster.yaml'), 'utf8');
const expected = parse(readFileSync(join(here, 'expected.yaml'), 'utf8')) as Record<string, Case[]>;
const dashboardDir = join(committedOut, 'dashboards');
const dashboardFiles = readdirSync(dashboardDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const dashboards = new Map<string, GrafanaDashboard>(
  dashboardFiles.map((f) => [f, readDashboard(JSON.parse(readFileSync(join(dashboardDir, f), 'utf8')) as DashboardJson)]),
);

const evalTime = '10m';
/** Grafana's built-ins as it would set them for a 10-minute range with a 1-minute scrape. */
const builtins: Readonly<Record<string, string>> = {
  __range: '10m',
  __range_s: '600',
  __rate_interval: '5m',
  __interval: '1m',
  __interval_ms: '60000',
};
const defaultSelection: Readonly<Record<string, string>> = { cluster: 'east' };

/** The one target a case names; an unknown or ambiguous panel title is an error in the case. */
function targetOf(file: string, c: Case): QueryTarget {
  const dashboard = dashboards.get(file);
  if (!dashboard) throw new Error(`expected.yaml names ${file}, which out/dashboards does not hold`);
  const panels = queryTargets(dashboard).filter((t) => t.panel.title === c.panel && (c.type === undefined || t.panel.type === c.type));
  if (new Set(panels.map((t) => t.panel)).size > 1) throw new Error(`${file} has several panels titled ${c.panel}: give the case a type`);
  const target = panels.find((t) => t.target.refId === c.refId);
  if (!target) throw new Error(`${file} has no panel ${c.panel}${c.type ? ` of type ${c.type}` : ''} with a target ${c.refId}`);
  return target;
}

/** The query with every variable replaced: the chosen value, else "All", else the first option. */
function expand(dashboard: GrafanaDashboard, expr: string, select: Readonly<Record<string, string>>): string {
  const values = new Map<string, string>(Object.entries(builtins));
  for (const v of dashboard.variables) {
    if (v.type === 'datasource') continue;
    const chosen = select[v.name];
    if (chosen !== undefined) values.set(v.name, formatValues(v, [chosen], false));
    else if (v.includeAll) values.set(v.name, formatValues(v, [], true));
    else throw new Error(`variable ${v.name} has no "All": choose a value for it in the case`);
  }
  return expandResolved(expr, values);
}

const caseName = (file: string, c: Case) =>
  `${file} › ${c.panel}${c.type ? ` (${c.type})` : ''} › ${c.refId}${
    c.select
      ? ` with ${Object.entries(c.select)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`
      : ''
  }`;

/** Every case with its expanded query. */
const cases = Object.entries(expected).flatMap(([file, list]) =>
  list.map((c) => ({
    name: caseName(file, c),
    file,
    c,
    expr: expand(dashboards.get(file)!, targetOf(file, c).expr, { ...defaultSelection, ...c.select }),
  })),
);

/**
 * One promtool test file: the cluster, the recording rules, and every case's query; with
 * `shift`, every range shortened as Prometheus 3's left-open ranges see it (test/helpers/left-open.ts).
 */
function promtoolFile(rules: string, shift: (expr: string) => string = (e) => e): string {
  const input = parse(cluster) as { input_series: unknown[] };
  return stringify({
    rule_files: [rules],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: input.input_series,
        promql_expr_test: cases.map(({ expr, c }) => ({ expr: shift(expr), eval_time: evalTime, exp_samples: c.exp_samples })),
      },
    ],
  });
}

/** The committed recording rules with left-open ranges, written to `path`. */
function writeLeftOpenRules(path: string): void {
  const rules = parse(readFileSync(join(committedOut, 'prometheus_rules.yaml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  for (const rule of rules.groups.flatMap((g) => g.rules)) rule.expr = leftOpen(rule.expr).expr;
  writeFileSync(path, stringify(rules, { lineWidth: 0 }));
}

function promtoolRun(path: string): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile('promtool', ['test', 'rules', path], { encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
      resolve({ status: code, output: `${stdout}${stderr}${err && code === -1 ? String(err) : ''}` });
    });
  });
}

/** promtool's report of one expression (its `expr: "…", time: …` block), if it failed. */
function failureOf(output: string, expr: string): string | undefined {
  // promtool quotes the expression with Go's %q, which agrees with JSON for these ASCII queries.
  const at = output.indexOf(`expr: ${JSON.stringify(expr)}, time: ${evalTime}`);
  if (at < 0) return undefined;
  const next = output.indexOf('expr: ', at + 1);
  return output.slice(at, next < 0 ? undefined : next);
}

describe('dashboard queries on a small cluster, against hand-worked values', () => {
  const work = tempDir('dashboard-queries');
  let run: { status: number; output: string } = { status: -1, output: 'promtool did not run' };
  let leftOpenRun: { status: number; output: string } = { status: -1, output: 'promtool did not run' };

  beforeAll(async () => {
    const path = join(work, 'dashboard-queries.yaml');
    writeFileSync(path, promtoolFile(join(committedOut, 'prometheus_rules.yaml')));
    const leftOpenPath = join(work, 'dashboard-queries-left-open.yaml');
    writeLeftOpenRules(join(work, 'prometheus_rules.yaml'));
    writeFileSync(
      leftOpenPath,
      promtoolFile(join(work, 'prometheus_rules.yaml'), (e) => leftOpen(e).expr),
    );
    [run, leftOpenRun] = await Promise.all([promtoolRun(path), promtoolRun(leftOpenPath)]);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('cover every stat and table target of every dashboard', () => {
    const covered = new Set(
      cases
        .filter(({ c }) => c.select === undefined)
        .map(({ file, c }) => `${file} › ${c.panel} (${targetOf(file, c).panel.type ?? ''}) › ${c.refId}`),
    );
    const missing = [...dashboards].flatMap(([file, d]) =>
      queryTargets(d)
        .filter((t) => t.panel.type === 'stat' || t.panel.type === 'table')
        .map((t) => `${file} › ${t.panel.title} (${t.panel.type ?? ''}) › ${t.target.refId ?? ''}`)
        .filter((key) => !covered.has(key)),
    );
    expect(missing).toEqual([]);
  });

  it('promtool evaluated the file (installed: scripts/ensure-tools.sh); each failure it reports is one of the cases below', () => {
    expect(run.output).toMatch(run.status === 0 ? /SUCCESS/ : /FAILED:\s+expr: /);
    const reported = run.output.split('\n').filter((line) => /^\s+expr: /.test(line)).length;
    expect(cases.filter(({ expr }) => failureOf(run.output, expr) !== undefined)).toHaveLength(reported);
  });

  it.each(cases.map(({ name, expr }) => [name, expr] as const))('%s', (name, expr) => {
    expect(failureOf(run.output, expr), name).toBeUndefined();
  });

  it("give the same values under Prometheus 3's left-open ranges (no sample on a range's start counts)", () => {
    expect(leftOpenRun.output, leftOpenRun.output.slice(0, 8000)).toMatch(/SUCCESS/);
    expect(leftOpenRun.status).toBe(0);
  });
});
