/**
 * Alternatives joined with `or`, in parentheses so the union can be an operand: one per line in
 * rule files, where an operator reads them in the Prometheus UI, on one line in dashboard queries.
 */
export function anyOf(parts: readonly string[], layout: 'lines' | 'inline'): string {
  return layout === 'lines' ? `(\n  ${parts.join('\n  or\n  ')}\n)` : `(${parts.join(' or ')})`;
}

/** The parts that exist, as one expression: undefined when none does (a family no enabled mode has), no parentheses around one. */
export function anyOfPresent(parts: readonly (string | undefined)[], layout: 'lines' | 'inline'): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : anyOf(present, layout);
}
