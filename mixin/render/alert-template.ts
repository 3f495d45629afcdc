/**
 * Expands the Go templates of this mixin's alert annotations as Prometheus does for one alert, so a
 * generated test can state the annotations it expects. Only the forms the annotations use are
 * known (`$labels.x`, `$value` with `humanize`/`humanizePercentage`, `with`, `if`, `ne`, `else`);
 * any other form is an error, so an annotation the tests cannot expand fails the build, not the test.
 */

import { ScenarioError } from '../scenarios/error.js';

/** Go's `%.Ng`: N significant digits, trailing zeros dropped, exponent form outside [1e-4, 10^N). */
export function goG(x: number, precision: number): string {
  if (x === 0 || !Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x === 0 ? '0' : x > 0 ? '+Inf' : '-Inf';
  const [mantissa = '', expText = '0'] = x.toExponential(precision - 1).split('e');
  const exp = Number(expText);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= precision) return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(x.toFixed(Math.max(0, precision - 1 - exp)));
}

/** Prometheus's `humanize`: SI prefixes, four significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG(v, 4);
  if (Math.abs(v) >= 1) {
    const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
    let i = 0;
    while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
      v /= 1000;
      i++;
    }
    return goG(v, 4) + prefixes[i];
  }
  const prefixes = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
  let i = 0;
  while (Math.abs(v) < 1 && i < prefixes.length - 1) {
    v *= 1000;
    i++;
  }
  return goG(v, 4) + prefixes[i];
}

export const humanizePercentage = (v: number): string => `${goG(v * 100, 4)}%`;

/** Go's `{{ $value }}` of a float64: the shortest form, with an exponent from 1e21 or below 1e-4. */
function goFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  return goG(v, 17).replace(/(\.\d*?)0+(e|$)/, '$1$2');
}

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'print'; readonly expr: string }
  | { readonly kind: 'block'; readonly head: string; readonly then: Node[]; readonly otherwise: Node[] };

function parse(template: string): Node[] {
  const tokens = template.split(/(\{\{.*?\}\})/s).filter((t) => t !== '');
  let i = 0;
  const seq = (): { nodes: Node[]; stop: string | undefined } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const token = tokens[i++]!;
      if (!token.startsWith('{{')) {
        nodes.push({ kind: 'text', text: token });
        continue;
      }
      const action = token.slice(2, -2).trim();
      if (action === 'end' || action === 'else') return { nodes, stop: action };
      if (/^(with|if) /.test(action)) {
        const then = seq();
        const otherwise = then.stop === 'else' ? seq() : { nodes: [], stop: then.stop };
        if (otherwise.stop !== 'end') throw new ScenarioError(`annotation template: {{ ${action} }} has no {{ end }}`);
        nodes.push({ kind: 'block', head: action, then: then.nodes, otherwise: otherwise.nodes });
        continue;
      }
      nodes.push({ kind: 'print', expr: action });
    }
    return { nodes, stop: undefined };
  };
  const { nodes, stop } = seq();
  if (stop !== undefined) throw new ScenarioError(`annotation template: unexpected {{ ${stop} }}`);
  return nodes;
}

interface Scope {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly dot: string;
}

function operand(text: string, scope: Scope): string {
  const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(text);
  if (label) return scope.labels[label[1]!] ?? '';
  if (text === '.') return scope.dot;
  if (text === '$value') return goFloat(scope.value);
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (quoted) return JSON.parse(`"${quoted[1]!}"`) as string;
  throw new ScenarioError(`annotation template: cannot expand ${JSON.stringify(text)}`);
}

function evaluate(expr: string, scope: Scope): string {
  const pipe = /^\$value \| (humanize|humanizePercentage)$/.exec(expr);
  if (pipe) return pipe[1] === 'humanize' ? humanize(scope.value) : humanizePercentage(scope.value);
  const compare = /^(eq|ne) (\S+) (\S+)$/.exec(expr);
  if (compare) return (operand(compare[2]!, scope) === operand(compare[3]!, scope)) === (compare[1] === 'eq') ? 'true' : '';
  return operand(expr, scope);
}

function render(nodes: readonly Node[], scope: Scope): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return n.text;
        case 'print':
          return evaluate(n.expr, scope);
        case 'block': {
          const [keyword, ...rest] = n.head.split(' ');
          const value = evaluate(rest.join(' '), scope);
          if (value === '') return render(n.otherwise, scope);
          return render(n.then, keyword === 'with' ? { ...scope, dot: value } : scope);
        }
      }
    })
    .join('');
}

/** An annotation as Prometheus writes it for an alert with these expression labels and value. */
export function expandAnnotation(template: string, labels: Readonly<Record<string, string>>, value: number): string {
  return render(parse(template), { labels, value, dot: '' });
}
