import { describe, expect, it } from 'vitest';
import { assembleMixin } from '../mixin/assemble.js';
import { defaultConfig } from '../mixin/config/load.js';
import { liveness, type Liveness } from '../mixin/doctor/liveness.js';
import { readDashboard } from '../mixin/grafana/model.js';
import { panelName, queryTargets } from '../mixin/grafana/walk.js';
import { clusterSeries, problemRecord, problemsAbove, problemsAtLeast } from '../mixin/promql/problems.js';
import { parsePromQL } from '../mixin/promql/parse.js';
import { vectorSelectors } from '../mixin/promql/inspect.js';
import { bgpRecords } from '../rules/bgp.js';
import { componentRecords } from '../rules/components.js';
import { announcementRecords } from '../rules/announcements.js';
import { k8sClientRecords } from '../rules/k8s-client.js';
import { layer2Records } from '../rules/layer2.js';
import { poolRecords } from '../rules/pools.js';
import type { RecordSpec } from '../rules/record.js';

const cfg = defaultConfig();
const mixin = assembleMixin(cfg);
const specs: RecordSpec[] = [poolRecords, bgpRecords, k8sClientRecords, announcementRecords, layer2Records, componentRecords].flatMap(
  (g) => [...g.records(cfg)],
);
const alertRules = mixin.prometheusAlerts.groups.flatMap((g) => g.rules);
const recordingRules = mixin.prometheusRules.groups.flatMap((g) => g.rules);
const panelTargets = Object.entries(mixin.grafanaDashboards).flatMap(([file, json]) =>
  queryTargets(readDashboard(json)).map((t) => ({ reader: `${file.replace(/\.json$/, '')}/${panelName(t.panel)}`, expr: t.expr })),
);

/** Whether an expression reads the series `name` (a whole metric name, not a prefix of another). */
const reads = (expr: string, name: string) => vectorSelectors(parsePromQL(expr)).some((s) => s.metric === name);

describe('record registry', () => {
  it('declares every recorded series once, and only those', () => {
    const declared = specs.map((s) => s.name);
    expect(new Set(declared).size).toBe(declared.length);
    expect(recordingRules.map((r) => r.record).sort()).toEqual([...new Set(declared)].sort());
  });

  it.each(specs.map((s) => [s.name, s] as const))('%s lists exactly the alerts and panels that read it', (name, spec) => {
    const readers = new Set([
      ...alertRules.filter((a) => reads(a.expr, name)).map((a) => a.alert),
      ...panelTargets.filter((t) => reads(t.expr, name)).map((t) => t.reader),
    ]);
    expect([...new Set(spec.readBy)].sort()).toEqual([...readers].sort());
  });

  it('alerts read a problem record only above its heartbeat', () => {
    const problemNames = specs.filter((s) => s.kind === 'problems').map((s) => s.name);
    for (const alert of alertRules) {
      for (const name of problemNames.filter((n) => reads(alert.expr, n))) {
        const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const occurrences = alert.expr.match(new RegExp(`${escaped}[^\\s]*`, 'g')) ?? [];
        const followed = alert.expr.match(new RegExp(`${escaped}\\s*(>=? [0-9.]+)`, 'g')) ?? [];
        expect(followed.length, `${alert.alert} reads ${name}`).toBe(occurrences.length);
      }
    }
  });
});

describe('problem-record contract', () => {
  const expr = problemRecord('(a == bool 0) > 0', clusterSeries('group by (cluster) (up)'));
  const stateOf = (text: string, states: Record<string, Liveness>): Liveness => {
    const parsed = parsePromQL(text);
    const byFrom = new Map(vectorSelectors(parsed).map((s) => [s.from, states[s.metric ?? ''] ?? 'live'] as const));
    return liveness(parsed, (node) => byFrom.get(node.from) ?? 'live').state;
  };

  it('builds problems or a 0 per cluster', () => {
    expect(expr).toBe('(a == bool 0) > 0\nor\ngroup by (cluster) (up) * 0');
  });

  it('reads above the heartbeat, and refuses a threshold the heartbeat would pass', () => {
    expect(problemsAbove('x')).toBe('x > 0');
    expect(problemsAbove('x', 0.05)).toBe('x > 0.05');
    expect(problemsAtLeast('x', 2)).toBe('x >= 2');
    expect(() => problemsAbove('x', -1)).toThrow(/at least 0/);
    expect(() => problemsAtLeast('x', 0)).toThrow(/above 0/);
  });

  it('is judged by the doctor by its problem part: the heartbeat proves only that the rule runs', () => {
    expect(stateOf(expr, { a: 'blind' })).toBe('blind');
    expect(stateOf(expr, { a: 'na' })).toBe('na');
    expect(stateOf(expr, { up: 'blind' })).toBe('live');
    expect(stateOf('a or up * 2', { a: 'na' })).toBe('live');
  });
});
