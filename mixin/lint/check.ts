import type { MixinConfig } from '../config/schema.js';
import { promtoolCommand } from './promtool.js';
import type { Mixin } from '../types.js';
import type { LintFinding } from './findings.js';
import { lintMixin } from './index.js';
import { promtoolFindings } from './promtool-check.js';
import { collectTargets } from './targets.js';

/** What the in-process lint and promtool say about a mixin. */
export interface MixinCheck {
  /** Findings of the in-process lint rules. */
  readonly lint: readonly LintFinding[];
  /** Expressions promtool rejects; empty when it did not run. */
  readonly promtool: readonly LintFinding[];
  /** False when promtool is not installed, or was not run because the lint already failed. */
  readonly promtoolChecked: boolean;
  /** Expressions parsed and linted. */
  readonly expressions: number;
  /** Time the in-process lint took. */
  readonly lintMs: number;
}

/**
 * Lint every expression in-process, then have promtool check the rule files and dashboard
 * queries (when it is installed).
 */
export async function checkMixin(mixin: Mixin, cfg: MixinConfig): Promise<MixinCheck> {
  const started = performance.now();
  const targets = collectTargets(mixin);
  const lint = lintMixin(mixin, cfg, targets);
  const lintMs = Math.round(performance.now() - started);
  // undefined: promtool is not installed.
  const promtool = await promtoolFindings(mixin, promtoolCommand(), targets);
  return {
    lint,
    promtool: promtool ?? [],
    promtoolChecked: promtool !== undefined,
    expressions: targets.length,
    lintMs,
  };
}
