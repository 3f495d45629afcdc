import type { ConfigIssue } from './errors.js';
import type { MixinConfig } from './schema.js';
import { isMatcherList } from '../promql/parse.js';

/** Checks that need more than one field, or a parser, and so cannot live in the JSON Schema. */
export function checkConfigSemantics(cfg: MixinConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [component, matchers] of Object.entries(cfg.selectors)) {
    if (!isMatcherList(matchers)) {
      issues.push({ path: `selectors.${component}`, message: `not a valid label matcher list: ${matchers}` });
    }
  }
  if (!isMatcherList(cfg.bgp.nativePeerMatcher)) {
    issues.push({ path: 'bgp.nativePeerMatcher', message: `not a valid label matcher list: ${cfg.bgp.nativePeerMatcher}` });
  }
  const usage = cfg.thresholds.poolUsage;
  if (usage.warning >= usage.critical) {
    issues.push({ path: 'thresholds.poolUsage.warning', message: `must be below critical (${usage.critical})` });
  }
  cfg.pools.exclude.forEach((pattern, i) => {
    try {
      new RegExp(pattern);
    } catch {
      issues.push({ path: `pools.exclude.${i}`, message: `not a valid regular expression: ${pattern}` });
    }
  });
  return issues;
}
