import type { MixinConfig } from '../config/schema.js';
import { blindItems, checkConfig, type CheckResult } from './blind.js';
import { PrometheusClient, type PrometheusEndpoint } from './client.js';
import { discoverFacts, type Facts, type Progress } from './discover.js';
import { synthesizeConfig, type ConfigFix } from './synthesize.js';

export interface DoctorOptions {
  readonly endpoint: PrometheusEndpoint;
  readonly config: MixinConfig;
  /** Where the config came from (a file name, or `defaults`), for the report. */
  readonly configSource: string;
  /** Check only the series of this cluster. */
  readonly cluster?: string;
  readonly progress?: Progress;
}

export interface DoctorResult {
  /** The Prometheus URL, credentials and query-string values redacted. */
  readonly prometheus: string;
  readonly cluster: string | undefined;
  readonly configSource: string;
  readonly facts: Facts;
  /** The config as given. */
  readonly check: CheckResult;
  /** Absent when there is nothing to build a config from (no MetalLB series). */
  readonly fix: ConfigFix | undefined;
  /** The fixed config, checked again in the same run. */
  readonly recheck: CheckResult | undefined;
  /** Why the run failed as a whole, e.g. no MetalLB series at all. */
  readonly problem: string | undefined;
  /** 0 when nothing applicable is blind with the checked config, 1 otherwise. */
  readonly exitCode: 0 | 1;
}

function noMetalLBMessage(facts: Facts, cluster: string | undefined): string {
  const where = cluster === undefined ? '' : ` in cluster "${cluster}"`;
  const jobs = facts.scrapedJobs.length > 0 ? `it scrapes ${facts.scrapedJobs.map((j) => `"${j}"`).join(', ')}` : 'it scrapes nothing';
  return `no MetalLB series found${where} (no metallb_* or frrk8s_* metric); ${jobs}. Is MetalLB's ServiceMonitor or scrape config in place, and is its ServiceAccount allowed to GET /metrics (MetalLB >= 0.16)?`;
}

/** Ask the Prometheus what is there, check the config against it, build the fix and check that too. */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorResult> {
  const client = new PrometheusClient(opts.endpoint);
  const progress = opts.progress ?? (() => undefined);
  try {
    const facts = await discoverFacts(client, opts.config, { cluster: opts.cluster, progress });
    const base = { prometheus: client.redactedUrl, cluster: opts.cluster, configSource: opts.configSource, facts };
    if (facts.metallbSeries === 0) {
      // Everything would be blind for the same reason: say it once instead of listing every alert.
      const check: CheckResult = { items: [], counts: { live: 0, blind: 0, na: 0, const: 0 } };
      return { ...base, check, fix: undefined, recheck: undefined, problem: noMetalLBMessage(facts, opts.cluster), exitCode: 1 };
    }
    const check = await checkConfig(client, opts.config, facts, progress);
    const fix = synthesizeConfig(opts.config, facts, client.redactedUrl);
    progress('re-checking with the fixed config');
    const recheck = fix.changes.length > 0 ? await checkConfig(client, fix.config, facts, progress) : check;
    return { ...base, check, fix, recheck, problem: undefined, exitCode: blindItems(check).length > 0 ? 1 : 0 };
  } finally {
    client.close();
  }
}
