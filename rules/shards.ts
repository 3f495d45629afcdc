/**
 * Matchers that split a large family into disjoint parts by one label, so that a record spec can
 * be several rules (see RecordSpec.expr) and no rule reads more than a share of the family at
 * 1,000 nodes. Every value falls in exactly one part; the label must be one the record keeps, so
 * the rules write disjoint series.
 */

/**
 * By the last digit of the label's value, in five pairs, and one part for every value that does
 * not end so (IPv6 addresses ending in a letter, a missing label).
 */
export function byLastDigit(label: string): string[] {
  return [...['01', '23', '45', '67', '89'].map((d) => `${label}=~".*[${d}]"`), `${label}!~".*[0-9]"`];
}

/**
 * By the last digit of an `instance`'s host, before its `:port`: every target of one node falls in
 * one part. A host with a colon (an IPv6 `[addr]:port`) goes to the last part.
 */
export function byHostLastDigit(label = 'instance'): string[] {
  const host = (digits: string) => `[^:]*[${digits}](:[0-9]+)?`;
  return [...['01', '23', '45', '67', '89'].map((d) => `${label}=~"${host(d)}"`), `${label}!~"${host('0-9')}"`];
}

/** By listed values, and one part for every other value. */
export function byValues(label: string, values: readonly string[]): string[] {
  return [...values.map((v) => `${label}="${v}"`), `${label}!~"${values.join('|')}"`];
}
