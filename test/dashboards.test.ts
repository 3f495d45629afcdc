import type { SyntaxNode } from '@lezer/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { defaultConfig, resolveConfig } from '../mixin/config/load.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { formatFinding } from '../mixin/lint/findings.js';
import { lintMixin } from '../mixin/lint/index.js';
import { collectTargets } from '../mixin/lint/targets.js';
import { selectorsOf } from '../mixin/promql/inspect.js';
import { nodeText, parsePromQL, type ParsedExpr } from '../mixin/promql/parse.js';
import type { Mixin } from '../mixin/types.js';
import { grafanaValidator, type GrafanaValidator } from './helpers/grafana-schema.js';

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Target {
  expr: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
  refId: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  options?: Record<string, unknown>;
  fieldConfig?: {
    defaults: { unit?: string; thresholds?: { steps: { value: number | null; color: string }[] }; custom?: Record<string, unknown> };
  };
}
interface Variable {
  name: string;
  type: string;
  label?: string;
  query: unknown;
  hide?: number;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  refresh?: number;
  regex?: string;
  datasource?: { uid?: string };
}
interface Link {
  title: string;
  type: string;
  tags?: string[];
  asDropdown?: boolean;
  includeVars?: boolean;
  keepTime?: boolean;
  placement?: string;
}
interface Dashboard {
  id: null;
  uid: string;
  title: string;
  tags: string[];
  refresh: string;
  timezone: string;
  editable: boolean;
  time: { from: string; to: string };
  links: Link[];
  panels: Panel[];
  templating: { list: Variable[] };
}

const files = [
  'metallb-address-pools.json',
  'metallb-bgp-bfd.json',
  'metallb-components.json',
  'metallb-layer2.json',
  'metallb-overview.json',
];
const dashboardsOf = (mixin: Mixin) => mixin.grafanaDashboards as unknown as Record<string, Dashboard>;
const build = (cfg: MixinConfig) => dashboardsOf(generate(cfg).mixin);
const flatPanels = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const drawn = (d: Dashboard): Panel[] => flatPanels(d).filter((p) => p.type !== 'row');
const targetsOf = (d: Dashboard) => drawn(d).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));

/** The config variants the file builds besides the default. */
const variants: readonly [string, Parameters<typeof resolveConfig>[0]][] = [
  ['native only', { bgp: { modes: ['native'] } }],
  ['multi-cluster', { showMultiCluster: true, clusterLabel: 'k8s_cluster' }],
  ['FRR-K8s only', { bgp: { modes: ['frr-k8s'] } }],
];

/** Each panel query parsed as the linter parses it (Grafana variables expanded), by `<file>\n<expr>`. */
function parsedPanelQueries(mixin: Mixin): Map<string, ParsedExpr> {
  const out = new Map<string, ParsedExpr>();
  for (const t of collectTargets(mixin)) if (t.kind === 'panel') out.set(`${t.file.replace(/^dashboards\//, '')}\n${t.source}`, t.parsed);
  return out;
}

/** What the outermost operation of a query leaves: one aggregated series set, a scalar, or raw per-series data. */
type Shape = 'aggregated' | 'scalar' | 'per-series';

const operandNames = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'ParenExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
  'StepInvariantExpr',
]);
function operands(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (operandNames.has(c.name)) out.push(c);
  return out;
}
/** Functions that build a label-less series from a scalar. */
const scalarToVector = new Set(['vector', 'time', 'pi']);

/**
 * Aggregations (topk/bottomk included) are aggregated; a function is when its vector arguments are
 * (histogram_quantile over a sum, label_replace of a count); a join when both sides are; a series
 * when it is one of our recording rules whose own expression is aggregated.
 */
function shapeOf(node: SyntaxNode, expr: string, aggregatedRecords: ReadonlySet<string>): Shape {
  const inner = (n: SyntaxNode) => shapeOf(n, expr, aggregatedRecords);
  switch (node.name) {
    case 'AggregateExpr':
      return 'aggregated';
    case 'NumberDurationLiteral':
    case 'StringLiteral':
      return 'scalar';
    case 'VectorSelector': {
      const name = node.getChild('Identifier');
      return name && aggregatedRecords.has(nodeText(expr, name)) ? 'aggregated' : 'per-series';
    }
    case 'FunctionCall': {
      const fn = node.getChild('FunctionIdentifier');
      if (fn && scalarToVector.has(nodeText(expr, fn))) return 'scalar';
      const shapes = operands(node.getChild('FunctionCallBody')!).map(inner);
      return shapes.includes('aggregated') && !shapes.includes('per-series') ? 'aggregated' : 'per-series';
    }
    case 'BinaryExpr': {
      const shapes = operands(node).map(inner);
      if (shapes.includes('per-series')) return 'per-series';
      return shapes.includes('aggregated') ? 'aggregated' : 'scalar';
    }
    default: {
      const [first] = operands(node);
      return first ? inner(first) : 'per-series';
    }
  }
}
const topShape = (parsed: ParsedExpr, aggregatedRecords: ReadonlySet<string>) =>
  shapeOf(parsed.tree.topNode.firstChild!, parsed.expr, aggregatedRecords);

/** Our recording rules whose expression is aggregated, in file order so a rule built on another sees it. */
function aggregatedRecordsOf(mixin: Mixin): Set<string> {
  const out = new Set<string>();
  for (const r of mixin.prometheusRules.groups.flatMap((g) => g.rules))
    if (topShape(parsePromQL(r.expr), out) === 'aggregated') out.add(r.record);
  return out;
}

const overlaps = (a: GridPos, b: GridPos) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('dashboards', () => {
  let cfg: MixinConfig;
  let mixin: Mixin;
  let dashboards: Record<string, Dashboard>;
  let validator: GrafanaValidator;

  beforeAll(() => {
    cfg = defaultConfig();
    mixin = generate(cfg).mixin;
    dashboards = dashboardsOf(mixin);
    validator = grafanaValidator();
  });

  it('are the five files of the set', () => {
    expect(Object.keys(dashboards).sort()).toEqual(files);
  });

  describe('Grafana JSON schemas', () => {
    it.each(files)('%s validates: dashboard, panel options and field config per type, Prometheus targets', (file) => {
      expect(validator.validate(dashboards[file])).toEqual([]);
    });

    it('validates the variants other configs produce (native only, multi-cluster, FRR-K8s only)', () => {
      for (const [, partial] of variants) {
        for (const d of Object.values(build(resolveConfig(partial)))) expect(validator.validate(d)).toEqual([]);
      }
    });

    it('catches broken dashboards: wrong enum, misspelt option, wrong type, unknown target field, broken panel', () => {
      const broken = (mutate: (d: Dashboard) => void) => {
        const d = structuredClone(dashboards['metallb-overview.json']!);
        mutate(d);
        return validator
          .validate(d)
          .map((p) => `${p.where} ${p.message}`)
          .join('\n');
      };
      const first = (d: Dashboard, type: string) => drawn(d).find((p) => p.type === type)!;
      expect(broken((d) => (first(d, 'stat').options!['colorMode'] = 'rainbow'))).toMatch(
        /options \/colorMode must be equal to one of the allowed values/,
      );
      expect(broken((d) => ((first(d, 'timeseries').options!['legend'] as Record<string, unknown>)['placment'] = 'right'))).toMatch(
        /must NOT have additional properties: placment/,
      );
      expect(broken((d) => (first(d, 'timeseries').fieldConfig!.defaults.custom!['lineWidth'] = 'thick'))).toMatch(
        /custom \/lineWidth must be number/,
      );
      expect(broken((d) => ((first(d, 'stat').targets![0] as unknown as Record<string, unknown>)['exprr'] = 'up'))).toMatch(
        /targets\[0\] .*additional properties: exprr/,
      );
      expect(broken((d) => ((first(d, 'stat').gridPos as unknown as Record<string, unknown>)['w'] = '6'))).toMatch(
        /gridPos\/w must be number/,
      );
      expect(broken((d) => (first(d, 'stat').options!['colourMode'] = 'value'))).toMatch(
        /options \/ must NOT have additional properties: colourMode/,
      );
      expect(broken((d) => ((first(d, 'table').targets![0] as unknown as Record<string, unknown>)['instant'] = 'yes'))).toMatch(
        /targets\[0\] \/instant must be boolean/,
      );
      expect(broken((d) => ((first(d, 'stat') as unknown as Record<string, unknown>)['titel'] = 'x'))).toMatch(
        /\/panels\/\d+ must NOT have additional properties: titel/,
      );
      expect(broken((d) => ((d as unknown as Record<string, unknown>)['__inputs'] = []))).toMatch(/additional properties: __inputs/);
    });
  });

  describe('structure', () => {
    it.each(files)('%s: ids are unique and sequential, the dashboard id is null', (file) => {
      const d = dashboards[file]!;
      expect(d.id).toBeNull();
      expect(flatPanels(d).map((p) => p.id)).toEqual(flatPanels(d).map((_, i) => i + 1));
    });

    it.each(files)('%s: panels fit the 24-column grid, do not overlap, and sit below their row', (file) => {
      const d = dashboards[file]!;
      const panels = flatPanels(d);
      for (const p of panels) {
        expect(p.gridPos.w, p.title).toBeGreaterThan(0);
        expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
        expect(Number.isInteger(p.gridPos.x) && Number.isInteger(p.gridPos.w), p.title).toBe(true);
      }
      for (let i = 0; i < panels.length; i++) {
        for (let j = i + 1; j < panels.length; j++) {
          expect(overlaps(panels[i]!.gridPos, panels[j]!.gridPos), `${panels[i]!.title} overlaps ${panels[j]!.title}`).toBe(false);
        }
      }
      // Expanded rows only: no nested panels, and each panel follows its row on the grid.
      let rowY = -1;
      for (const p of d.panels) {
        expect(p.panels ?? [], p.title).toEqual([]);
        if (p.type === 'row') {
          expect(p.gridPos).toEqual({ x: 0, y: expect.any(Number) as number, w: 24, h: 1 });
          expect(p.gridPos.y).toBeGreaterThan(rowY);
          rowY = p.gridPos.y;
        } else {
          expect(p.gridPos.y, p.title).toBeGreaterThan(rowY);
        }
      }
      expect(d.panels[0]!.type).toBe('row');
    });

    it.each(files)('%s: every panel has a title, description, unit and ${datasource} on the panel and each target', (file) => {
      for (const p of drawn(dashboards[file]!)) {
        expect(p.title.length, `${file}: panel without title`).toBeGreaterThan(0);
        expect(p.description?.length ?? 0, p.title).toBeGreaterThan(20);
        expect(p.fieldConfig?.defaults.unit, p.title).toMatch(/^[a-z]+$/);
        expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets?.length ?? 0, p.title).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(t.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      }
    });

    it.each(files)('%s: legends name their series', (file) => {
      for (const { panel, target } of targetsOf(dashboards[file]!)) {
        expect(target.legendFormat, panel.title).toBeDefined();
        expect(target.legendFormat, panel.title).not.toBe('__auto');
        // A query that keeps labels (a `by`, topk, or a plain selector) must show them.
        const keepsLabels = /\bby \(|topk|bottomk|^\w+\{/.test(target.expr) && !/^count\(|^sum\(|^max\(|^min\(/.test(target.expr);
        if (keepsLabels && panel.type !== 'table') expect(target.legendFormat, `${panel.title}: ${target.expr}`).toMatch(/\{\{\w+\}\}/);
      }
    });

    it('each JSON stays far below the 262,144-byte kubectl annotation limit', () => {
      for (const d of Object.values(dashboards)) expect(JSON.stringify(d, null, 2).length).toBeLessThan(262_144 / 2);
    });
  });

  describe('queries', () => {
    it('lintMixin finds nothing in the default config (counters rated, gauges not, variables, cluster label, ...)', () => {
      expect(lintMixin(mixin, cfg).map(formatFinding)).toEqual([]);
    });

    it.each(variants)('lintMixin finds nothing in the %s variant', (_, partial) => {
      const variant = resolveConfig(partial);
      expect(lintMixin(generate(variant).mixin, variant).map(formatFinding)).toEqual([]);
    });

    it('every selector carries the cluster matcher, and every query parses', () => {
      const parsed = parsedPanelQueries(mixin);
      let selectors = 0;
      for (const [file, d] of Object.entries(dashboards)) {
        for (const { panel, target } of targetsOf(d)) {
          const expanded = parsed.get(`${file}\n${target.expr}`);
          expect(expanded?.problems, `${d.title} / ${panel.title}`).toEqual([]);
          for (const s of selectorsOf(expanded!.expr)) {
            selectors++;
            expect(s.matchers, `${d.title} / ${panel.title}: ${s.metric}`).toContainEqual({ label: 'cluster', op: '=', value: '$cluster' });
          }
        }
      }
      expect(selectors).toBeGreaterThan(100);
    });

    it('uses the configured cluster label', () => {
      const other = generate(resolveConfig({ clusterLabel: 'k8s_cluster' })).mixin;
      const parsed = [...parsedPanelQueries(other).values()];
      expect(parsed.length).toBeGreaterThan(50);
      for (const { expr } of parsed) {
        for (const s of selectorsOf(expr)) expect(s.matchers).toContainEqual({ label: 'k8s_cluster', op: '=', value: '$cluster' });
      }
    });

    it('never spells a job or a BGP prefix the config does not produce: modes drop out of the queries', () => {
      const exprs = (c: MixinConfig) =>
        Object.values(build(c))
          .flatMap((d) => targetsOf(d).map(({ target }) => target.expr))
          .join('\n');
      const native = exprs(resolveConfig({ bgp: { modes: ['native'] } }));
      // Recorded series (`cluster:metallb_bgp_session_up:sum`) are named after MetalLB's metric in every mode.
      expect(native).not.toMatch(/(?<!:)\b(frrk8s_|metallb_bfd_)/);
      expect(native).toContain('metallb_bgp_pending_prefixes_total');
      const frrK8s = exprs(resolveConfig({ bgp: { modes: ['frr-k8s'] } }));
      expect(frrK8s).not.toMatch(/(?<!:)\bmetallb_(bgp|bfd)_/);
      // Received prefixes exist only in FRR-K8s mode; the panel reads their per-peer recording.
      expect(frrK8s).toContain('cluster_peer_vrf:metallb_bgp_received_prefixes_total:sum');
      expect(native).not.toContain('received_prefixes');
      expect(frrK8s).toContain('frrk8s_bgp_session_up');
      const custom = exprs(resolveConfig({ selectors: { speaker: 'job="my-speakers"', frrMetrics: 'job="my-frr"' } }));
      expect(custom).toContain('metallb_speaker_announced{job="my-speakers"');
      expect(custom).toContain('metallb_bgp_session_up{job="my-frr"');
      expect(custom).not.toContain('speaker-monitor-service');
    });

    it('tells an aggregated query from a per-series one', () => {
      const records = aggregatedRecordsOf(mixin);
      const shape = (e: string) => topShape(parsePromQL(e), records);
      for (const e of [
        'sum by (cluster) (rate(x[5m]))',
        'topk(5, rate(x[5m]))',
        'histogram_quantile(0.9, sum by (cluster, le) (rate(x_bucket[5m])))',
        'label_replace(count by (cluster) (x), "a", "$1", "b", "(.*)")',
        'sum(x) / sum(y) > 0',
        'sum(x) or vector(0)',
        'cluster:metallb_bgp_session_up:count',
      ]) {
        expect(shape(e), e).toBe('aggregated');
      }
      for (const e of [
        'rate(x[5m])',
        'x',
        'rate(x[5m]) > 0',
        'sum(x) / y',
        'label_replace(rate(x[5m]), "a", "$1", "b", "(.*)")',
        'histogram_quantile(0.9, rate(x_bucket[5m]))',
        'metallb_bgp_session_up',
      ]) {
        expect(shape(e), e).toBe('per-series');
      }
    });

    it('aggregates before drawing: no range panel draws a raw per-series selector', () => {
      const records = aggregatedRecordsOf(mixin);
      const parsed = parsedPanelQueries(mixin);
      let checked = 0;
      for (const [file, d] of Object.entries(dashboards)) {
        for (const p of drawn(d).filter((p) => p.type === 'timeseries' || p.type === 'state-timeline')) {
          for (const t of p.targets ?? []) {
            checked++;
            expect(topShape(parsed.get(`${file}\n${t.expr}`)!, records), `${d.title} / ${p.title}: ${t.expr}`).toBe('aggregated');
          }
        }
      }
      expect(checked).toBeGreaterThan(30);
    });
  });

  describe('variables', () => {
    it.each(files)('%s: datasource, then a hidden cluster, then multi-select filters with All that reload on time change', (file) => {
      const vars = dashboards[file]!.templating.list;
      expect(vars[0]).toMatchObject({ name: 'datasource', type: 'datasource', label: 'Data source', query: 'prometheus', regex: '' });
      expect(vars[1]).toMatchObject({ name: 'cluster', type: 'query', hide: 2, refresh: 2, datasource: { uid: '${datasource}' } });
      expect(String(vars[1]!.query)).toMatch(/^label_values\(up\{.*\}, cluster\)$/);
      for (const v of vars.slice(2)) {
        expect(v, v.name).toMatchObject({ type: 'query', multi: true, includeAll: true, refresh: 2, datasource: { uid: '${datasource}' } });
        expect(v.allValue, v.name).toMatch(/^\.[+*]$/);
        const inner = /^(?:label_values|query_result)\((.*?)(?:, \w+)?\)$/.exec(String(v.query));
        expect(inner, `${v.name}: ${String(v.query)}`).not.toBeNull();
        for (const s of selectorsOf(inner![1]!))
          expect(s.matchers, v.name).toContainEqual({ label: 'cluster', op: '=', value: '$cluster' });
      }
    });

    it('every variable a query uses is defined on its dashboard', () => {
      const builtin = new Set(['__rate_interval', '__range', '__interval']);
      for (const d of Object.values(dashboards)) {
        const names = new Set(d.templating.list.map((v) => v.name));
        for (const { target } of targetsOf(d)) {
          // `$1` is a regex group of label_replace: Grafana leaves a name that is no variable as it is.
          for (const [, a, b] of target.expr.matchAll(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g)) {
            const name = (a ?? b)!;
            expect(builtin.has(name) || names.has(name), `${d.title}: $${name}`).toBe(true);
          }
        }
      }
    });

    it('shows the cluster variable and takes the data source settings from the config', () => {
      const d = build(
        resolveConfig({
          showMultiCluster: true,
          clusterLabel: 'k8s_cluster',
          dashboards: { datasource: { name: 'Thanos', regex: '/thanos.*/' } },
        }),
      )['metallb-overview.json']!;
      expect(d.templating.list[0]).toMatchObject({ regex: '/thanos.*/', current: { text: 'Thanos', value: 'Thanos' } });
      expect(d.templating.list[1]).toMatchObject({ name: 'cluster', hide: 0 });
      expect(String(d.templating.list[1]!.query)).toMatch(/, k8s_cluster\)$/);
    });
  });

  describe('settings from the config', () => {
    it('uid, title, tags, time, refresh, timezone, editable and the dashboards link', () => {
      const custom = build(
        resolveConfig({
          dashboards: {
            uidPrefix: 'lb-',
            uids: { 'metallb-layer2.json': 'my-l2' },
            titlePrefix: 'LB / ',
            tags: ['net', 'lb'],
            refresh: '1m',
            timezone: 'browser',
            from: 'now-6h',
          },
        }),
      );
      expect(
        Object.values(custom)
          .map((d) => d.uid)
          .sort(),
      ).toEqual(['lb-address-pools', 'lb-bgp-bfd', 'lb-components', 'lb-overview', 'my-l2']);
      for (const d of Object.values(custom)) {
        expect(d.title).toMatch(/^LB \/ [A-Z]/);
        expect(d).toMatchObject({
          tags: ['net', 'lb'],
          refresh: '1m',
          timezone: 'browser',
          editable: false,
          time: { from: 'now-6h', to: 'now' },
        });
        expect(d.links).toHaveLength(1);
        expect(d.links[0]).toMatchObject({ type: 'dashboards', tags: ['net', 'lb'], asDropdown: true, includeVars: true, keepTime: true });
        // The SDK's default would move the link into the controls menu (foundation-sdk#1272).
        expect(d.links[0]).not.toHaveProperty('placement');
      }
      expect(
        Object.values(dashboards)
          .map((d) => d.title)
          .sort(),
      ).toEqual([
        'MetalLB / Address pools',
        'MetalLB / BGP and BFD',
        'MetalLB / Components',
        'MetalLB / Layer 2 and announcements',
        'MetalLB / Overview',
      ]);
    });

    it('rejects a uid override for a dashboard that does not exist', () => {
      expect(() => resolveConfig({ dashboards: { uids: { 'metallb-nope.json': 'x' } } })).toThrow(
        /dashboards\.uids: no dashboard named metallb-nope\.json/,
      );
    });

    it('pool panels use the alert thresholds', () => {
      const stepsOf = (d: Dashboard) =>
        drawn(d)
          .filter((p) => p.fieldConfig?.defaults.unit === 'percent')
          .map((p) => p.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value));
      const pools = build(resolveConfig({ thresholds: { poolUsage: { warning: 60, critical: 70 } } }))['metallb-address-pools.json']!;
      expect(stepsOf(pools).length).toBeGreaterThan(3);
      for (const steps of stepsOf(pools)) expect(steps).toEqual([null, 60, 70]);
      for (const steps of stepsOf(dashboards['metallb-overview.json']!)) expect(steps).toEqual([null, 85, 95]);
    });

    it('builds fresh objects each time: a second build neither changes nor shares the first', () => {
      const first = build(cfg);
      const snapshot = JSON.stringify(first);
      const second = build(resolveConfig({ dashboards: { uidPrefix: 'other-' } }));
      expect(JSON.stringify(first)).toBe(snapshot);
      expect(second['metallb-overview.json']!.panels[1]).not.toBe(first['metallb-overview.json']!.panels[1]);
      expect(JSON.stringify(build(cfg))).toBe(snapshot);
    });
  });

  describe('contents', () => {
    const exprsOf = (file: string) =>
      targetsOf(dashboards[file]!)
        .map(({ target }) => target.expr)
        .join('\n');
    const titlesOf = (file: string) => drawn(dashboards[file]!).map((p) => p.title);

    it('overview: firing MetalLB alerts, pools, sessions, config, targets and announcements', () => {
      const exprs = exprsOf('metallb-overview.json');
      expect(exprs).toContain('ALERTS{cluster="$cluster", alertname=~"MetalLB.*", alertstate="firing"}');
      for (const m of [
        'cluster_pool:metallb_allocator_addresses_in_use:ratio',
        'cluster:metallb_bgp_session_up:count',
        'cluster:metallb_bfd_session_up:sum',
        'metallb_k8s_client_config_stale_bool',
        'cluster_protocol:metallb_speaker_announced_ips:count',
        'up{',
      ]) {
        expect(exprs).toContain(m);
      }
    });

    it('BGP: a state timeline per node and peer, prefixes, message rates and BFD', () => {
      const d = dashboards['metallb-bgp-bfd.json']!;
      const timeline = drawn(d).find((p) => p.title === 'BGP session state per node and peer')!;
      expect(timeline.type).toBe('state-timeline');
      expect(timeline.targets![0]!.legendFormat).toBe('{{instance}} → {{peer}} {{vrf}}');
      expect(titlesOf('metallb-bgp-bfd.json')).toEqual(
        expect.arrayContaining([
          'Prefixes announced per peer',
          'Prefixes received per peer',
          'Prefixes pending per peer',
          'UPDATE messages',
          'KEEPALIVE messages',
          'BFD session state by peer',
          'BFD session down events',
        ]),
      );
      expect(d.templating.list.map((v) => v.name)).toEqual(['datasource', 'cluster', 'host', 'peer', 'vrf']);
    });

    it('layer 2: who announces what as a table of service, IP, protocol and node', () => {
      const table = drawn(dashboards['metallb-layer2.json']!).find((p) => p.title === 'Who announces what')!;
      expect(table.type).toBe('table');
      expect(table.targets![0]!.expr).toMatch(/^count by \(cluster, service, ip, protocol, node\) \(metallb_speaker_announced\{/);
      expect(exprsOf('metallb-layer2.json')).toMatch(/metallb_layer2_gratuitous_sent/);
    });

    it('components: reconcile and work-queue metrics of controller-runtime, process CPU and memory', () => {
      const exprs = exprsOf('metallb-components.json');
      for (const m of [
        'controller_runtime_reconcile:rate5m',
        'controller_runtime_reconcile_time_seconds_bucket',
        'workqueue_depth',
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'metallb_k8s_client_updates_total',
        'frrk8s_k8s_client_updates_total',
      ]) {
        expect(exprs).toContain(m);
      }
    });
  });
});
