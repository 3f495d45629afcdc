import type { SyntaxNode } from '@lezer/common';
import { parsePromQL, type ParsedExpr } from './parse.js';
import { re2FullMatch } from './regex.js';

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

/** Whether a label value passes a matcher, as Prometheus decides it (regexes anchored; a missing label is the empty value). */
export function matcherAccepts(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return re2FullMatch(m.value, value);
    case '!~':
      return !re2FullMatch(m.value, value);
  }
}

/** The value of a PromQL string literal ("…", '…' or `…`). */
export function stringLiteralValue(raw: string): string {
  if (raw.startsWith('`') || !raw.includes('\\')) return raw.slice(1, -1);
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

/** The metric and matchers of one `VectorSelector` node. */
export function selectorInfo(expr: string, node: SyntaxNode): VectorSelectorInfo {
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
  return { metric, matchers, from: node.from, to: node.to, node };
}

// Several lint rules ask for the selectors of the same expression; walk each tree once.
const selectorCache = new WeakMap<ParsedExpr, readonly VectorSelectorInfo[]>();

/** Every vector selector of a parsed expression, in source order. */
export function vectorSelectors(parsed: ParsedExpr): VectorSelectorInfo[] {
  const cached = selectorCache.get(parsed);
  if (cached) return [...cached];
  const { expr, tree } = parsed;
  const out: VectorSelectorInfo[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'VectorSelector') out.push(selectorInfo(expr, ref.node));
    },
  });
  selectorCache.set(parsed, out);
  return [...out];
}

/** Convenience: parse and list the selectors of an expression. */
export function selectorsOf(expr: string): VectorSelectorInfo[] {
  return vectorSelectors(parsePromQL(expr));
}

/** Node names of the grammar's `expr` group, i.e. the nodes that have a value. */
const exprNodes = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'AnchoredExpr',
  'SmoothedExpr',
  'ParenExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
  'StepInvariantExpr',
]);

function isExprNode(node: SyntaxNode): boolean {
  return exprNodes.has(node.name);
}

/** The direct sub-expressions of a node (arguments, operands, the inner expression). */
export function childExprs(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const collect = (parent: SyntaxNode) => {
    for (let c = parent.firstChild; c; c = c.nextSibling) {
      if (isExprNode(c)) out.push(c);
      else if (c.name === 'FunctionCallBody') collect(c);
    }
  };
  collect(node);
  return out;
}

/** The function a `FunctionCall` node calls, e.g. `rate`. */
export function functionName(expr: string, call: SyntaxNode): string {
  const id = call.getChild('FunctionIdentifier');
  return id ? expr.slice(id.from, id.to) : '';
}

function groupingLabels(expr: string, node: SyntaxNode | null): string[] {
  if (!node) return [];
  return node.getChildren('LabelName').map((l) => expr.slice(l.from, l.to));
}

export interface AggregationInfo {
  /** `sum`, `count`, `topk`, … */
  readonly op: string;
  /** `by`/`without` with its labels, or undefined when the aggregation has no modifier. */
  readonly grouping:
    { readonly kind: 'by' | 'without'; readonly labels: readonly string[]; readonly from: number; readonly to: number } | undefined;
  /** The arguments: the parameter (topk's k, count_values's label) first when the operator takes one. */
  readonly args: readonly SyntaxNode[];
}

export function aggregationInfo(expr: string, node: SyntaxNode): AggregationInfo {
  const opNode = node.getChild('AggregateOp');
  const modifier = node.getChild('AggregateModifier');
  let grouping: AggregationInfo['grouping'];
  if (modifier) {
    const kind = modifier.getChild('By') ? 'by' : 'without';
    grouping = { kind, labels: groupingLabels(expr, modifier.getChild('GroupingLabels')), from: modifier.from, to: modifier.to };
  }
  const body = node.getChild('FunctionCallBody');
  const args = body ? childExprs(body) : [];
  return { op: opNode ? expr.slice(opNode.from, opNode.to).toLowerCase() : '', grouping, args };
}

export interface BinaryInfo {
  /** `+`, `==`, `and`, … (keywords lower-cased). */
  readonly op: string;
  readonly lhs: SyntaxNode;
  readonly rhs: SyntaxNode;
  readonly bool: boolean;
  /** `on(...)`/`ignoring(...)`, with the node for error messages. */
  readonly matching:
    { readonly kind: 'on' | 'ignoring'; readonly labels: readonly string[]; readonly from: number; readonly to: number } | undefined;
  readonly group: 'left' | 'right' | undefined;
  /** Position of the operator, for error messages. */
  readonly opFrom: number;
  readonly opTo: number;
}

export function binaryInfo(expr: string, node: SyntaxNode): BinaryInfo | undefined {
  const [lhs, rhs] = childExprs(node);
  if (!lhs || !rhs) return undefined;
  let opNode: SyntaxNode | null = lhs.nextSibling;
  while (opNode && opNode.type.isError) opNode = opNode.nextSibling;
  if (!opNode) return undefined;
  const clause = node.getChild('MatchingModifierClause');
  let matching: BinaryInfo['matching'];
  let group: BinaryInfo['group'];
  if (clause) {
    const labelLists = clause.getChildren('GroupingLabels');
    matching = {
      kind: clause.getChild('On') ? 'on' : 'ignoring',
      labels: groupingLabels(expr, labelLists[0] ?? null),
      from: clause.from,
      to: clause.to,
    };
    if (clause.getChild('GroupLeft')) group = 'left';
    else if (clause.getChild('GroupRight')) group = 'right';
  }
  return {
    op: expr.slice(opNode.from, opNode.to).toLowerCase(),
    lhs,
    rhs,
    bool: node.getChild('BoolModifier') !== null,
    matching,
    group,
    opFrom: opNode.from,
    opTo: opNode.to,
  };
}

/** Nodes that pass their operand's series through unchanged in kind: `(x)`, `x[5m]`, `x offset 1h`, `x[1h:]`. */
const transparent = new Set([
  'ParenExpr',
  'MatrixSelector',
  'OffsetExpr',
  'SubqueryExpr',
  'StepInvariantExpr',
  'AnchoredExpr',
  'SmoothedExpr',
]);

/**
 * The nearest node above `node` that does something with its value: a function call, an
 * aggregation, a binary or unary operation; undefined at the top of the expression.
 */
export function consumerOf(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'FunctionCallBody') continue;
    if (transparent.has(p.name)) continue;
    return isExprNode(p) ? p : undefined;
  }
  return undefined;
}
