/** The Prometheus data source's variable query functions, as Grafana and dashboard-linter know them. */
export type VariableFunction = 'label_values' | 'label_names' | 'metrics' | 'query_result';

/**
 * A query variable's query, taken apart. The functions are not PromQL; the selector or expression
 * inside is (`expr`, at `offset` in the query text).
 */
export type VariableQuery =
  | { readonly kind: 'promql'; readonly fn: VariableFunction; readonly expr: string; readonly offset: number; readonly label?: string }
  | { readonly kind: 'none'; readonly fn: VariableFunction; readonly label?: string }
  | { readonly kind: 'invalid'; readonly message: string };

/** Offset of the last comma of `text` that is outside brackets and string literals. */
function lastTopLevelComma(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote !== '`') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) last = i;
  }
  return last;
}

const labelName = /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*$/;

/**
 * `label_values(<selector>, <label>)` (`label` is what it lists; the selector may hold commas),
 * `label_values(<label>)`, `label_names(<selector>?)`, `metrics(<regex>)`, `query_result(<expr>)`.
 */
export function variableQuery(text: string): VariableQuery {
  const call = /^\s*(label_values|label_names|metrics|query_result)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!call || call[1] === undefined || call[2] === undefined) {
    return { kind: 'invalid', message: 'not one of label_values(), label_names(), metrics(), query_result()' };
  }
  const fn = call[1] as VariableFunction;
  const args = call[2];
  const argsOffset = text.indexOf('(', text.indexOf(fn)) + 1;
  const inner = (from: number, to: number, label?: string): VariableQuery => {
    const raw = args.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    return { kind: 'promql', fn, expr: raw.trim(), offset: argsOffset + from + lead, ...(label === undefined ? {} : { label }) };
  };
  switch (fn) {
    case 'metrics':
      return { kind: 'none', fn };
    case 'query_result':
      return inner(0, args.length);
    case 'label_names':
      return args.trim() === '' ? { kind: 'none', fn } : inner(0, args.length);
    case 'label_values': {
      const comma = lastTopLevelComma(args);
      if (comma === -1) {
        return labelName.test(args)
          ? { kind: 'none', fn, label: args.trim() }
          : { kind: 'invalid', message: 'label_values() needs a label name' };
      }
      const label = args.slice(comma + 1);
      if (!labelName.test(label)) return { kind: 'invalid', message: 'label_values(): the last argument must be a label name' };
      return inner(0, comma, label.trim());
    }
  }
}
