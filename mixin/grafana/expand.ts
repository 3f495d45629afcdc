import { isMultiValue, type GrafanaVariable } from './model.js';

/** A query with its Grafana variables replaced. */
export interface ExpandedQuery {
  /** The query as the dashboard holds it. */
  readonly source: string;
  /** The same query with variables replaced. */
  readonly expr: string;
  /** Maps an offset in `expr` back to `source`, so findings mark what the author wrote. */
  toSource(offset: number): number;
}

/** The text a reference to `name` becomes; undefined keeps the reference as written. */
export type VariableResolver = (name: string, insideString: boolean) => string | undefined;

interface Replacement {
  readonly exprFrom: number;
  readonly exprTo: number;
  readonly sourceFrom: number;
  readonly sourceTo: number;
}

// `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`, `$name`.
const reference = /\$\{([a-zA-Z0-9_]+)(?::[a-zA-Z0-9_]+)?\}|\[\[([a-zA-Z0-9_]+)(?::[a-zA-Z0-9_]+)?\]\]|\$([a-zA-Z0-9_]+)/y;

/** Replace every variable reference of `source` with what `resolve` says, tracking string literals. */
export function expandVariables(source: string, resolve: VariableResolver): ExpandedQuery {
  const replacements: Replacement[] = [];
  let expr = '';
  let quote: string | undefined;
  for (let i = 0; i < source.length;) {
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
        const value = resolve(name, quote !== undefined) ?? m[0];
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

/**
 * Values for Grafana's built-in variables that keep a query valid where they may appear. The
 * durations are what Grafana would pick for a 1h range with a 1m scrape interval
 * (`$__rate_interval` is at least four scrape intervals); checks only need them to be durations,
 * and the `_ms`/`_s` forms and timestamps to be numbers.
 */
const placeholderBuiltins: Readonly<Record<string, string>> = {
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

/**
 * Expand without a data source, the way dashboard-linter does before it parses a target, so the
 * query is PromQL again. Inside string literals a reference becomes the canonical `$name`, which is
 * a valid string and a valid regex (so `cluster="$cluster"` stays recognisable whatever syntax the
 * author used); outside them, built-in intervals become durations, interval variables their
 * duration, and other variables their current value or their name.
 */
export function expandPlaceholders(source: string, variables: readonly GrafanaVariable[]): ExpandedQuery {
  const byName = new Map(variables.map((v) => [v.name, v]));
  return expandVariables(source, (name, insideString) => {
    if (insideString) return `$${name}`;
    const builtin = placeholderBuiltins[name];
    if (builtin !== undefined) return builtin;
    const variable = byName.get(name);
    if (variable?.type === 'interval') return variable.current && durationValue.test(variable.current) ? variable.current : '5m';
    if (variable?.current && plainValue.test(variable.current)) return variable.current;
    return name;
  });
}

/** Expand with concrete values (name → text as it goes into PromQL); unknown names stay as written. */
export function expandResolved(source: string, values: ReadonlyMap<string, string>): string {
  return expandVariables(source, (name) => values.get(name)).expr;
}

/** Escape regex metacharacters the way Grafana's Prometheus data source does for multi-value variables. */
export function regexEscape(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
}

/**
 * The text selected values stand for in PromQL, as Grafana's Prometheus data source formats them:
 * the custom all value when "All" is selected, a regex alternation of escaped values for a
 * multi-value variable, else the value escaped for a string literal.
 */
export function formatValues(variable: GrafanaVariable, values: readonly string[], all: boolean): string {
  if (all && variable.allValue !== undefined) return variable.allValue;
  if (isMultiValue(variable)) {
    if (values.length === 1) return regexEscape(values[0] ?? '');
    return `(${values.map(regexEscape).join('|')})`;
  }
  return (values[0] ?? '').replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
