/**
 * The support matrix (mixin/docs/support-matrix.ts) on promtool: every cell simulated healthy and
 * with each fault it can show; the alerts that fire are compared with what the matrix says. One
 * promtool run per cell, its input written into a temp dir that is removed afterwards.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { resolveConfig } from '../mixin/config/load.js';
import { cells, faults, faultsOf, outcome, type Cell, type Fault } from '../mixin/docs/support-matrix.js';
import {
  cellSeries,
  clusterName,
  faultGroups,
  faultIdentity,
  faultTick,
  faultyPeer,
  timeline,
  type StoredSeries,
} from './matrix/estate.js';
import { tempDir } from './helpers/cli.js';

/** Rules every minute over 30 s scrapes: half the evaluations, as a Prometheus with a 1m rule interval. */
const evaluationInterval = '1m';

/** Late enough for the longest `for` (15m) after the fault, inside the simulated window. */
const evalTime = `${((timeline.ticks - 2) * timeline.step) / 60}m`;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const selector = (name: string, labels: Readonly<Record<string, string>>) =>
  `${name}{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;

/**
 * promtool's input: a value per tick, `_` where there is none. Where a series stops (its target
 * fails or goes away, or the scrape no longer holds it) Prometheus writes a staleness marker, so
 * the series ends there instead of lingering for the 5-minute lookback.
 */
function inputSeries(series: readonly StoredSeries[]): { series: string; values: string }[] {
  return series.map((s) => ({
    series: selector(s.name, s.labels),
    values: Array.from(s.values, (v, t) =>
      !Number.isNaN(v) ? String(v) : t > 0 && !Number.isNaN(s.values[t - 1] ?? NaN) ? 'stale' : '_',
    ).join(' '),
  }));
}

interface ExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}

/** No warning or critical alert fires. */
const nothingFires = (): ExprTest => ({
  expr: 'count by (alertname) (ALERTS{alertstate="firing",severity=~"warning|critical"})',
  eval_time: evalTime,
  exp_samples: [],
});

/** The fault's alert fires once, naming what failed (hand-written identities: the faulty pod, pool, peer, Service). */
function faultFires(cell: Cell, fault: Fault): ExprTest {
  const alert = faults[fault].alert;
  const cluster: Record<string, string> = cell.clusterLabel ? { cluster: clusterName } : {};
  const expected = { alertname: alert, ...cluster, ...faultIdentity(cell, fault) };
  // The peer is spelled `IP`, `IP:179` or `IP:-1` depending on the back-end: one alert per session whatever the spelling.
  const peer = fault === 'bgpSessionDown' || fault === 'bfdFlapping' ? `,peer=~"${faultyPeer.replace(/\./g, '\\\\.')}(:-?[0-9]+)?"` : '';
  return {
    expr: `count by (${Object.keys(expected).join(', ')}) (ALERTS{alertstate="firing",alertname="${alert}"${peer}})`,
    eval_time: evalTime,
    exp_samples: [{ labels: selector('', expected), value: 1 }],
  };
}

const silent = (fault: Fault): ExprTest => ({
  expr: `count by (alertname) (ALERTS{alertstate="firing",alertname="${faults[fault].alert}"})`,
  eval_time: evalTime,
  exp_samples: [],
});

/** With the default selectors, a cell that needs config raises at most one alert of each name (one per cluster and component). */
const atMostOnePerAlert = (): ExprTest => ({
  expr: 'count by (alertname) (ALERTS{alertstate="firing",severity=~"warning|critical"}) > 1',
  eval_time: evalTime,
  exp_samples: [],
});

function promtool(args: string[], cwd: string): Promise<{ error: ExecFileException | null; output: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ error, output: `${stdout}${stderr}` }),
    );
  });
}

/** Writes the rule files built with `overrides` into `dir` under `prefix`. */
function writeRules(dir: string, prefix: string, overrides: Record<string, unknown>): string[] {
  const { files } = generate(resolveConfig(overrides));
  return ['prometheus_alerts.yaml', 'prometheus_rules.yaml'].map((f) => {
    writeFileSync(join(dir, `${prefix}-${f}`), files.get(f) ?? '');
    return `${prefix}-${f}`;
  });
}

describe('support matrix on promtool: healthy raises nothing, each fault its alert', () => {
  it('covers every value of every axis', () => {
    const values = (key: keyof Cell) => new Set(cells.map((c) => c[key]));
    expect(values('metallb')).toEqual(new Set(['0.13', '0.14', '0.15', '0.16']));
    expect(values('bgp')).toEqual(
      new Set(['native', 'frr8', 'frr10', 'frr-k8s-port-frr8', 'frr-k8s-port', 'frr-k8s-ip', 'frr-k8s-relabelled']),
    );
    expect(values('layout')).toEqual(new Set(['helm', 'helm-0.14.5', 'helm-name-override', 'helm-podmonitor', 'kustomize', 'operator']));
    expect(values('kubeStateMetrics')).toEqual(new Set(['complete', 'partial', 'absent']));
    expect(values('clusterLabel')).toEqual(new Set([true, false]));
    // Every fault of the matrix is simulated, each once.
    expect(faultGroups.flat().sort()).toEqual(Object.keys(faults).sort());
  });

  it.concurrent.each(cells.map((c) => [c.id, c] as const))('%s', async (_id, cell) => {
    const dir = tempDir('matrix');
    const base = writeRules(dir, 'default', {});
    const tuned = cell.config ? writeRules(dir, 'doctor', { selectors: cell.config.selectors }) : base;
    const test = (name: string, series: readonly StoredSeries[], expr: ExprTest[]) => ({
      name,
      interval: `${timeline.step}s`,
      input_series: inputSeries(series),
      promql_expr_test: expr,
    });
    const healthy = cellSeries(cell, []);
    const faulty = faultGroups
      .map((group) => group.filter((f) => faultsOf(cell).includes(f)))
      .filter((group) => group.length > 0)
      .map((group) => [group, cellSeries(cell, group)] as const);
    const files: [string, string[], object[]][] = [];
    if (cell.config) {
      // The defaults on this cell: no more than one alert per name, however wrong the selectors.
      files.push(['default.yaml', base, [test('healthy, default config', healthy, [atMostOnePerAlert()])]]);
    }
    files.push([
      'cell.yaml',
      tuned,
      [
        test('healthy', healthy, [nothingFires()]),
        ...faulty.map(([group, series]) =>
          test(
            `${group.join(' + ')} from ${faultTick * timeline.step}s`,
            series,
            group.map((f) => (outcome(cell, f) === 'absent' ? silent(f) : faultFires(cell, f))),
          ),
        ),
      ],
    ]);
    const failures: string[] = [];
    for (const [file, rules, tests] of files) {
      writeFileSync(join(dir, file), stringify({ rule_files: rules, evaluation_interval: evaluationInterval, tests }, { lineWidth: 0 }));
      const run = await promtool(['test', 'rules', file], dir);
      expect(run.error?.code, 'promtool must be installed (scripts/ensure-tools.sh)').not.toBe('ENOENT');
      if (run.error) failures.push(`${file}:\n${run.output.slice(0, 6000)}`);
    }
    expect(failures, `${cell.id}\n${failures.join('\n')}`).toEqual([]);
  });
});
