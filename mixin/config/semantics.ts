import type { ConfigIssue } from './errors.js';
import type { MixinConfig } from './schema.js';
import { isMatcherList } from '../promql/parse.js';
import { durationToMs } from '../promql/duration.js';
import { selectorsOf } from '../promql/inspect.js';
import { re2Problem } from '../promql/regex.js';

/** Checks that need more than one field, or a parser, and so cannot live in the JSON Schema. */
export function checkConfigSemantics(cfg: MixinConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [component, matchers] of Object.entries(cfg.selectors)) {
    if (!isMatcherList(matchers)) {
      issues.push({ path: `selectors.${component}`, message: `not a valid label matcher list: ${matchers}` });
      continue;
    }
    for (const m of selectorsOf(`up{${matchers}}`)[0]?.matchers ?? []) {
      const problem = m.op.includes('~') ? re2Problem(m.value) : undefined;
      if (problem) issues.push({ path: `selectors.${component}`, message: `${m.label}${m.op}"${m.value}": ${problem}` });
    }
  }
  if (!isMatcherList(cfg.bgp.nativePeerMatcher)) {
    issues.push({ path: 'bgp.nativePeerMatcher', message: `not a valid label matcher list: ${cfg.bgp.nativePeerMatcher}` });
  }
  const usage = cfg.thresholds.poolUsage;
  if (usage.warning >= usage.critical) {
    issues.push({ path: 'thresholds.poolUsage.warning', message: `must be below critical (${usage.critical})` });
  }
  const nodeMatchers = cfg.alerts.MetalLBSpeakersMissing.nodeMatchers;
  if (nodeMatchers !== '' && !isMatcherList(nodeMatchers)) {
    issues.push({ path: 'alerts.MetalLBSpeakersMissing.nodeMatchers', message: `not a valid label matcher list: ${nodeMatchers}` });
  }
  // The flap count stays above the threshold for one window after a flap: a longer `for` never fires.
  const flapping = cfg.alerts.MetalLBBGPSessionFlapping.for;
  if (durationToMs(flapping) >= durationToMs(cfg.thresholds.bgpFlapWindow)) {
    issues.push({ path: 'alerts.MetalLBBGPSessionFlapping.for', message: `must be shorter than thresholds.bgpFlapWindow (${cfg.thresholds.bgpFlapWindow}), or a single flap can never fire` });
  }
  cfg.pools.exclude.forEach((pattern, i) => {
    const problem = re2Problem(pattern);
    if (problem) issues.push({ path: `pools.exclude.${i}`, message: `${pattern}: ${problem}` });
  });
  return issues;
}
