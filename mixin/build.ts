import { assembleMixin } from './assemble.js';
import type { MixinConfig } from './config/schema.js';
import { lintMixin } from './lint/index.js';
import { promtoolCommand } from './lint/promtool.js';
import { promtoolFindings } from './lint/promtool-check.js';
import { collectTargets } from './lint/targets.js';
import type { LintFinding } from './lint/findings.js';
import { replaceOutDir } from './output/replace.js';
import { renderOutputs } from './render/index.js';
import { ScenarioError } from './scenarios/error.js';
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
    readonly findings: readonly LintFinding[] = [],
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
 * in-process and checked by promtool (rule files and dashboard queries), then `replaceOutDir` swaps
 * the files in, refusing any folder it did not write. Any failure leaves `outDir` exactly as it was.
 */
export function buildTo(cfg: MixinConfig, outDir: string, opts: { requirePromtool?: boolean } = {}): Promise<BuildReport> {
  return buildMixinTo(assembleMixin(cfg), cfg, outDir, opts);
}

/** `buildTo` for an already assembled mixin: the seam tests use to feed it broken input. */
export async function buildMixinTo(
  mixin: Mixin,
  cfg: MixinConfig,
  outDir: string,
  opts: { requirePromtool?: boolean } = {},
): Promise<BuildReport> {
  const targets = collectTargets(mixin);
  const lint = lintMixin(mixin, cfg, targets);
  if (lint.length > 0) throw new BuildError(`${lint.length} lint finding(s); out/ left untouched`, lint);
  // promtool checks in its own process while the outputs render here; nothing is written before both are done.
  const checking = promtoolFindings(mixin, promtoolCommand(), targets);
  const rendered = renderOutputsOrRefusal(mixin, cfg);
  const rejected = await checking;
  if (rejected === undefined && opts.requirePromtool) throw new BuildError('promtool is required but not installed');
  if (rejected !== undefined && rejected.length > 0)
    throw new BuildError(`promtool check rules rejected ${rejected.length} expression(s); out/ left untouched`, rejected);
  if (rendered instanceof Error) throw rendered;
  replaceOutDir(outDir, rendered);
  return { mixin, files: rendered, promtoolChecked: rejected !== undefined };
}

/**
 * The outputs, or the error to throw once promtool has answered: a BuildError saying why the tests
 * cannot be generated for this config (e.g. thresholds no sampling can reach), or a bug's own error.
 */
function renderOutputsOrRefusal(mixin: Mixin, cfg: MixinConfig): Map<string, string> | Error {
  try {
    return renderOutputs(mixin, cfg);
  } catch (err) {
    if (err instanceof ScenarioError) return new BuildError(`${err.message}; out/ left untouched`);
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Counts for the one-line summary. */
export function summarize(mixin: Mixin): { dashboards: number; alerts: number; records: number } {
  return {
    dashboards: Object.keys(mixin.grafanaDashboards).length,
    alerts: mixin.prometheusAlerts.groups.reduce((n, g) => n + g.rules.length, 0),
    records: mixin.prometheusRules.groups.reduce((n, g) => n + g.rules.length, 0),
  };
}
