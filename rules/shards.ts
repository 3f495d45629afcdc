/**
 * Matchers that split a large family into disjoint parts by one label, so that a record spec can
 * be several rules (see RecordSpec.expr) and no rule reads more than a share of the family at
 * 1,000 nodes. Every value falls in exactly one part; the label must be one the record keeps, so
 * the rules write disjoint series.
 */

/** One part: the matcher that selects it, and its name where a record must tell the parts apart. */
export interface Shard {
  readonly matcher: string;
  readonly name: string;
}

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * By the last digit of the label's value, and one part for every other last character (IPv6
 * addresses ending in a letter). An empty or missing value falls in no part. Every matcher is
 * positive: a negative one (`!~`, `!=""`) makes Prometheus merge the index entries of every value
 * of the label, which for an `ip` label at 1,000 nodes costs more than reading the part itself.
 */
export function byLastDigit(label: string): Shard[] {
  return [...digits.map((d) => ({ matcher: `${label}=~".*${d}"`, name: d })), { matcher: `${label}=~".*[^0-9]"`, name: 'other' }];
}

/**
 * By the last digit of an `instance`'s host, before its `:port`: every target of one node falls in
 * one part. A host with a colon (an IPv6 `[addr]:port`) goes to the last part.
 */
export function byHostLastDigit(label = 'instance'): Shard[] {
  const host = (last: string) => `[^:]*${last}(:[0-9]+)?`;
  return [
    ...digits.map((d) => ({ matcher: `${label}=~"${host(d)}"`, name: d })),
    { matcher: `${label}!~"${host('[0-9]')}"`, name: 'other' },
  ];
}

/** By listed values, and one part for every other value. */
export function byValues(label: string, values: readonly string[]): Shard[] {
  return [...values.map((v) => ({ matcher: `${label}="${v}"`, name: v })), { matcher: `${label}!~"${values.join('|')}"`, name: 'other' }];
}
