import { describe, expect, it } from 'vitest';
import { assembleMixin } from '../mixin/assemble.js';
import { defaultConfig } from '../mixin/config/load.js';
import { liveness, type Liveness } from '../mixin/doctor/liveness.js';
import { readDashboard } from '../mixin/grafana/model.js';
import { panelName, queryTargets } from '../mixin/grafana/walk.js';
import { clusterSeries, problemRecord, problemsAbove, problemsAtLeast } from '../mixin/promql/problems.js';
import { parsePromQL } from '../mixin/promql/parse.js';
import { vectorSelectors } from '../mixin/promql/inspect.js';
import { durationToMs } from '../mixin/promql/duration.js';
import { recordGroups } from '../rules/index.js';
import type { RecordSpec } from '../rules/record.js';

const cfg = defaultConfig();
const mixin = assembleMixin(cfg);
const specs: RecordSpec[] = recordGroups.flatMap((g) => [...g.records(cfg)]);
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
    expect([...new Set(recordingRules.map((r) => r.record))].sort()).toEqual(declared.sort());
  });

  it('records nothing nobody reads: every record has an alert, a panel or another record reading it', () => {
    const unread = specs.filter((s) => s.readBy.length === 0 && !recordingRules.some((r) => r.record !== s.name && reads(r.expr, s.name)));
    expect(unread.map((s) => s.name)).toEqual([]);
  });

  it('runs at a slower pace only records whose alerts wait longer than the pace', () => {
    const alertFor = new Map(Object.entries(cfg.alerts).map(([name, settings]) => [name, durationToMs(settings.for)]));
    // A slow record serves dashboards, or alerts that wait 10 minutes anyway; a medium one, alerts
    // that wait at least its interval.
    const least = { slow: 10 * 60_000, medium: durationToMs(cfg.mediumRulesInterval) };
    const hurried = recordGroups.flatMap((g) =>
      g.pace === undefined
        ? []
        : [...g.records(cfg)].flatMap((s) =>
            s.readBy.filter((r) => (alertFor.get(r) ?? Infinity) < least[g.pace ?? 'slow']).map((r) => `${r} reads ${s.name} (${g.pace})`),
          ),
    );
    expect(hurried).toEqual([]);
    // Those groups, and only they, carry `interval:`, their pace's.
    expect(mixin.prometheusRules.groups.filter((g) => g.interval !== undefined).map((g) => g.interval)).toEqual(
      recordGroups.filter((g) => g.pace !== undefined).map((g) => (g.pace === 'slow' ? '4m' : '1m')),
    );
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
