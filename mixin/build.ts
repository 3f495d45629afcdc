import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { assembleMixin } from './assemble.js';
import type { MixinConfig } from './config/schema.js';
import { lintMixin } from './lint/index.js';
import type { Finding } from './lint/findings.js';
import { promote, stagingDir, writeTree } from './output.js';
import { renderOutputs } from './render/index.js';
import { checkRules, promtoolPath } from './tools/promtool.js';
import type { Mixin } from './types.js';

export interface Generated {
  readonly mixin: Mixin;
  readonly files: Map<string, string>;
}

/** The mixin and every out/ file, in memory. */
export function generate(cfg: MixinConfig): Generated {
  const mixin = assembleMixin(cfg);
  return { mixin, files: renderOutputs(mixin, cfg) };
}

export class BuildError extends Error {
  constructor(
    message: string,
    readonly findings: readonly Finding[] = [],
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

export interface BuildReport {
  readonly mixin: Mixin;
  readonly files: Map<string, string>;
  /** False when promtool was not installed, so only the in-process checks ran. */
  readonly promtoolChecked: boolean;
}

/**
 * Generate, validate everything, and only then replace `outDir`: files go to a staging directory
 * beside it, promtool checks the staged rule files, and a rename puts them in place. Any failure
 * leaves `outDir` exactly as it was.
 */
export function buildTo(cfg: MixinConfig, outDir: string, opts: { requirePromtool?: boolean } = {}): BuildReport {
  const { mixin, files } = generate(cfg);
  const findings = lintMixin(mixin, cfg);
  if (findings.length > 0) throw new BuildError(`${findings.length} lint finding(s); out/ left untouched`, findings);

  const promtool = promtoolPath();
  if (!promtool && opts.requirePromtool) throw new BuildError('promtool is required but not installed');
  const staged = stagingDir(outDir);
  try {
    writeTree(staged, files);
    if (promtool) {
      const ruleFiles = [...files.keys()].filter((f) => /^prometheus_(alerts|rules)\.yaml$/.test(f));
      const run = checkRules(ruleFiles.map((f) => join(staged, f)), promtool);
      if (!run.ok) throw new BuildError(`promtool check rules rejected the output; out/ left untouched:\n${run.output}`);
    }
    promote(staged, outDir);
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
  return { mixin, files, promtoolChecked: promtool !== undefined };
}

/** Counts for the one-line summary. */
export function summarize(mixin: Mixin): { dashboards: number; alerts: number; records: number } {
  return {
    dashboards: Object.keys(mixin.grafanaDashboards).length,
    alerts: mixin.prometheusAlerts.groups.reduce((n, g) => n + g.rules.length, 0),
    records: mixin.prometheusRules.groups.reduce((n, g) => n + g.rules.length, 0),
  };
}
