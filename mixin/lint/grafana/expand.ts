import type { GrafanaVariable } from './variables.js';

/**
 * Values for Grafana's built-in variables that keep a query valid where they may appear. The
 * durations are what Grafana would pick for a 1h range with a 1m scrape interval
 * (`$__rate_interval` is at least four scrape intervals); promtool only needs them to be durations.
 */
const builtins: Readonly<Record<string, string>> = {
  __rate_interval: '4m',
  __interval: '1m',
  __range: '1h',
  __auto: '1m',
  __interval_ms: '60000',
  __range_ms: '3600000',
  __range_s: '3600',
  __from: '1700000000000',
  __to: '1700003600000',
};

/** What an unknown user variable becomes outside string literals: an identifier, valid as a label name. */
const plainValue = /^[a-zA-Z_][a-zA-Z0-9_]*$|^[0-9]+(\.[0-9]+)?$/;
const durationValue = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

export interface ExpandedQuery {
  /** The query as the dashboard holds it. */
  readonly source: string;
  /** The same query with every variable replaced: what we parse and hand to promtool. */
  readonly expr: string;
  /** Maps an offset in `expr` back to `source`, so findings mark what the author wrote. */
  toSource(offset: number): number;
}

interface Replacement {
  readonly exprFrom: number;
  readonly exprTo: number;
  readonly sourceFrom: number;
  readonly sourceTo: number;
}

// `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`, `$name`.
const reference = /\$\{([a-zA-Z0-9_]+)(?::[a-zA-Z0-9_]+)?\}|\[\[([a-zA-Z0-9_]+)(?::[a-zA-Z0-9_]+)?\]\]|\$([a-zA-Z0-9_]+)/y;

function outsideStringValue(name: string, variables: ReadonlyMap<string, GrafanaVariable>): string {
  const builtin = builtins[name];
  if (builtin !== undefined) return builtin;
  const variable = variables.get(name);
  if (variable?.type === 'interval') return variable.current && durationValue.test(variable.current) ? variable.current : '5m';
  if (variable?.current && plainValue.test(variable.current)) return variable.current;
  return name;
}

/**
 * Replace Grafana variables the way dashboard-linter does before it parses a target, so that the
 * query is PromQL again. Inside string literals a reference becomes the canonical `$name`, which is
 * a valid string and a valid regex (so `cluster="$cluster"` stays recognisable whatever syntax the
 * author used); outside them, built-in intervals become durations and other variables their current
 * value or their name.
 */
export function expandVariables(source: string, variables: readonly GrafanaVariable[]): ExpandedQuery {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const replacements: Replacement[] = [];
  let expr = '';
  let quote: string | undefined;
  for (let i = 0; i < source.length; ) {
    const ch = source[i] as string;
    if (quote && ch === '\\' && quote !== '`') {
      expr += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === '$' || (ch === '[' && source[i + 1] === '[')) {
      reference.lastIndex = i;
      const m = reference.exec(source);
      const name = m?.[1] ?? m?.[2] ?? m?.[3];
      if (m && name !== undefined) {
        const value = quote ? `$${name}` : outsideStringValue(name, byName);
        replacements.push({ exprFrom: expr.length, exprTo: expr.length + value.length, sourceFrom: i, sourceTo: i + m[0].length });
        expr += value;
        i += m[0].length;
        continue;
      }
    }
    if (quote && ch === quote) quote = undefined;
    else if (!quote && (ch === '"' || ch === "'" || ch === '`')) quote = ch;
    expr += ch;
    i++;
  }
  const toSource = (offset: number): number => {
    let delta = 0;
    for (const r of replacements) {
      if (offset < r.exprFrom) break;
      if (offset < r.exprTo) return offset === r.exprFrom ? r.sourceFrom : r.sourceTo;
      delta = r.sourceTo - r.exprTo;
    }
    return offset + delta;
  };
  return { source, expr, toSource };
}
