import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { assembleMixin } from '../mixin/assemble.js';
import { BuildError, buildMixinTo } from '../mixin/build.js';
import { formatFinding } from '../mixin/lint/findings.js';
import { expandPlaceholders } from '../mixin/grafana/expand.js';
import { readDashboard } from '../mixin/grafana/model.js';
import { variableQuery } from '../mixin/grafana/variable-query.js';
import { lintMixin, ruleIds } from '../mixin/lint/index.js';
import { dashboardRuleFile, promtoolFindings } from '../mixin/lint/promtool-check.js';
import { collectTargets } from '../mixin/lint/targets.js';
import type { Mixin } from '../mixin/types.js';
import { committedOut, repoRoot, runCli, snapshotTree, tempDir } from './helpers/cli.js';
import { alert, alertFindings, cfg, dashboard, dsel, findingsOf, mixinOf, panel, panelFindings, sel, variable } from './lint/fixtures.js';

const inUse = `metallb_allocator_addresses_in_use_total{${sel.controller}}`;
const poolSize = `metallb_allocator_addresses_total{${sel.controller}}`;
const updateErrors = `metallb_k8s_client_update_errors_total{${sel.controller}}`;
const l2Requests = `metallb_layer2_requests_received{${sel.speaker}}`;
const sessionUp = `metallb_bgp_session_up{${sel.speaker}}`;

describe('Grafana variable expansion', () => {
  it('turns built-in intervals into durations and keeps variables in strings recognisable', () => {
    const e = expandPlaceholders('rate(x{cluster="${cluster}", job=~"[[job]]", pod=~"${pod:regex}"}[$__rate_interval])', []);
    expect(e.expr).toBe('rate(x{cluster="$cluster", job=~"$job", pod=~"$pod"}[4m])');
  });

  it('maps offsets in the expanded query back to what the author wrote', () => {
    const source = 'sum(rate(x{a="${a}"}[$__rate_interval])) by (cluster)';
    const e = expandPlaceholders(source, []);
    const from = e.expr.indexOf('4m');
    expect(source.slice(e.toSource(from), e.toSource(from + 2))).toBe('$__rate_interval');
    const by = e.expr.indexOf('by');
    expect(source.slice(e.toSource(by), e.toSource(by + 2))).toBe('by');
  });

  it('uses interval variables as durations and plain current values elsewhere', () => {
    const { variables } = readDashboard({
      templating: {
        list: [
          { name: 'n', type: 'custom', current: { value: '5' } },
          { name: 'window', type: 'interval', current: { value: '10m' } },
        ],
      },
    });
    const e = expandPlaceholders('topk($n, avg_over_time(x[$window]))', variables);
    expect(e.expr).toBe('topk(5, avg_over_time(x[10m]))');
  });
});

describe('variable queries', () => {
  it('extracts the selector of label_values(), even with commas inside', () => {
    const q = 'label_values(sum by (cluster, pool) (x{a="1,2"}), pool)';
    const r = variableQuery(q);
    expect(r).toEqual({ kind: 'promql', fn: 'label_values', expr: 'sum by (cluster, pool) (x{a="1,2"})', offset: 13, label: 'pool' });
  });

  it('knows the forms without PromQL and rejects what Grafana would not run', () => {
    expect(variableQuery('label_values(cluster)')).toEqual({ kind: 'none', fn: 'label_values', label: 'cluster' });
    expect(variableQuery('metrics(metallb_.*)')).toEqual({ kind: 'none', fn: 'metrics' });
    expect(variableQuery('query_result(topk(5, up))')).toMatchObject({ kind: 'promql', expr: 'topk(5, up)' });
    expect(variableQuery('up{job="x"}').kind).toBe('invalid');
    expect(variableQuery('label_values(up, "cluster")').kind).toBe('invalid');
  });

  it('collects targets of nested row panels and both forms of variable query', () => {
    const row = { type: 'row', title: 'Row', panels: [panel({ title: 'Nested', exprs: [`up{${dsel}}`] })] };
    const d = dashboard([row], [variable({ name: 'instance', query: `label_values(up{${dsel}}, instance)` })]);
    const targets = collectTargets(mixinOf({ dashboards: { 'metallb-test.json': d } }));
    expect(targets.map((t) => t.where)).toEqual([
      'MetalLB / Test / Nested',
      'MetalLB / Test / variable $cluster',
      'MetalLB / Test / variable $instance',
    ]);
    expect(targets.every((t) => t.file === 'dashboards/metallb-test.json')).toBe(true);
  });
});

describe('lint rules: each trips on a bad expression and passes a good one', () => {
  it('promql-syntax', () => {
    const bad = alertFindings(`sum by (pool (${inUse})`, 'promql-syntax');
    expect(bad).toHaveLength(1);
    expect(bad[0]?.excerpt).toContain('^');
    expect(alertFindings(`sum by (cluster, pool) (${inUse}) > 0`, 'promql-syntax')).toEqual([]);
  });

  it('promql-type: ranges on expressions and range functions without a range', () => {
    expect(alertFindings(`rate(sum by (cluster) (${updateErrors})[5m]) > 0`, 'promql-type')).toHaveLength(1);
    expect(alertFindings(`rate(${updateErrors}) > 0`, 'promql-type')).toHaveLength(1);
    expect(alertFindings(`rate(${updateErrors}[5m]) > 0`, 'promql-type')).toEqual([]);
    expect(alertFindings(`max_over_time(sum by (cluster) (${inUse})[1h:5m]) > 0`, 'promql-type')).toEqual([]);
  });

  it('metric-unknown: a typo fails, catalogue names, up, ALERTS and our records pass', () => {
    const typo = alertFindings(`metallb_allocator_adresses_in_use_total{${sel.controller}} > 0`, 'metric-unknown');
    expect(typo).toHaveLength(1);
    expect(typo[0]?.message).toContain('metallb_allocator_adresses_in_use_total');
    expect(alertFindings(`${inUse} > 0 or up{${sel.speaker}} == 0 or ALERTS{alertname="X"}`, 'metric-unknown')).toEqual([]);
    const record = { record: 'cluster_pool:metallb_allocator_addresses_in_use_total:max', expr: `max by (cluster, pool) (${inUse})` };
    const usesRecord = mixinOf({ records: [record], alerts: [alert('cluster_pool:metallb_allocator_addresses_in_use_total:max > 0')] });
    expect(findingsOf(usesRecord, 'metric-unknown')).toEqual([]);
  });

  it('counter-without-rate: decided by the catalogue type, not the _total suffix', () => {
    expect(alertFindings(`${updateErrors} > 0`, 'counter-without-rate')).toHaveLength(1);
    // A counter without the suffix is still a counter.
    expect(alertFindings(`sum by (cluster) (${l2Requests}) > 0`, 'counter-without-rate')).toHaveLength(1);
    expect(alertFindings(`rate(${updateErrors}[5m]) > 0`, 'counter-without-rate')).toEqual([]);
    expect(alertFindings(`increase(${l2Requests}[1h]) > 0 or absent(${l2Requests})`, 'counter-without-rate')).toEqual([]);
    // Gauges that end in _total are fine raw.
    expect(alertFindings(`${inUse} >= ${poolSize}`, 'counter-without-rate')).toEqual([]);
  });

  it('gauge-in-rate: rate/irate/increase of a gauge fails, changes() of one passes', () => {
    const bad = alertFindings(`rate(${inUse}[5m]) > 0`, 'gauge-in-rate');
    expect(bad).toHaveLength(1);
    expect(bad[0]?.message).toContain('is a gauge');
    expect(alertFindings(`changes(${sessionUp}[15m]) > 2`, 'gauge-in-rate')).toEqual([]);
    expect(alertFindings(`rate(${l2Requests}[5m]) > 0`, 'gauge-in-rate')).toEqual([]);
  });

  it('selector-component: every selector carries its component selector from the config', () => {
    expect(alertFindings('metallb_allocator_addresses_in_use_total{pool="a"} > 0', 'selector-component')).toHaveLength(1);
    // The speaker's selector is not the controller's.
    expect(alertFindings(`metallb_allocator_addresses_in_use_total{${sel.speaker}} > 0`, 'selector-component')).toHaveLength(1);
    expect(alertFindings('up == 0', 'selector-component')).toHaveLength(1);
    expect(alertFindings(`${inUse} > 0 or up{${sel.frrK8s}} == 0`, 'selector-component')).toEqual([]);
    const record = { record: 'cluster_pool:metallb_allocator_addresses_in_use_total:max', expr: `max by (cluster, pool) (${inUse})` };
    expect(
      findingsOf(
        mixinOf({ records: [record], alerts: [alert('cluster_pool:metallb_allocator_addresses_in_use_total:max > 0')] }),
        'selector-component',
      ),
    ).toEqual([]);
  });

  it('selector-component follows the configured selectors', () => {
    const custom = { ...cfg, selectors: { ...cfg.selectors, controller: 'job="my-controller"' } };
    const mixin = mixinOf({ alerts: [alert(`${inUse} > 0`)] });
    expect(findingsOf(mixin, 'selector-component', custom)).toHaveLength(1);
    expect(
      findingsOf(
        mixinOf({ alerts: [alert('metallb_allocator_addresses_in_use_total{job="my-controller"} > 0')] }),
        'selector-component',
        custom,
      ),
    ).toEqual([]);
  });

  it('selector-cluster: dashboard selectors need cluster="$cluster", except the cluster variable', () => {
    const bad = panelFindings([`sum by (cluster) (rate(${l2Requests}[$__rate_interval]))`], 'selector-cluster');
    expect(bad).toHaveLength(1);
    expect(bad[0]?.where).toBe('MetalLB / Test / Test panel');
    expect(
      panelFindings([`sum by (cluster) (rate(metallb_layer2_requests_received{${dsel}}[$__rate_interval]))`], 'selector-cluster'),
    ).toEqual([]);
    expect(panelFindings([`metallb_bgp_session_up{${dsel.replace('"$cluster"', '"${cluster}"')}}`], 'selector-cluster')).toEqual([]);
    // Variables other than the cluster one are scoped to it too.
    const job = variable({ name: 'job', query: `label_values(up{${sel.speaker}}, job)` });
    expect(panelFindings([`up{${dsel}}`], 'selector-cluster', [job])).toHaveLength(1);
    // Rules see all clusters: no matcher required.
    expect(alertFindings(`${inUse} > 0`, 'selector-cluster')).toEqual([]);
  });

  it('aggregation-cluster: by() keeps the cluster label, without() does not remove it', () => {
    expect(alertFindings(`sum by (pool) (${inUse}) > 0`, 'aggregation-cluster')).toHaveLength(1);
    expect(alertFindings(`sum(${inUse}) > 0`, 'aggregation-cluster')).toHaveLength(1);
    expect(alertFindings(`sum without (cluster) (${inUse}) > 0`, 'aggregation-cluster')).toHaveLength(1);
    expect(alertFindings(`sum by (cluster, pool) (${inUse}) > 0`, 'aggregation-cluster')).toEqual([]);
    expect(alertFindings(`sum without (instance, pod) (${inUse}) > 0`, 'aggregation-cluster')).toEqual([]);
    expect(alertFindings(`topk(3, ${inUse})`, 'aggregation-cluster')).toEqual([]);
  });

  it('aggregation-cluster: a dashboard total is fine only when every selector is pinned to $cluster', () => {
    const pinned = `metallb_allocator_addresses_in_use_total{${sel.controller}, cluster="$cluster"}`;
    expect(panelFindings([`sum(${pinned})`], 'aggregation-cluster')).toEqual([]);
    expect(panelFindings([`sum(${pinned}) / sum(${poolSize})`], 'aggregation-cluster')).toHaveLength(1);
    expect(panelFindings([`sum by (pool) (${pinned})`], 'aggregation-cluster')).toHaveLength(1);
  });

  it('aggregation-cluster: a pinned variable query may group by the label it lists, an unpinned one may not', () => {
    const ids = (query: string) =>
      findingsOf(
        mixinOf({ dashboards: { 'metallb-test.json': dashboard([], [variable({ name: 'pool', query })]) } }),
        'aggregation-cluster',
      );
    const pinned = `metallb_allocator_addresses_total{${sel.controller}, cluster="$cluster"}`;
    expect(ids(`query_result(count by (pool) (${pinned}))`)).toEqual([]);
    expect(ids(`query_result(count by (pool) (${pinned} or ${poolSize}))`)).toHaveLength(1);
  });

  it('join-cluster: on() lists the cluster label, ignoring() does not', () => {
    const lhs = `sum by (cluster, pool) (${inUse})`;
    const rhs = `sum by (cluster, pool) (${poolSize})`;
    expect(alertFindings(`${lhs} / on (pool) ${rhs} > 0.9`, 'join-cluster')).toHaveLength(1);
    expect(alertFindings(`${lhs} / ignoring (cluster) ${rhs} > 0.9`, 'join-cluster')).toHaveLength(1);
    expect(alertFindings(`${lhs} / on (cluster, pool) ${rhs} > 0.9`, 'join-cluster')).toEqual([]);
    expect(alertFindings(`${lhs} / ignoring (instance) ${rhs} > 0.9`, 'join-cluster')).toEqual([]);
  });

  it("vector-matching: the seed's `x == 0 and sum(y) > 0` is reported, matched label sets pass", () => {
    const prefixes = `metallb_bgp_announced_prefixes_total{${sel.speaker}}`;
    const seed = alertFindings(`${prefixes} == 0 and sum(${inUse}) > 0`, 'vector-matching');
    expect(seed).toHaveLength(1);
    expect(seed[0]?.excerpt).toMatch(/\n\s*\^{3}$/);
    expect(seed[0]?.message).toContain('right: at least {}, at most {}');
    const fixed = `${prefixes} == 0 and on (cluster) group_left () (sum by (cluster) (${inUse}) > 0)`;
    expect(alertFindings(fixed, 'vector-matching')).toEqual([]);
    // Both sides aggregated alike, or one side a scalar: fine.
    expect(alertFindings(`sum by (cluster, pool) (${inUse}) / sum by (cluster, pool) (${poolSize}) > 0.9`, 'vector-matching')).toEqual([]);
    expect(alertFindings(`${inUse} / 100 > scalar(sum(${poolSize}))`, 'vector-matching')).toEqual([]);
    // Aggregated to {cluster} on one side, a raw series (job, instance…) on the other.
    expect(alertFindings(`${inUse} > sum by (cluster) (${poolSize})`, 'vector-matching')).toHaveLength(1);
  });

  it('vector-matching knows the labels our recording rules keep', () => {
    const record = { record: 'cluster_pool:metallb_allocator_addresses_total:max', expr: `max by (cluster, pool) (${poolSize})` };
    const bad = mixinOf({ records: [record], alerts: [alert(`${inUse} >= cluster_pool:metallb_allocator_addresses_total:max`)] });
    expect(findingsOf(bad, 'vector-matching')).toHaveLength(1);
    const good = mixinOf({
      records: [record],
      alerts: [alert(`max by (cluster, pool) (${inUse}) >= cluster_pool:metallb_allocator_addresses_total:max`)],
    });
    expect(findingsOf(good, 'vector-matching')).toEqual([]);
  });

  it('absent-for: absent() alerts wait at least two scrape intervals', () => {
    const expr = `absent(up{${sel.controller}} == 1)`;
    const bad = alertFindings(expr, 'absent-for', { for: '1m' });
    expect(bad).toHaveLength(1);
    expect(bad[0]?.message).toContain('at least 2m');
    expect(alertFindings(expr, 'absent-for', { for: '2m' })).toEqual([]);
    expect(alertFindings(`up{${sel.controller}} == 0`, 'absent-for', { for: '1m' })).toEqual([]);
  });

  it('mixtool alert conventions', () => {
    const base = `${inUse} > 0`;
    const ruleIds = (extra: Parameters<typeof alert>[1]) => lintMixin(mixinOf({ alerts: [alert(base, extra)] }), cfg).map((f) => f.rule);
    expect(ruleIds({})).toEqual([]);
    expect(ruleIds({ alert: 'MetalLBSessionBGP' })).toContain('alert-name-camelcase');
    expect(ruleIds({ alert: 'MetalLBBGPSessionDown' })).not.toContain('alert-name-camelcase');
    expect(ruleIds({ alert: `MetalLB${'Very'.repeat(9)}Long` })).toContain('alert-name-length');
    expect(ruleIds({ labels: { severity: 'page' } })).toContain('alert-severity');
    expect(ruleIds({ annotations: { description: 'Pool {{ $labels.pool }}.' } })).toContain('alert-summary-missing');
    expect(ruleIds({ annotations: { summary: 'Pool {{ $labels.pool }} is off.', description: 'Pool {{ $labels.pool }}.' } })).toContain(
      'alert-summary-templating',
    );
    expect(ruleIds({ annotations: { summary: 'something is off', description: 'Pool {{ $labels.pool }}.' } })).toContain(
      'alert-summary-style',
    );
    expect(ruleIds({ annotations: { summary: 'Something is off.' } })).toContain('alert-description-missing');
    expect(ruleIds({ annotations: { summary: 'Something is off.', description: 'A pool is off.' } })).toContain(
      'alert-description-templating',
    );
  });

  it('mixtool group limits and the record naming convention', () => {
    const many = Array.from({ length: 21 }, () => alert(`${inUse} > 0`));
    expect(findingsOf(mixinOf({ alerts: many }), 'group-rule-count')).toHaveLength(1);
    expect(findingsOf(mixinOf({ alerts: many.slice(0, 20) }), 'group-rule-count')).toEqual([]);
    const long: Mixin = {
      ...mixinOf({}),
      prometheusAlerts: { groups: [{ name: `metallb-${'x'.repeat(40)}`, rules: [alert(`${inUse} > 0`)] }] },
    };
    expect(findingsOf(long, 'group-name-length')).toHaveLength(1);
    expect(
      findingsOf(mixinOf({ records: [{ record: 'pool_usage', expr: `max by (cluster, pool) (${inUse})` }] }), 'record-name'),
    ).toHaveLength(1);
    expect(
      findingsOf(
        mixinOf({
          records: [{ record: 'cluster_pool:metallb_allocator_addresses_in_use_total:max', expr: `max by (cluster, pool) (${inUse})` }],
        }),
        'record-name',
      ),
    ).toEqual([]);
  });

  it('target-rate-interval: dashboards use [$__rate_interval] in rate() and irate()', () => {
    const bad = panelFindings([`sum by (cluster) (rate(metallb_layer2_requests_received{${dsel}}[5m]))`], 'target-rate-interval');
    expect(bad).toHaveLength(1);
    expect(bad[0]?.excerpt).toMatch(/\[5m\]\)\)\n\s+\^\^$/);
    expect(
      panelFindings([`sum by (cluster) (rate(metallb_layer2_requests_received{${dsel}}[$__rate_interval]))`], 'target-rate-interval'),
    ).toEqual([]);
    expect(alertFindings(`rate(${l2Requests}[5m]) > 0`, 'target-rate-interval')).toEqual([]);
  });

  it('template-multi-value-matcher: multi-value variables are matched with =~', () => {
    const instance = variable({ name: 'instance', query: `label_values(up{${dsel}}, instance)`, multi: true, includeAll: true });
    expect(panelFindings([`up{${dsel}, instance="$instance"}`], 'template-multi-value-matcher', [instance])).toHaveLength(1);
    expect(panelFindings([`up{${dsel}, instance=~"$instance"}`], 'template-multi-value-matcher', [instance])).toEqual([]);
  });

  it('panel rules: data source variable, title and description, at least one query', () => {
    const ids = (p: Record<string, unknown>) =>
      lintMixin(mixinOf({ dashboards: { 'metallb-test.json': dashboard([p]) } }), cfg).map((f) => f.rule);
    const good = panel({ exprs: [`up{${dsel}}`] });
    expect(ids(good)).toEqual([]);
    expect(ids({ ...good, datasource: { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' } })).toEqual(['panel-datasource']);
    expect(ids({ ...good, description: '' })).toEqual(['panel-title-description']);
    expect(ids({ ...good, targets: [] })).toEqual(['panel-no-targets']);
    expect(ids({ type: 'text', title: 'Notes', options: { content: 'hi' } })).toEqual([]);
  });

  it('template rules: data source, refresh on time change, a query Grafana can run', () => {
    const ids = (v: Record<string, unknown>) =>
      lintMixin(mixinOf({ dashboards: { 'metallb-test.json': dashboard([], [v]) } }), cfg).map((f) => f.rule);
    const good = variable({
      name: 'pool',
      query: `label_values(metallb_allocator_addresses_total{${sel.controller}, cluster="$cluster"}, pool)`,
    });
    expect(ids(good)).toEqual([]);
    expect(ids({ ...good, refresh: 1 })).toEqual(['template-refresh']);
    expect(ids({ ...good, datasource: 'Prometheus' })).toEqual(['template-datasource']);
    expect(ids({ ...good, query: 'metallb_allocator_addresses_total' })).toEqual(['template-query']);
    // The selector inside label_values() is linted like any other.
    expect(ids({ ...good, query: `label_values(metallb_allocator_adresses_total{${sel.controller}, cluster="$cluster"}, pool)` })).toEqual([
      'metric-unknown',
    ]);
  });
});

describe('promtool on dashboard queries', () => {
  it('writes one recording rule per query, after expansion, one group per dashboard', () => {
    const d = dashboard([panel({ exprs: [`rate(metallb_layer2_requests_received{${dsel}}[$__rate_interval])`, `up{${dsel}}`] })]);
    const { content, byRecord } = dashboardRuleFile(collectTargets(mixinOf({ dashboards: { 'metallb-test.json': d } })));
    expect(byRecord.size).toBe(3);
    const file = parseYaml(content) as { groups: { name: string; rules: { record: string; expr: string }[] }[] };
    expect(file.groups.map((g) => g.name)).toEqual(['dashboards/metallb-test.json']);
    expect(file.groups[0]?.rules.map((r) => r.record)).toEqual([...byRecord.keys()]);
    expect(content).toContain('[4m]');
    expect(content).not.toContain('$__rate_interval');
  });

  it('reports what the real Prometheus rejects, at the query it comes from', async () => {
    // Both parse with the web UI grammar; Prometheus 2.x rejects them.
    const d = dashboard(
      [
        panel({
          title: 'Usage',
          exprs: [`sum by (cluster) (metallb_allocator_addresses_in_use_total{${sel.controller}, cluster="$cluster"}) offset 5m`],
        }),
      ],
      [
        variable({
          name: 'pool',
          query: `label_values(metallb_allocator_addresses_total{${sel.controller}, cluster="$cluster", pool=~"(broken"}, pool)`,
        }),
      ],
    );
    const mixin = mixinOf({ dashboards: { 'metallb-test.json': d } });
    expect(lintMixin(mixin, cfg)).toEqual([]);
    const findings = (await promtoolFindings(mixin, 'promtool')) ?? [];
    expect(findings.map((f) => [f.file, f.where, f.rule])).toEqual([
      ['dashboards/metallb-test.json', 'MetalLB / Test / Usage', 'promtool'],
      ['dashboards/metallb-test.json', 'MetalLB / Test / variable $pool', 'promtool'],
    ]);
    expect(findings[0]?.message).toContain('offset');
    expect(findings[1]?.message).toContain('missing closing )');
    expect(findings[1]?.excerpt?.split('\n')[0]).toMatch(/^label_values\(/);
  });

  it('checks the rule files too, and passes valid ones', async () => {
    const good = mixinOf({
      alerts: [alert(`${inUse} > 0`)],
      dashboards: { 'metallb-test.json': dashboard([panel({ exprs: [`up{${dsel}}`] })]) },
    });
    expect(await promtoolFindings(good, 'promtool')).toEqual([]);
    const bad = mixinOf({ alerts: [alert(`sum by (cluster) (${inUse}) offset 5m > 0`)] });
    expect(((await promtoolFindings(bad, 'promtool')) ?? []).map((f) => [f.file, f.where])).toEqual([
      ['prometheus_alerts.yaml', 'alert MetalLBTestAlert'],
    ]);
  });
});

describe('the build refuses broken input and leaves out/ untouched', () => {
  /** The real mixin with one thing broken, built into a copy of out/. */
  async function buildBroken(breakIt: (m: Mixin) => void): Promise<{ message: string; untouched: boolean }> {
    const mixin = assembleMixin(cfg);
    breakIt(mixin);
    const out = join(tempDir('lint-broken'), 'out');
    cpSync(committedOut, out, { recursive: true });
    const before = snapshotTree(out);
    let message = '';
    try {
      await buildMixinTo(mixin, cfg, out);
    } catch (err) {
      if (!(err instanceof BuildError)) throw err;
      message = [...err.findings.map(formatFinding), err.message].join('\n');
    }
    return { message, untouched: JSON.stringify([...snapshotTree(out)]) === JSON.stringify([...before]) };
  }

  const addDashboard = (m: Mixin, expr: string) => {
    m.grafanaDashboards['metallb-broken.json'] = dashboard([panel({ title: 'Broken panel', exprs: [expr] })]);
  };

  it.each([
    [
      'a syntax error in an alert',
      (m: Mixin) =>
        m.prometheusAlerts.groups.push({
          name: 'metallb-broken',
          rules: [alert(`sum by (cluster (${inUse}) > 0`, { alert: 'MetalLBBroken' })],
        }),
      /prometheus_alerts\.yaml: alert MetalLBBroken: \[promql-syntax\]/,
    ],
    [
      "a typo'd metric in a panel",
      (m: Mixin) => addDashboard(m, `sum by (cluster) (metallb_allocator_adresses_total{${sel.controller}, cluster="$cluster"})`),
      /dashboards\/metallb-broken\.json: MetalLB \/ Test \/ Broken panel: \[metric-unknown\] metallb_allocator_adresses_total/,
    ],
    [
      'a rate() of a gauge',
      (m: Mixin) =>
        m.prometheusRules.groups.push({
          name: 'metallb-broken-rules',
          rules: [{ record: 'cluster:metallb_allocator_addresses_in_use_total:rate5m', expr: `sum by (cluster) (rate(${inUse}[5m]))` }],
        }),
      /prometheus_rules\.yaml: record cluster:metallb_allocator_addresses_in_use_total:rate5m: \[gauge-in-rate\]/,
    ],
    [
      'a dashboard selector without the cluster matcher',
      (m: Mixin) => addDashboard(m, `sum by (cluster) (${inUse})`),
      /dashboards\/metallb-broken\.json: MetalLB \/ Test \/ Broken panel: \[selector-cluster\]/,
    ],
  ])('%s', async (_name, breakIt, located) => {
    const { message, untouched } = await buildBroken(breakIt);
    expect(message).toMatch(located);
    expect(message).toMatch(/\^/);
    expect(message).toContain('out/ left untouched');
    expect(untouched).toBe(true);
  });
});

describe('metallb-mixin build runs promtool on the real output', () => {
  it('fails, locating the alert, when promtool rejects what the in-process checks cannot see', () => {
    // Label values are Go templates; only Prometheus knows their functions, so an unknown one
    // passes config validation and lint and must be stopped by promtool.
    const out = join(tempDir('lint-re2'), 'out');
    cpSync(committedOut, out, { recursive: true });
    const before = snapshotTree(out);
    const cfgFile = join(tempDir('lint-re2'), 'cfg.yaml');
    writeFileSync(cfgFile, 'alertLabels:\n  team: "{{ nosuchfunction }}"\n');
    const run = runCli(['build', '--config', cfgFile, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/prometheus_alerts\.yaml: alert MetalLB\w+: \[promtool\] /);
    expect(run.stderr).toContain('out/ left untouched');
    expect(snapshotTree(out)).toEqual(before);
  });
});

describe('docs/lint.md', () => {
  it('documents every rule id a finding can carry', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'lint.md'), 'utf8');
    expect(ruleIds.length).toBeGreaterThan(25);
    expect(ruleIds.filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
  });
});

describe('the real mixin', () => {
  it('is clean: metallb-mixin lint exits 0 (rules and promtool)', () => {
    const run = runCli(['lint']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/lint: no findings .*promtool check rules passed/);
    expect(run.status).toBe(0);
  });

  it('lints fast enough to run in every build', () => {
    const mixin = assembleMixin(cfg);
    lintMixin(mixin, cfg);
    const started = performance.now();
    lintMixin(mixin, cfg);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
