import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.js';

export interface Timed {
  readonly label: string;
  readonly command: string;
  readonly medianMs: number;
  readonly runs: readonly number[];
}

export interface BuildSpeed {
  readonly nodeFloor: Timed;
  readonly sdkFloor: Timed;
  readonly generate: Timed;
  readonly cli: Timed;
  /** Debian's jsonnet evaluating the committed mixin: alerts, rules and dashboards. */
  readonly jsonnet: Timed;
}

/** Targets of issue 16 (build) and issue 15 (jsonnet), in milliseconds. */
export const buildTargets = { cliMs: 1000, jsonnetMs: 2000 };

function time(
  label: string,
  args: readonly string[],
  runs: number,
  cwd: string,
  shown = `node ${args.join(' ')}`,
  command = process.execPath,
): Timed {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - started;
    if (res.status !== 0) throw new Error(`${shown} failed (${res.status}):\n${res.stdout}${res.stderr}`);
    times.push(ms);
  }
  return { label, command: shown, medianMs: median(times), runs: times };
}

/** Everything a kube-prometheus build asks of the mixin. */
const jsonnetEval = 'local m = import "out/mixin.libsonnet"; { alerts: m.prometheusAlerts, rules: m.prometheusRules, dashboards: m.grafanaDashboards }';

/**
 * Build speed in fresh processes, beside two floors: starting node at all, and importing the
 * Grafana Foundation SDK (which every build pays). The CLI build includes promtool's check of the
 * rule files and writing every file.
 */
export function measureBuildSpeed(repoRoot: string, runs: number): BuildSpeed {
  const outDir = mkdtempSync(join(tmpdir(), 'metallb-bench-build-'));
  try {
    const generateScript =
      "const { generate } = await import('./dist/mixin/build.js'); const { defaultConfig } = await import('./dist/mixin/config/load.js'); generate(defaultConfig());";
    return {
      nodeFloor: time('node -e 0', ['-e', '0'], runs, repoRoot),
      sdkFloor: time('import the SDK', ['-e', "import('@grafana/grafana-foundation-sdk/dashboard')"], runs, repoRoot),
      generate: time('generate + render (in memory)', ['--input-type=module', '-e', generateScript], runs, repoRoot, 'node -e "generate(defaultConfig())" (dist/mixin/build.js)'),
      cli: time('CLI build, end to end', ['dist/scripts/cli.js', 'build', '--out', outDir], runs, repoRoot, 'node dist/scripts/cli.js build --out <tmp>'),
      jsonnet: time('jsonnet evaluation of out/mixin.libsonnet', ['-J', 'out', '-e', jsonnetEval], runs, repoRoot, `jsonnet -J out -e '${jsonnetEval}'`, 'jsonnet'),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
