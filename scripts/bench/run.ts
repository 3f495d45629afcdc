import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordingRule } from '../../mixin/types.js';
import { backfillOpenMetrics, backfillRules } from './backfill.js';
import { buildEstate, type BenchCluster, type ClusterPlan } from './clusters.js';
import { startPrometheus, type PrometheusServer } from '../../test/harness/prometheus.js';
import { measure, type Measurement, type MeasureOptions } from './measure.js';
import { OpenMetricsParts } from '../../test/sim/openmetrics.js';
import type { QuerySet } from './queries.js';
import { writeStageFile } from './recorded.js';
import { writeEstate } from '../../test/sim/series.js';
import { benchTimeline, endTime } from './timeline.js';

interface RunContext {
  readonly promtool: string;
  readonly prometheus: string;
  /** Scratch directory; each size gets its own directory inside. */
  readonly scratch: string;
  readonly keep: boolean;
  readonly sets: readonly QuerySet[];
  readonly stages: readonly (readonly RecordingRule[])[];
  readonly measure: MeasureOptions;
  readonly log: (line: string) => void;
  /** Told about the Prometheus currently running, so an interrupt can stop it. */
  readonly onServer: (server: PrometheusServer | undefined) => void;
}

interface DataStats {
  readonly series: number;
  readonly samples: number;
  readonly bytes: number;
  readonly generateSeconds: number;
  readonly backfillSeconds: number;
  readonly startupSeconds: number;
  readonly recordSeconds: number;
}

export interface SizeRun {
  readonly size: number;
  readonly clusters: readonly (ClusterPlan & { services: number })[];
  readonly data: DataStats;
  readonly measurement: Measurement;
}

/**
 * Prometheus serving one size's TSDB: no scrapes, no rules. A TSDB of a gigabyte takes a while to
 * open and to close cleanly (it is reopened after each stage), and a query over it a while to answer.
 */
function serve(ctx: RunContext, tsdb: string): Promise<PrometheusServer> {
  return startPrometheus({
    binary: ctx.prometheus,
    scrapeConfigs: [],
    dataDir: tsdb,
    // Retention counts back from the newest block, so a fixed date in the past stays queryable.
    retention: '100y',
    logLevel: 'warn',
    readyTimeoutMs: 120_000,
    requestTimeoutMs: 600_000,
    stopGraceMs: 10_000,
  });
}

const secondsSince = (started: number) => (performance.now() - started) / 1000;

const blockCount = (tsdb: string) => readdirSync(tsdb).filter((d) => /^[0-9A-Z]{26}$/.test(d)).length;

/** A size whose raw data is in its TSDB. */
interface Prepared {
  readonly size: number;
  readonly dir: string;
  readonly tsdb: string;
  readonly clusters: readonly BenchCluster[];
  readonly stats: Pick<DataStats, 'series' | 'samples' | 'bytes' | 'generateSeconds' | 'backfillSeconds'>;
}

/** Parts of the OpenMetrics text handed to promtool while the rest is written. */
const partBytes = 1.5e9;

/**
 * Generates the clusters of one size as OpenMetrics and backfills them with promtool, one
 * promtool per part as soon as the part is written. Each part becomes a block; Prometheus merges
 * them later together with the recorded series.
 */
async function prepare(size: number, ctx: RunContext): Promise<Prepared> {
  const dir = mkdtempSync(join(ctx.scratch, `size-${size}-`));
  const tsdb = join(dir, 'tsdb');
  const started = performance.now();
  const backfills: Promise<void>[] = [];
  const file = new OpenMetricsParts(dir, benchTimeline, partBytes, (part) => {
    backfills.push(
      backfillOpenMetrics(ctx.promtool, part, tsdb).then(() => {
        if (!ctx.keep) rmSync(part);
      }),
    );
  });
  const clusters = buildEstate(size, benchTimeline);
  writeEstate(file, clusters, benchTimeline);
  file.close();
  const generateSeconds = secondsSince(started);
  ctx.log(`[${size}] generated ${file.series.toLocaleString('en-US')} series, ${file.samples.toLocaleString('en-US')} samples (${(file.bytes / 1e9).toFixed(2)} GB in ${backfills.length} part(s)) in ${generateSeconds.toFixed(1)} s`);
  await Promise.all(backfills);
  const backfillSeconds = secondsSince(started) - generateSeconds;
  ctx.log(`[${size}] backfill finished ${backfillSeconds.toFixed(1)} s after the last part was written`);
  return { size, dir, tsdb, clusters, stats: { series: file.series, samples: file.samples, bytes: file.bytes, generateSeconds, backfillSeconds } };
}

/**
 * Starts Prometheus on the raw data and backfills what our recording rules and alerts would have
 * recorded, one stage at a time, restarting Prometheus after each so the next stage reads the new
 * blocks. Returns the server running on everything.
 */
async function record(p: Prepared, ctx: RunContext): Promise<{ server: PrometheusServer; startupSeconds: number; recordSeconds: number }> {
  let started = performance.now();
  let server = await serve(ctx, p.tsdb);
  ctx.onServer(server);
  const startupSeconds = secondsSince(started);
  started = performance.now();
  try {
    for (const [i, rules] of ctx.stages.entries()) {
      const ruleFile = join(p.dir, `recorded-${i}.yaml`);
      writeStageFile(ruleFile, rules, `${benchTimeline.step}s`);
      await backfillRules(ctx.promtool, ruleFile, server.url, benchTimeline.start, endTime(benchTimeline), p.tsdb);
      await server.stop();
      server = await serve(ctx, p.tsdb);
      ctx.onServer(server);
    }
  } catch (err) {
    ctx.log(server.log());
    await server.stop();
    throw err;
  }
  const recordSeconds = secondsSince(started);
  ctx.log(`[${p.size}] recorded ${ctx.stages.reduce((n, s) => n + s.length, 0)} rules in ${ctx.stages.length} stage(s) in ${recordSeconds.toFixed(1)} s`);
  return { server, startupSeconds, recordSeconds };
}

/**
 * The recorded series arrive as blocks overlapping the raw one, and Prometheus merges overlapping
 * blocks about a minute after it opens the TSDB. Measuring before that would time every query
 * against a pile of blocks with a compaction running beside it, so wait for the merged block.
 */
async function waitForCompaction(tsdb: string, timeoutSeconds: number): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  while (blockCount(tsdb) > 1) {
    if (performance.now() > deadline) throw new Error(`Prometheus did not merge the ${blockCount(tsdb)} blocks of ${tsdb} within ${timeoutSeconds} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Every size in turn. While Prometheus sits out the minute before it merges one size's blocks,
 * the next size is generated and backfilled; its queries run only once both are done, so nothing
 * else of the bench competes with them.
 */
export async function runSizes(sizes: readonly number[], ctx: RunContext): Promise<SizeRun[]> {
  const runs: SizeRun[] = [];
  let next: Promise<Prepared> | undefined = sizes[0] !== undefined ? prepare(sizes[0], ctx) : undefined;
  for (let i = 0; next; i++) {
    const p: Prepared = await next;
    const { server, startupSeconds, recordSeconds } = await record(p, ctx);
    try {
      const waitStarted = performance.now();
      const merged = waitForCompaction(p.tsdb, 600);
      const following = sizes[i + 1];
      next = following !== undefined ? prepare(following, ctx) : undefined;
      // Keep the next size's preparation going even if this size fails, so its error is not lost.
      await Promise.all([merged, next?.then(() => undefined)]);
      ctx.log(`[${p.size}] blocks merged; measuring (${secondsSince(waitStarted).toFixed(1)} s after the last restart)`);
      const measurement = await measure(server, ctx.sets, ctx.measure, (line) => ctx.log(`[${p.size}] ${line}`));
      runs.push({
        size: p.size,
        clusters: p.clusters.map((c) => ({ ...c.plan, services: c.services.length })),
        data: { ...p.stats, startupSeconds, recordSeconds },
        measurement,
      });
    } catch (err) {
      ctx.log(server.log());
      void next?.catch(() => undefined);
      throw err;
    } finally {
      await server.stop();
      ctx.onServer(undefined);
      if (!ctx.keep) rmSync(p.dir, { recursive: true, force: true });
    }
  }
  return runs;
}
