/** A dashboard template variable, as far as expanding queries needs it. */
export interface GrafanaVariable {
  readonly name: string;
  readonly type: string;
  /** Multi-select or with an "All" option: Grafana then formats the value as a regex alternation. */
  readonly multiValue: boolean;
  /** The current value when it is one plain string. */
  readonly current: string | undefined;
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function currentValue(variable: Record<string, unknown>): string | undefined {
  const current = variable['current'];
  if (!isRecord(current)) return undefined;
  const value = current['value'];
  return typeof value === 'string' ? value : undefined;
}

/** The raw entries of `templating.list`. */
export function templatingList(dashboard: Record<string, unknown>): Record<string, unknown>[] {
  const templating = dashboard['templating'];
  if (!isRecord(templating) || !Array.isArray(templating['list'])) return [];
  return templating['list'].filter(isRecord);
}

export function dashboardVariables(dashboard: Record<string, unknown>): GrafanaVariable[] {
  return templatingList(dashboard).flatMap((v) => {
    const name = v['name'];
    if (typeof name !== 'string') return [];
    return [{
      name,
      type: typeof v['type'] === 'string' ? v['type'] : 'query',
      multiValue: v['multi'] === true || v['includeAll'] === true,
      current: currentValue(v),
    }];
  });
}

/** A variable's query text: Grafana stores either a string or `{query: string, ...}`. */
export function variableQueryText(variable: Record<string, unknown>): string | undefined {
  const query = variable['query'];
  if (typeof query === 'string') return query;
  if (isRecord(query) && typeof query['query'] === 'string') return query['query'];
  return undefined;
}

/** The PromQL inside a Prometheus query variable, located in the query text. */
export type VariableQuery =
  | { readonly kind: 'promql'; readonly expr: string; readonly offset: number }
  | { readonly kind: 'none' }
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
 * The Prometheus data source's variable query functions (as Grafana and dashboard-linter's
 * `template-label-promql-rule` know them) are not PromQL; the selector or expression inside is.
 */
export function variableQuery(text: string): VariableQuery {
  const call = /^\s*(label_values|label_names|metrics|query_result)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!call || call[1] === undefined || call[2] === undefined) {
    return { kind: 'invalid', message: 'not one of label_values(), label_names(), metrics(), query_result()' };
  }
  const fn = call[1];
  const args = call[2];
  const argsOffset = text.indexOf('(', text.indexOf(fn)) + 1;
  const inner = (from: number, to: number): VariableQuery => {
    const raw = args.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    return { kind: 'promql', expr: raw.trim(), offset: argsOffset + from + lead };
  };
  switch (fn) {
    case 'metrics':
      return { kind: 'none' };
    case 'query_result':
      return inner(0, args.length);
    case 'label_names':
      return args.trim() === '' ? { kind: 'none' } : inner(0, args.length);
    default: {
      const comma = lastTopLevelComma(args);
      if (comma === -1) {
        return labelName.test(args) ? { kind: 'none' } : { kind: 'invalid', message: 'label_values() needs a label name' };
      }
      if (!labelName.test(args.slice(comma + 1))) return { kind: 'invalid', message: 'label_values(): the last argument must be a label name' };
      return inner(0, comma);
    }
  }
}

/** The label a `label_values(..., label)` query lists, if that is what it is. */
export function listedLabel(text: string): string | undefined {
  const call = /^\s*label_values\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!call || call[1] === undefined) return undefined;
  const comma = lastTopLevelComma(call[1]);
  return call[1].slice(comma + 1).trim();
}
