/** Small builders for the doctor's own queries, so label values are always quoted and escaped. */

import { printableJson } from './printable.js';

/**
 * A PromQL double-quoted string; JSON's escapes are a subset of PromQL's. The line separators and
 * controls JSON leaves raw are escaped too: selectors built from label values go into written configs.
 */
export function quote(value: string): string {
  return printableJson(JSON.stringify(value));
}

/** An RE2 pattern matching exactly one of the values. */
export function alternation(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** `label="v"` for one value, `label=~"a|b"` for several. */
export function oneOf(label: string, values: readonly string[]): string {
  return values.length === 1 ? `${label}=${quote(values[0] ?? '')}` : `${label}=~${quote(alternation(values))}`;
}

/** `name{m1, m2}`; `{m1}` without a name. */
export function selector(name: string | undefined, matchers: readonly string[]): string {
  return `${name ?? ''}{${matchers.filter((m) => m.length > 0).join(', ')}}`;
}

/** Every MetalLB and frr-k8s series, whatever the job. */
export const metallbNameMatcher = '__name__=~"metallb_.+|frrk8s_.+"';
