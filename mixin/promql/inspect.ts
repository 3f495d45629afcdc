import type { SyntaxNode } from '@lezer/common';
import { parsePromQL, type ParsedExpr } from './parse.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** One `name{matchers}` of an expression, with its position for error messages. */
export interface VectorSelectorInfo {
  /** The metric name, from the identifier or an `__name__="x"` matcher; undefined for `{__name__=~"..."}`. */
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  readonly from: number;
  readonly to: number;
  readonly node: SyntaxNode;
}

/** The value of a PromQL string literal ("…", '…' or `…`). */
export function stringLiteralValue(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  if (raw.startsWith("'")) return JSON.parse(`"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(raw) as string;
}

function matcherOf(expr: string, node: SyntaxNode): LabelMatcher | undefined {
  const label = node.getChild('LabelName');
  const op = node.getChild('MatchOp');
  const value = node.getChild('StringLiteral');
  if (!op || !value) return undefined;
  // Quoted label names (`{"foo"="bar"}`, Prometheus 3) carry the name as a string literal.
  const name = label ? expr.slice(label.from, label.to) : undefined;
  if (name === undefined) return undefined;
  return { label: name, op: expr.slice(op.from, op.to) as MatchOp, value: stringLiteralValue(expr.slice(value.from, value.to)) };
}

/** Every vector selector of a parsed expression, in source order. */
export function vectorSelectors(parsed: ParsedExpr): VectorSelectorInfo[] {
  const { expr, tree } = parsed;
  const out: VectorSelectorInfo[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const matchers: LabelMatcher[] = [];
      const list = node.getChild('LabelMatchers');
      if (list) {
        for (let c = list.firstChild; c; c = c.nextSibling) {
          if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher' || c.name === 'LabelMatcher') {
            const m = matcherOf(expr, c);
            if (m) matchers.push(m);
          }
        }
      }
      const ident = node.getChild('Identifier');
      const nameMatcher = matchers.find((m) => m.label === '__name__' && m.op === '=');
      const metric = ident ? expr.slice(ident.from, ident.to) : nameMatcher?.value;
      out.push({ metric, matchers, from: node.from, to: node.to, node });
    },
  });
  return out;
}

/** Convenience: parse and list the selectors of an expression. */
export function selectorsOf(expr: string): VectorSelectorInfo[] {
  return vectorSelectors(parsePromQL(expr));
}
