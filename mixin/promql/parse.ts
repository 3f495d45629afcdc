import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';

export interface SyntaxProblem {
  /** Offset of the first character that does not parse. */
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

export interface ParsedExpr {
  readonly expr: string;
  readonly tree: Tree;
  readonly problems: readonly SyntaxProblem[];
}

/**
 * Parse with Prometheus's own grammar (the one its web UI uses). lezer recovers from errors and
 * marks them with error nodes (`⚠`), so we walk the tree and report each one with its offset.
 */
export function parsePromQL(expr: string): ParsedExpr {
  const known = parsed.get(expr);
  if (known) return known;
  const result = parseUncached(expr);
  if (parsed.size >= parsedLimit) parsed.clear();
  parsed.set(expr, result);
  return result;
}

/**
 * A build parses each expression several times (lint, label checks, the generated tests' inputs);
 * a parse is immutable, so one per distinct expression is kept. Bounded so a long-lived process
 * building many configs does not grow without end.
 */
const parsed = new Map<string, ParsedExpr>();
const parsedLimit = 20_000;

function parseUncached(expr: string): ParsedExpr {
  const tree = parser.parse(expr);
  const problems: SyntaxProblem[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        const near = expr.slice(node.from, Math.min(expr.length, node.from + 20)) || 'end of expression';
        problems.push({ from: node.from, to: node.to, message: `syntax error near "${near}"` });
      }
    },
  });
  return { expr, tree, problems };
}

/**
 * The expression with a caret line under `from..to` (on the line where it starts), for error
 * messages; a multi-line expression is shown whole so the mark has its context.
 */
export function markSpan(expr: string, from: number, to: number): string {
  const lineStart = expr.lastIndexOf('\n', Math.max(0, from - 1)) + 1;
  const lineEnd = expr.indexOf('\n', from) === -1 ? expr.length : expr.indexOf('\n', from);
  const width = Math.max(1, Math.min(to, lineEnd) - from);
  const carets = `${' '.repeat(from - lineStart)}${'^'.repeat(width)}`;
  const rest = expr.slice(lineEnd + 1).replace(/\n$/, '');
  return `${expr.slice(0, lineEnd)}\n${carets}${lineEnd < expr.length && rest ? `\n${rest}` : ''}`;
}

/** The text a node covers. */
export function nodeText(expr: string, node: SyntaxNode): string {
  return expr.slice(node.from, node.to);
}

/**
 * Whether `matchers` is a comma-separated list of label matchers that can stand between `{}`.
 * A metric name inside the braces or trailing junk is rejected.
 */
export function isMatcherList(matchers: string): boolean {
  const probe = `up{${matchers}}`;
  const { tree, problems } = parsePromQL(probe);
  if (problems.length > 0) return false;
  const top = tree.topNode.firstChild;
  return top?.name === 'VectorSelector' && top.to === probe.length;
}
