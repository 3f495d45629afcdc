import type { SyntaxNode } from '@lezer/common';
import { childExprs } from '../promql/inspect.js';
import type { ParsedExpr } from '../promql/parse.js';
import { isHeartbeat } from '../promql/problems.js';

/**
 * What an expression can show, given what each of its selectors finds:
 * - `live`: some real series flow through it;
 * - `blind`: it depends on a selector that should match and does not (a config problem);
 * - `na`: it depends on series this install cannot have (no BGP, no kube-state-metrics, ...);
 * - `const`: it reads no series at all (`vector(0)`).
 */
export type Liveness = 'live' | 'blind' | 'na' | 'const';

/** A verdict and the selectors that decide it (empty when live or constant). */
export interface Verdict {
  readonly state: Liveness;
  readonly culprits: readonly SyntaxNode[];
}

function combine(parts: readonly Verdict[], order: readonly Liveness[]): Verdict {
  const state = order.find((s) => parts.some((p) => p.state === s)) ?? 'const';
  const culprits = state === 'live' || state === 'const' ? [] : parts.filter((p) => p.state === state).flatMap((p) => p.culprits);
  return { state, culprits };
}

// Both sides must see series: one empty operand empties the result. An `n/a` operand wins,
// because no selector fix can make such an expression apply.
const all = (parts: readonly Verdict[]) => combine(parts, ['na', 'blind', 'live']);

// `or`: one side with series is enough; a constant fallback (`or vector(0)`) hides nothing real.
const any = (parts: readonly Verdict[]) => combine(parts, ['live', 'blind', 'na']);

const constant: Verdict = { state: 'const', culprits: [] };

function binaryOperator(node: SyntaxNode): string | undefined {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Or' || c.name === 'Unless' || c.name === 'And' || c.name === 'Mul') return c.name;
  }
  return undefined;
}

const numberValue = (expr: string, node: SyntaxNode | undefined) =>
  node?.name === 'NumberDurationLiteral' ? Number(expr.slice(node.from, node.to)) : undefined;

/**
 * Fold per-selector verdicts up the PromQL tree. `selectorState` answers for each VectorSelector
 * node. `absent(x)` of a blind `x` stays blind: it would fire forever, which is the seed's bug.
 * Only the selectors on the deciding path are culprits: a blind `or` branch next to a live one is not.
 */
export function liveness(parsed: ParsedExpr, selectorState: (node: SyntaxNode) => Liveness): Verdict {
  const visit = (node: SyntaxNode): Verdict => {
    switch (node.name) {
      case 'VectorSelector': {
        const state = selectorState(node);
        return { state, culprits: state === 'blind' || state === 'na' ? [node] : [] };
      }
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        return constant;
      case 'BinaryExpr': {
        const [left, right] = childExprs(node);
        const l = left ? visit(left) : constant;
        const r = right ? visit(right) : constant;
        const op = binaryOperator(node);
        // A problem record's heartbeat (mixin/promql/problems.ts) keeps the labels of its
        // cluster series and none of its data: it proves the rule runs, not that the problem it
        // records can ever be seen.
        if (isHeartbeat(op, numberValue(parsed.expr, right))) return constant;
        if (op === 'Or') return any([l, r]);
        // `a unless b` works without b's series where b is optional (n/a), but a blind b never
        // filters anything: `up unless up{wrong job} == 1` fires forever, the seed's bug.
        if (op === 'Unless') return r.state === 'blind' ? all([l, r]) : l;
        return all([l, r]);
      }
      default:
        return all(childExprs(node).map(visit));
    }
  };
  return all(childExprs(parsed.tree.topNode).map(visit));
}
