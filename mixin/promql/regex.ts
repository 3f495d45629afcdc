/**
 * Why `pattern` would be rejected by Prometheus, whose regexes are Go's RE2 syntax, or undefined
 * when it is fine. JavaScript's RegExp accepts more (lookaround, backreferences), so compiling it
 * there is only the first half of the check.
 */
export function re2Problem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead and lookbehind are not supported by Prometheus (RE2)';
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern)) return 'backreferences are not supported by Prometheus (RE2)';
  return undefined;
}
