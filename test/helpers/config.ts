import { ConfigError } from '../../mixin/config/errors.js';
import { resolveConfig } from '../../mixin/config/load.js';

/** The `path: message` lines resolveConfig rejects `input` with, or none if it accepts it. */
export function issuesOf(input: unknown): string[] {
  try {
    resolveConfig(input, 'test');
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}
