import type { ConfigIssue } from './errors.js';
import type { MixinConfig } from './schema.js';
import { kubernetesMapIssues } from './kubernetes-names.js';
import { isMatcherList } from '../promql/parse.js';
import { durationToMs } from '../promql/duration.js';
import { selectorsOf } from '../promql/inspect.js';
import { re2Problem } from '../promql/regex.js';

/**
 * A matcher list inserted into every selector of a component: it must parse, its regexes must be
 * RE2, and it must not name the metric (`__name__`), which each query sets itself.
 */
function matcherListIssues(path: string, matchers: string): ConfigIssue[] {
  if (!isMatcherList(matchers)) return [{ path, message: `not a valid label matcher list: ${matchers}` }];
  // The same matchers go into every dashboard query, where Grafana reads $x and ${x} as variables.
  if (matchers.includes('$')) return [{ path, message: `${matchers}: "$" is refused: Grafana would read it as a dashboard variable` }];
  const issues: ConfigIssue[] = [];
  for (const m of selectorsOf(`up{${matchers}}`)[0]?.matchers ?? []) {
    const shown = `${m.label}${m.op}${JSON.stringify(m.value)}`;
    if (m.label === '__name__') {
      issues.push({ path, message: `${shown}: matchers on __name__ are refused; each query names its own metric` });
      continue;
    }
    const problem = m.op.includes('~') ? re2Problem(m.value) : undefined;
    if (problem) issues.push({ path, message: `${shown}: ${problem}` });
  }
  return issues;
}

/**
 * Template parts of an alert label that change from one evaluation to the next. Prometheus
 * expands alert labels at every evaluation, and a changed label set is a new alert: its `for`
 * starts over and never completes.
 */
const perEvaluation = /\$value\b|\.Value\b|\bhumanize|\bquery\b|\bnow\b|\btoTime\b/;

/** Whether a label value holds a template part that reads the value or the time (`$value` alone counts too). */
const changesPerEvaluation = (value: string): boolean =>
  /\$value\b/.test(value) || [...value.matchAll(/\{\{(.*?)\}\}/gs)].some((action) => perEvaluation.test(action[1] ?? ''));

function alertLabelIssues(labels: Readonly<Record<string, string>>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const path = `alertLabels.${key}`;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key))
      issues.push({ path, message: 'not a Prometheus label name: letters, digits and "_", not starting with a digit' });
    else if (key.startsWith('__')) issues.push({ path, message: 'label names starting with "__" are reserved by Prometheus' });
    if (changesPerEvaluation(value)) {
      issues.push({
        path,
        message: `${JSON.stringify(value)} changes at every evaluation ($value, humanize, query…), so the alert's \`for\` never completes; keep values fixed`,
      });
    } else if (value.split('{{').length !== value.split('}}').length) {
      issues.push({ path, message: `${JSON.stringify(value)}: unbalanced {{ }} template` });
    }
  }
  return issues;
}

/** The Kubernetes label and annotation maps of the outputs, by config path. */
function kubernetesMaps(cfg: MixinConfig): [string, Readonly<Record<string, string>>, 'labels' | 'annotations'][] {
  const o = cfg.outputs;
  return [
    ['outputs.prometheusRule.labels', o.prometheusRule.labels, 'labels'],
    ['outputs.dashboardConfigMaps.labels', o.dashboardConfigMaps.labels, 'labels'],
    ['outputs.dashboardConfigMaps.annotations', o.dashboardConfigMaps.annotations, 'annotations'],
    ['outputs.grafanaOperator.instanceSelector', o.grafanaOperator.instanceSelector, 'labels'],
    ['outputs.monitors.labels', o.monitors.labels, 'labels'],
    ...Object.entries(o.monitors.podSelectors).map(([c, m]): [string, Record<string, string>, 'labels'] => [
      `outputs.monitors.podSelectors.${c}`,
      m,
      'labels',
    ]),
  ];
}

/** Checks that need more than one field, or a parser, and so cannot live in the JSON Schema. */
export function checkConfigSemantics(cfg: MixinConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [component, matchers] of Object.entries(cfg.selectors)) issues.push(...matcherListIssues(`selectors.${component}`, matchers));
  issues.push(...matcherListIssues('bgp.nativePeerMatcher', cfg.bgp.nativePeerMatcher));
  const nodeMatchers = cfg.alerts.MetalLBSpeakersMissing.nodeMatchers;
  if (nodeMatchers !== '') issues.push(...matcherListIssues('alerts.MetalLBSpeakersMissing.nodeMatchers', nodeMatchers));
  const usage = cfg.thresholds.poolUsage;
  if (usage.warning >= usage.critical) {
    issues.push({ path: 'thresholds.poolUsage.warning', message: `must be below critical (${usage.critical})` });
  }
  // The flap count stays above the threshold for one window after a flap: a longer `for` never fires.
  const flapping = cfg.alerts.MetalLBBGPSessionFlapping.for;
  if (durationToMs(flapping) >= durationToMs(cfg.thresholds.bgpFlapWindow)) {
    issues.push({
      path: 'alerts.MetalLBBGPSessionFlapping.for',
      message: `must be shorter than thresholds.bgpFlapWindow (${cfg.thresholds.bgpFlapWindow}), or a single flap can never fire`,
    });
  }
  cfg.pools.exclude.forEach((pattern, i) => {
    const problem = re2Problem(pattern);
    if (problem) issues.push({ path: `pools.exclude.${i}`, message: `${pattern}: ${problem}` });
  });
  if (cfg.runbookURLPattern.split('%s').length !== 2) {
    issues.push({ path: 'runbookURLPattern', message: 'must contain %s exactly once (where the alert name goes)' });
  }
  issues.push(...alertLabelIssues(cfg.alertLabels));
  for (const [path, map, kind] of kubernetesMaps(cfg)) {
    for (const i of kubernetesMapIssues(map, kind)) issues.push({ path: i.key === '' ? path : `${path}.${i.key}`, message: i.message });
  }
  return issues;
}
