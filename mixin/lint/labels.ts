import type { SyntaxNode } from '@lezer/common';
import {
  aggregationInfo,
  binaryInfo,
  childExprs,
  functionName,
  selectorInfo,
  stringLiteralValue,
  vectorSelectors,
  type VectorSelectorInfo,
} from '../promql/inspect.js';
import type { ParsedExpr } from '../promql/parse.js';

/**
 * The labels the series of an expression can carry: every series has all of `min`, and none
 * outside `max` (`undefined`: any label may appear). Bounds err on the wide side, so a
 * mismatch found with them is certain.
 */
export type LabelSet =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'vector'; readonly min: ReadonlySet<string>; readonly max: ReadonlySet<string> | undefined };

/** A binary operation whose two sides can never have equal label sets. */
export interface Mismatch {
  readonly node: SyntaxNode;
  readonly opFrom: number;
  readonly opTo: number;
  readonly lhs: LabelSet & { kind: 'vector' };
  readonly rhs: LabelSet & { kind: 'vector' };
}

const scalar: LabelSet = { kind: 'scalar' };
const vector = (min: Iterable<string>, max: Iterable<string> | undefined): LabelSet => ({
  kind: 'vector',
  min: new Set(min),
  max: max === undefined ? undefined : new Set(max),
});
/** Prometheus attaches both to every scraped series. */
const scraped = vector(['job', 'instance'], undefined);

const intersect = (a: ReadonlySet<string>, b: ReadonlySet<string> | readonly string[]) =>
  [...a].filter((l) => (Array.isArray(b) ? b.includes(l) : (b as ReadonlySet<string>).has(l)));
const minus = (a: ReadonlySet<string>, b: readonly string[]) => [...a].filter((l) => !b.includes(l));

/** Aggregations that select series and keep their labels instead of merging them. */
const selecting = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);
const scalarFunctions = new Set(['scalar', 'time', 'pi']);
const comparisons = new Set(['==', '!=', '>', '<', '>=', '<=']);

interface LabelInference {
  labelsOf(node: SyntaxNode): LabelSet;
  readonly mismatches: Mismatch[];
}

/**
 * Infer label sets bottom-up over one expression. `recorded` gives the label sets of our own
 * recording rules, which are not scraped series.
 */
function inferLabels(parsed: ParsedExpr, recorded: ReadonlyMap<string, LabelSet>): LabelInference {
  const { expr } = parsed;
  const mismatches: Mismatch[] = [];
  const selectors = new Map(vectorSelectors(parsed).map((s) => [s.from, s]));
  const selectorAt = (node: SyntaxNode): VectorSelectorInfo => selectors.get(node.from) ?? selectorInfo(expr, node);

  const selectorLabels = (node: SyntaxNode): LabelSet => {
    const sel = selectorAt(node);
    const known = sel.metric ? recorded.get(sel.metric) : undefined;
    const base = known ?? (sel.metric === 'ALERTS' ? vector(['alertname', 'alertstate'], undefined) : scraped);
    if (base.kind !== 'vector') return base;
    const required = sel.matchers.filter((m) => m.op === '=' && m.value !== '' && m.label !== '__name__').map((m) => m.label);
    return vector([...base.min, ...required], base.max);
  };

  const absentLabels = (arg: SyntaxNode | undefined): LabelSet => {
    const node = arg?.name === 'MatrixSelector' ? arg.getChild('VectorSelector') : arg;
    if (node?.name !== 'VectorSelector') return vector([], []);
    const labels = selectorAt(node)
      .matchers.filter((m) => m.op === '=' && m.label !== '__name__')
      .map((m) => m.label);
    return vector(labels, labels);
  };

  const fromFunction = (node: SyntaxNode): LabelSet => {
    const name = functionName(expr, node);
    const args = childExprs(node);
    if (scalarFunctions.has(name)) return scalar;
    if (name === 'vector') return vector([], []);
    if (name === 'absent' || name === 'absent_over_time') return absentLabels(args[0]);
    const argSets = args.map(labelsOf);
    const input = argSets.find((s) => s.kind === 'vector');
    if (!input || input.kind !== 'vector') return vector([], []);
    if (name === 'label_replace' || name === 'label_join') {
      const dst = args[1]?.name === 'StringLiteral' ? stringLiteralValue(expr.slice(args[1].from, args[1].to)) : undefined;
      return dst && input.max ? vector(input.min, [...input.max, dst]) : vector(input.min, input.max);
    }
    if (name === 'histogram_quantile') return vector(minus(input.min, ['le']), input.max ? minus(input.max, ['le']) : undefined);
    return input;
  };

  const fromAggregation = (node: SyntaxNode): LabelSet => {
    const info = aggregationInfo(expr, node);
    const input = labelsOf(info.args[info.args.length - 1] ?? node);
    if (input.kind !== 'vector') return vector([], []);
    if (selecting.has(info.op)) return input;
    let extra: string[] = [];
    if (info.op === 'count_values' && info.args[0]?.name === 'StringLiteral')
      extra = [stringLiteralValue(expr.slice(info.args[0].from, info.args[0].to))];
    if (!info.grouping) return vector(extra, extra);
    const labels = info.grouping.labels;
    if (info.grouping.kind === 'by') {
      return vector([...intersect(input.min, labels), ...extra], [...(input.max ? intersect(input.max, labels) : labels), ...extra]);
    }
    return vector([...minus(input.min, labels), ...extra], input.max ? [...minus(input.max, labels), ...extra] : undefined);
  };

  const fromBinary = (node: SyntaxNode): LabelSet => {
    const info = binaryInfo(expr, node);
    if (!info) return scraped;
    const lhs = labelsOf(info.lhs);
    const rhs = labelsOf(info.rhs);
    if (lhs.kind !== 'vector') return rhs.kind === 'vector' ? rhs : scalar;
    if (rhs.kind !== 'vector') return lhs;
    if (info.op === 'or') {
      return vector(intersect(lhs.min, rhs.min), lhs.max && rhs.max ? [...lhs.max, ...rhs.max] : undefined);
    }
    if (!info.matching || info.matching.kind === 'ignoring') {
      const ignored = info.matching?.labels ?? [];
      const need = new Set([...minus(lhs.min, ignored), ...minus(rhs.min, ignored)]);
      const allowed = [lhs.max, rhs.max].filter((m): m is ReadonlySet<string> => m !== undefined).map((m) => minus(m, ignored));
      if (allowed.some((a) => [...need].some((l) => !a.includes(l))))
        mismatches.push({ node, opFrom: info.opFrom, opTo: info.opTo, lhs, rhs });
    }
    if (info.op === 'and' || info.op === 'unless') return lhs;
    const kept = info.group === 'right' ? rhs : lhs;
    if (!info.matching || info.group) return kept;
    // One-to-one matching with on()/ignoring() keeps only the matched labels; a filtering
    // comparison may keep them all, so widen to cover both readings.
    const filtering = comparisons.has(info.op) && !info.bool;
    if (info.matching.kind === 'on') {
      const on = info.matching.labels;
      return vector(intersect(kept.min, on), filtering ? kept.max : kept.max ? intersect(kept.max, on) : on);
    }
    return vector(minus(kept.min, info.matching.labels), filtering || !kept.max ? kept.max : minus(kept.max, info.matching.labels));
  };

  // Memoised so each binary operation is checked, and reported, once.
  const cache = new Map<string, LabelSet>();
  function labelsOf(node: SyntaxNode): LabelSet {
    const key = `${node.name}:${node.from}:${node.to}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let result: LabelSet;
    switch (node.name) {
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        result = scalar;
        break;
      case 'VectorSelector':
        result = selectorLabels(node);
        break;
      case 'FunctionCall':
        result = fromFunction(node);
        break;
      case 'AggregateExpr':
        result = fromAggregation(node);
        break;
      case 'BinaryExpr':
        result = fromBinary(node);
        break;
      default: {
        const [inner] = childExprs(node);
        result = inner ? labelsOf(inner) : scalar;
      }
    }
    cache.set(key, result);
    return result;
  }

  return { labelsOf, mismatches };
}

/** The label set of a whole expression, and every mismatch inside it. */
export function analyseLabels(parsed: ParsedExpr, recorded: ReadonlyMap<string, LabelSet>): { labels: LabelSet; mismatches: Mismatch[] } {
  const inference = inferLabels(parsed, recorded);
  const top = parsed.tree.topNode.firstChild;
  return { labels: top ? inference.labelsOf(top) : scalar, mismatches: inference.mismatches };
}

export function formatLabels(set: ReadonlySet<string> | undefined): string {
  return set === undefined ? 'any labels' : `{${[...set].sort().join(', ')}}`;
}
