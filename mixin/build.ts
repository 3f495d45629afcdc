import { assembleMixin } from './assemble.js';
import type { MixinConfig } from './config/schema.js';
import { checkMixin } from './lint/check.js';
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
export function buildTo(cfg: MixinConfig, outDir: string, opts: { requirePromtool?: boolean } = {}): BuildReport {
  return buildMixinTo(assembleMixin(cfg), cfg, outDir, opts);
}

/** `buildTo` for an already assembled mixin: the seam tests use to feed it broken input. */
export function buildMixinTo(mixin: Mixin, cfg: MixinConfig, outDir: string, opts: { requirePromtool?: boolean } = {}): BuildReport {
  const check = checkMixin(mixin, cfg, { promtoolAfterLintFindings: false });
  if (check.lint.length > 0) throw new BuildError(`${check.lint.length} lint finding(s); out/ left untouched`, check.lint);
  if (!check.promtoolChecked && opts.requirePromtool) throw new BuildError('promtool is required but not installed');
  const rejected = check.promtool;
  if (rejected.length > 0)
    throw new BuildError(`promtool check rules rejected ${rejected.length} expression(s); out/ left untouched`, rejected);
  const files = renderOutputsOrRefuse(mixin, cfg);
  replaceOutDir(outDir, files);
  return { mixin, files, promtoolChecked: check.promtoolChecked };
}

/** The outputs, or a BuildError saying why the tests cannot be generated for this config (e.g. thresholds no sampling can reach). */
function renderOutputsOrRefuse(mixin: Mixin, cfg: MixinConfig): Map<string, string> {
  try {
    return renderOutputs(mixin, cfg);
  } catch (err) {
    if (err instanceof ScenarioError) throw new BuildError(`${err.message}; out/ left untouched`);
    throw err;
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
