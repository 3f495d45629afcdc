#!/usr/bin/env node
/**
 * `npm run bench`: build speed, and the query cost of the mixin's alerts, recording rules and
 * dashboards against synthetic clusters of 10, 100 and 1,000 nodes, side by side with the seed's,
 * on the real Prometheus. Writes bench/results.md and prints the summary table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { generate } from '../mixin/build.js';
import { replaceSection } from '../mixin/docs/sync.js';
import { defaultConfig } from '../mixin/config/load.js';
import { promtoolPath } from '../mixin/lint/promtool.js';
import type { PrometheusServer } from '../test/harness/prometheus.js';
import { measureBuildSpeed } from './bench/buildspeed.js';
import { selectedCluster } from './bench/clusters.js';
import { rateIntervalSeconds, type GrafanaSettings } from './bench/grafana.js';
import { ourQueries, seedQueries } from './bench/queries.js';
import { recordingStages } from './bench/recorded.js';
import { estateNotes, readmeSummary, renderReport, summaryTable, type BenchReport } from './bench/report.js';
import { runSizes, type SizeRun } from './bench/run.js';
import { verdicts } from './bench/summary.js';
import { benchTimeline, endTime } from './bench/timeline.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const defaultOut = 'bench/results.md';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const sizeList = (v: string) => v.split(',').map((s) => positiveInt(s.trim()));

const program = new Command('bench')
  .description('Build speed and query cost at scale, ours beside the seed, on a real Prometheus.')
  .option('--sizes <list>', 'node counts of the selected cluster, comma-separated', sizeList, [10, 100, 1000])
  .option('--repeat <n>', 'runs of each query (the median is reported)', positiveInt, 3)
  .option('--build-runs <n>', 'runs of each build-speed command', positiveInt, 5)
  .option('--no-build-speed', 'skip the build-speed part')
  .option('--seed <dir>', 'the seed alerts, rules and dashboard', '../shared/seed')
  .option(
    '--out <file>',
    "where to write the report (relative to the repository); the default one also updates the README's summary",
    defaultOut,
  )
  .option('--work-dir <dir>', 'scratch space for the generated data', tmpdir())
  .option('--keep', 'keep the generated data and TSDB')
  .parse();

interface Options {
  sizes: number[];
  repeat: number;
  buildRuns: number;
  buildSpeed: boolean;
  seed: string;
  out: string;
  workDir: string;
  keep?: boolean;
}
const opts = program.opts<Options>();

/** The data source's scrape interval matches the data (30 s); a 1 h range on a ~1,000 px panel stays at that step. */
const grafana: GrafanaSettings = { rangeSeconds: 3600, scrapeSeconds: benchTimeline.step, defaultMaxDataPoints: 1000 };
const panelSeriesLimit = 50;
const targetSize = 1000;

const log = (line: string) => process.stderr.write(`${line}\n`);

function version(binary: string): string {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${binary} --version failed: is it installed? ${run.stderr ?? ''}`);
  return /version (\S+)/.exec(run.stdout)?.[1] ?? run.stdout.split('\n')[0] ?? '?';
}

/** The commit measured, and whether the working tree differed from it. */
function gitCommit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown commit';
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' });
  return `${head.stdout.trim()}${status.stdout.trim() ? ' with uncommitted changes' : ''}`;
}

let running: PrometheusServer | undefined;
let scratch: string | undefined;
function cleanUp(): void {
  if (scratch && !opts.keep) rmSync(scratch, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  void (running?.stop() ?? Promise.resolve()).finally(() => {
    cleanUp();
    process.exit(130);
  });
});

async function main(): Promise<void> {
  const promtool = promtoolPath();
  if (!promtool) throw new Error('promtool not found (Debian package "prometheus", or set PROMTOOL)');
  const prometheus = process.env['PROMETHEUS'] ?? 'prometheus';
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const versions = {
    'metallb-mixin': `${pkg.version} (${gitCommit()})`,
    Node: process.version,
    Prometheus: version(prometheus),
    promtool: version(promtool),
  };

  let buildSpeed;
  if (opts.buildSpeed) {
    log(`build speed: ${opts.buildRuns} runs of each command`);
    buildSpeed = measureBuildSpeed(repoRoot, opts.buildRuns);
  }

  const cfg = defaultConfig();
  const { mixin } = generate(cfg);
  const seedDir = resolve(repoRoot, opts.seed);
  const seed = seedQueries(seedDir);
  if (!seed) log(`no seed at ${seedDir}: measuring ours alone`);
  const sets = [ourQueries(mixin), ...(seed ? [seed] : [])];

  mkdirSync(opts.workDir, { recursive: true });
  scratch = mkdtempSync(join(opts.workDir, 'metallb-mixin-bench-'));
  let runs: SizeRun[];
  try {
    runs = await runSizes(opts.sizes, {
      promtool,
      prometheus,
      scratch,
      keep: opts.keep ?? false,
      sets,
      stages: recordingStages(mixin),
      measure: { repeat: opts.repeat, time: endTime(benchTimeline), grafana, cluster: selectedCluster, clusterVariable: cfg.clusterLabel },
      log,
      onServer: (server) => (running = server),
    });
  } finally {
    cleanUp();
  }

  const cpu = cpus();
  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cores: cpu.length, cpu: cpu[0]?.model.trim() ?? 'unknown CPU', memoryGiB: Math.round(totalmem() / 2 ** 30) },
    versions,
    settings: {
      repeat: opts.repeat,
      step: `${grafana.scrapeSeconds}s`,
      rateInterval: `${rateIntervalSeconds(grafana.scrapeSeconds, grafana)}s`,
      scrape: `${benchTimeline.step}s`,
      selectedCluster,
    },
    buildSpeed,
    runs,
    seedDir: seed ? opts.seed : undefined,
    targetSize,
    panelSeriesLimit,
  };
  const outFile = resolve(repoRoot, opts.out);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, renderReport(report, estateNotes(report)));
  // Only the canonical report feeds the README: a trial run elsewhere must not change what it quotes.
  const summary = readmeSummary(report);
  if (outFile === resolve(repoRoot, defaultOut) && summary) {
    const readme = join(repoRoot, 'README.md');
    writeFileSync(readme, replaceSection(readFileSync(readme, 'utf8'), 'bench-summary', summary, 'README.md'));
    log('README.md: bench-summary updated');
  }

  console.log(`\n${summaryTable(report)}\n`);
  const target = runs.find((r) => r.size === targetSize);
  if (target) {
    const v = verdicts(target, panelSeriesLimit);
    if (v.alerts)
      console.log(
        `alerts at ${targetSize} nodes: ${v.alerts.pass ? 'pass' : 'FAIL'} (ours/seed ${(v.alerts.ours / v.alerts.seed).toFixed(2)})`,
      );
    for (const d of v.dashboards) console.log(`${d.file}: ${d.pass ? 'pass' : 'FAIL'} (ours/seed ${d.ratio.toFixed(2)}, target <= 0.5)`);
    console.log(
      `panels over ${panelSeriesLimit} series: ${v.panelsOverLimit.length === 0 ? 'none' : v.panelsOverLimit.map((p) => `${p.file} / ${p.panel} (${p.series})`).join('; ')}`,
    );
  }
  console.log(`report written to ${opts.out}`);
}

await main().catch(async (err: unknown) => {
  await running?.stop();
  cleanUp();
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
