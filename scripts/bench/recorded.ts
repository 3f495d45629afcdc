import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { selectorsOf } from '../../mixin/promql/inspect.js';
import type { Mixin, RecordingRule } from '../../mixin/types.js';

/**
 * The series a running Prometheus would have recorded: our recording rules, and `ALERTS` for
 * every alert (approximated as firing whenever its expression returns a series, ignoring `for`),
 * so that panels reading either find data. `promtool tsdb create-blocks-from rules` evaluates
 * each file against the running Prometheus; rules that read other recorded series must wait for
 * those to be in the TSDB, hence stages.
 */
export function recordingStages(mixin: Mixin): RecordingRule[][] {
  const records = mixin.prometheusRules.groups.flatMap((g) => g.rules);
  const alerts: RecordingRule[] = mixin.prometheusAlerts.groups.flatMap((g) =>
    g.rules.map((a) => ({
      record: 'ALERTS',
      expr: `(${a.expr}) * 0 + 1`,
      labels: {
        ...Object.fromEntries(Object.entries(a.labels).filter(([, v]) => !v.includes('{{'))),
        alertname: a.alert,
        alertstate: 'firing',
      },
    })),
  );
  const recordedNames = new Set(records.map((r) => r.record));
  const stage = new Map<RecordingRule, number>();
  const stageOf = (rule: RecordingRule, seen: ReadonlySet<RecordingRule>): number => {
    const known = stage.get(rule);
    if (known !== undefined) return known;
    if (seen.has(rule)) throw new Error(`recording rule ${rule.record} depends on itself`);
    const inputs = selectorsOf(rule.expr)
      .map((s) => s.metric)
      .filter((m): m is string => m !== undefined && recordedNames.has(m));
    // A record that reads its own last value (to hold a state) does not wait for itself.
    const deps = records.filter((r) => r.record !== rule.record && inputs.includes(r.record));
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => stageOf(d, new Set([...seen, rule]))));
    stage.set(rule, value);
    return value;
  };
  const all = [...records, ...alerts];
  const stages: RecordingRule[][] = [];
  for (const rule of all) {
    const s = stageOf(rule, new Set());
    (stages[s] ??= []).push(rule);
  }
  return stages.filter((s) => s.length > 0);
}

/** A rule file for one stage, evaluated every `interval` (the scrape interval of the data). */
export function writeStageFile(path: string, rules: readonly RecordingRule[], interval: string): void {
  writeFileSync(path, stringify({ groups: [{ name: 'bench-recorded', interval, rules }] }));
}
