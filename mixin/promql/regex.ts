import { RE2JS } from 're2js';

/**
 * Why `pattern` would be rejected by Prometheus, whose regexes are Go's RE2 syntax, or undefined
 * when it is fine. re2js is a port of RE2 and refuses what Go refuses (`\u0041`, `a{1001}`,
 * lookaround, backreferences) while accepting what JavaScript does not (`(?i)prod`).
 */
export function re2Problem(pattern: string): string | undefined {
  // Go accepts this spelling of a named group only since 1.22: older Prometheus builds (Debian's
  // 2.42, for one) refuse the whole rule file, so it is refused here too.
  if (/(^|[^\\])(\\\\)*\(\?<(?![=!])/.test(pattern))
    return 'named groups written (?<name>…) are refused by Prometheus built with Go before 1.22; write (?P<name>…) or drop the name';
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    return `not a valid RE2 regular expression (Prometheus's syntax): ${(err as Error).message.replace(/^error parsing regexp: /, '')}`;
  }
  return undefined;
}

const anchored = new Map<string, RE2JS>();

/** Whether `value` matches `pattern` whole, as Prometheus anchors label matchers (`^(?:pattern)$`). */
export function re2FullMatch(pattern: string, value: string): boolean {
  let re = anchored.get(pattern);
  if (!re) {
    re = RE2JS.compile(`^(?:${pattern})$`);
    anchored.set(pattern, re);
  }
  return re.test(value);
}
