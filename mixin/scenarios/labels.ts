import randexp from 'randexp';
import { ScenarioError } from './error.js';
import { matcherAccepts, selectorsOf, type LabelMatcher } from '../promql/inspect.js';

// randexp sets module.exports to the class, so Node's default import is the class itself, whereas
// its typings declare an ES default export.
const RandExp = randexp as unknown as typeof randexp.default;

/** The shortest string the regex matches, taking the first choice everywhere (deterministic), if it can be generated. */
function shortestMatch(pattern: string): string[] {
  try {
    const gen = new RandExp(pattern);
    gen.randInt = (from: number) => from;
    return [gen.gen()];
  } catch {
    return [];
  }
}

/** Values a regex matcher most likely accepts: its top-level alternatives with optional groups and wildcards filled in. */
function regexCandidates(pattern: string): string[] {
  const plain = (alt: string) =>
    alt
      .replace(/\([^()]*\)\?/g, '')
      .replace(/\.\+/g, 'x')
      .replace(/\.\*/g, '')
      .replace(/\\(.)/g, '$1')
      .replace(/[()^$]/g, '');
  return [...pattern.split('|').map(plain), ...shortestMatch(pattern), 'x', 'metallb'];
}

function firstAccepted(label: string, matchers: readonly LabelMatcher[], candidates: readonly string[], field: string): string {
  const value = candidates.find((c) => matchers.every((m) => matcherAccepts(m, c)));
  if (value === undefined) {
    throw new ScenarioError(
      `${field}: no value of label ${label} that the scenarios try satisfies ${matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(',')}, so no test series can be written for it; give the regex a plain alternative (a|b), or build without \`tests\` (outputs.formats, --format)`,
    );
  }
  return value;
}

/**
 * Labels of a series that the selector text (`job=~"a|b",container!="c"`) selects: one value per
 * label it names, checked against every matcher on that label. `prefer` gives values to try first
 * (e.g. `speaker` for a `container` matcher), so scenarios read like real clusters. `field` names
 * the config field the selector comes from, for the error when no value fits.
 */
export function labelsSatisfying(
  selectorText: string,
  prefer: Readonly<Record<string, string>> = {},
  field = 'a selector',
): Record<string, string> {
  const matchers = selectorsOf(`up{${selectorText}}`)[0]?.matchers ?? [];
  const byLabel = new Map<string, LabelMatcher[]>();
  for (const m of matchers) byLabel.set(m.label, [...(byLabel.get(m.label) ?? []), m]);
  const labels: Record<string, string> = {};
  for (const [label, ms] of [...byLabel.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const positive = ms.filter((m) => m.op === '=' || m.op === '=~');
    const candidates = [
      ...(prefer[label] !== undefined ? [prefer[label]] : []),
      ...positive.flatMap((m) => (m.op === '=' ? [m.value] : regexCandidates(m.value))),
      `${label}-a`,
    ];
    const value = firstAccepted(label, ms, candidates, field);
    // An empty value is no label at all in Prometheus.
    if (value !== '') labels[label] = value;
  }
  return labels;
}
