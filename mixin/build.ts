import { rmSync } from 'node:fs';
import { assembleMixin } from './assemble.js';
import type { MixinConfig } from './config/schema.js';
import { lintMixin } from './lint/index.js';
import type { Finding } from './lint/findings.js';
import { promtoolFindings } from './lint/promtool-check.js';
import { collectTargets } from './lint/targets.js';
import { promote, stagingDir, writeTree } from './output.js';
import { renderOutputs } from './render/index.js';
import { promtoolPath } from './tools/promtool.js';
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
 * Generate, validate everything, and only then replace `outDir`: every expression is linted
 * in-process and checked by promtool (rule files and dashboard queries), files go to a staging
 * directory beside it, and a rename puts them in place. Any failure leaves `outDir` exactly as it was.
 */
export function buildTo(cfg: MixinConfig, outDir: string, opts: { requirePromtool?: boolean } = {}): BuildReport {
  return buildMixinTo(assembleMixin(cfg), cfg, outDir, opts);
}

/** `buildTo` for an already assembled mixin: the seam tests use to feed it broken input. */
export function buildMixinTo(mixin: Mixin, cfg: MixinConfig, outDir: string, opts: { requirePromtool?: boolean } = {}): BuildReport {
  const files = renderOutputs(mixin, cfg);
  const targets = collectTargets(mixin);
  const findings = lintMixin(mixin, cfg, targets);
  if (findings.length > 0) throw new BuildError(`${findings.length} lint finding(s); out/ left untouched`, findings);

  const promtool = promtoolPath();
  if (!promtool && opts.requirePromtool) throw new BuildError('promtool is required but not installed');
  if (promtool) {
    const rejected = promtoolFindings(mixin, promtool, targets);
    if (rejected.length > 0) throw new BuildError(`promtool check rules rejected ${rejected.length} expression(s); out/ left untouched`, rejected);
  }
  const staged = stagingDir(outDir);
  try {
    writeTree(staged, files);
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
