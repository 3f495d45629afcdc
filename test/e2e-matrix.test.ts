/**
 * The support matrix on the real Prometheus: every cell's series (test/matrix/estate.ts) replayed
 * one 30-second tick per second to Prometheus 2.42, which scrapes them, records `up` and staleness
 * itself, and evaluates the generated rules with every `for` shortened thirty times. Each cell runs
 * as several clusters side by side: one healthy, one per group of faults. One Prometheus per rule
 * config (the defaults, and each config `doctor` writes for a cell that needs one).
 *
 * What promtool's matrix (test/support-matrix.test.ts) does and this does not: cells without a
 * cluster label run here under one (several cells share a Prometheus), and a speaker pod that
 * disappears (`speakerMissing`) is left to promtool, since Prometheus applies a target's removal
 * by service discovery only every five seconds, which is ten minutes of this timeline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { defaultConfig, resolveConfig } from '../mixin/config/load.js';
import { cells, faults, outcome, type Cell, type Fault } from '../mixin/docs/support-matrix.js';
import { durationToMs } from '../mixin/promql/duration.js';
import { startPrometheus, waitFor, type PrometheusServer } from './harness/prometheus.js';
import { ReplayServer, type ReplaySeries } from './harness/replay.js';
import { tempDir } from './helpers/temp.js';
import { cellSeries, faultGroups, faultIdentity, timeline } from './matrix/estate.js';

/** A 30 s tick of the matrix timeline every second: `for` durations and the slow groups' interval shrink as much. */
const tickMs = 1000;
const speedUp = (timeline.step * 1000) / tickMs;

/** The fault groups replayed here: every one but the pod that disappears (see above). */
const groups = faultGroups.filter((g) => !g.includes('speakerMissing'));

interface Copy {
  readonly cell: Cell;
  readonly cluster: string;
  readonly faults: readonly Fault[];
}

const copiesOf = (cell: Cell): Copy[] => [
  { cell, cluster: `${cell.id}~healthy`, faults: [] },
  ...groups.map((faults, i) => ({ cell, cluster: `${cell.id}~faults-${i}`, faults })),
];

/** The rule config of a cell: the defaults, or the selectors `doctor` writes for it. */
const configKey = (cell: Cell) => (cell.config ? JSON.stringify(cell.config.selectors) : 'defaults');

function rulesFor(cell: Cell, dir: string): string[] {
  const alerts = Object.fromEntries(
    Object.entries(defaultConfig().alerts).map(([name, s]) => [
      name,
      { for: `${Math.max(1, Math.round(durationToMs(s.for) / speedUp / 1000))}s` },
    ]),
  );
  const cfg = resolveConfig({
    slowRulesInterval: `${tickMs / 1000}s`,
    mediumRulesInterval: `${tickMs / 1000}s`,
    alerts,
    ...(cell.config ? { selectors: cell.config.selectors } : {}),
  });
  const { files } = generate(cfg);
  return ['prometheus_alerts.yaml', 'prometheus_rules.yaml'].map((f) => {
    writeFileSync(join(dir, f), files.get(f) ?? '');
    return join(dir, f);
  });
}

/** The copy's series under its own cluster label. */
const seriesOf = (copy: Copy): ReplaySeries[] =>
  cellSeries(copy.cell, copy.faults).map((s) => ({ ...s, labels: { ...s.labels, cluster: copy.cluster } }));

type Fired = Readonly<Record<string, string>>[];

describe('support matrix on the real Prometheus: healthy raises nothing, each fault its alert', () => {
  const byConfig = new Map<string, Cell[]>();
  for (const cell of cells) byConfig.set(configKey(cell), [...(byConfig.get(configKey(cell)) ?? []), cell]);
  let replay: ReplayServer | undefined;
  const servers: PrometheusServer[] = [];
  /** Every alert that fired at any time, by rule config. */
  const fired = new Map<string, Fired>();

  beforeAll(async () => {
    const series = new Map<string, ReplaySeries[]>();
    [...byConfig].forEach(([, group], i) => series.set(`g${i}`, group.flatMap(copiesOf).flatMap(seriesOf)));
    replay = await ReplayServer.start(series, { tickMs, ticks: timeline.ticks });
    const configs = [...byConfig];
    for (const [i, [, group]] of configs.entries()) {
      const dir = tempDir('e2e-matrix');
      servers.push(await startPrometheus({ scrapeConfigs: replay.scrapeConfigs(`g${i}`), ruleFiles: rulesFor(group[0]!, dir) }));
    }
    // Tick 0 is served until every target has been scraped twice: Prometheus discovers and first
    // scrapes its targets over several seconds, and a fault from tick 4 must find data to change.
    for (const [i, [, group]] of configs.entries()) {
      const targets = replay.scrapeConfigs(`g${i}`).length;
      await waitFor(async () => Number((await servers[i]!.queryVector('count(count_over_time(up[1m]) >= 2)'))[0]?.value[1]) === targets, {
        timeoutMs: 60_000,
        what: `two scrapes of the ${targets} targets of ${group.map((c) => c.id).join(', ')}`,
      });
    }
    replay.restart();
    const started = Date.now();
    // The whole timeline, then its last tick held a while: on two busy cores an evaluation may come late.
    const runMs = timeline.ticks * tickMs + 15_000;
    await new Promise((resolve) => setTimeout(resolve, runMs));
    const window = `${Math.ceil((Date.now() - started) / 1000) + 2}s`;
    for (const [i, [key]] of configs.entries()) {
      const samples = await servers[i]!.queryVector(`max_over_time(ALERTS{alertstate="firing"}[${window}])`);
      fired.set(
        key,
        samples.map((s) => s.metric),
      );
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await replay?.stop();
  });

  it.each(cells.map((c) => [c.id, c] as const))('%s', (_id, cell) => {
    const alerts = fired.get(configKey(cell)) ?? [];
    const inCluster = (cluster: string) => alerts.filter((a) => a['cluster'] === cluster);
    const problems: string[] = [];
    for (const copy of copiesOf(cell)) {
      const seen = inCluster(copy.cluster);
      if (copy.faults.length === 0) {
        for (const a of seen.filter((x) => /^(warning|critical)$/.test(x['severity'] ?? '')))
          problems.push(`healthy: ${a['alertname']} fired (${JSON.stringify(a)})`);
        continue;
      }
      for (const fault of copy.faults) {
        const result = outcome(cell, fault);
        if (result === undefined) continue;
        const alert = faults[fault].alert;
        const named = seen.filter((a) => a['alertname'] === alert);
        if (result === 'absent') {
          if (named.length > 0) problems.push(`${fault}: ${alert} fired though the cell exports no data for it`);
          continue;
        }
        const identity = faultIdentity(cell, fault);
        if (!named.some((a) => Object.entries(identity).every(([k, v]) => a[k] === v)))
          problems.push(
            `${fault}: ${alert} did not fire with ${JSON.stringify(identity)}; fired: ${JSON.stringify(seen.map((a) => a['alertname']))}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});
