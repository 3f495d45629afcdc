import { assembleMixin } from '../assemble.js';
import type { MixinConfig } from '../config/schema.js';
import type { Mixin } from '../types.js';
import { sentinelTraces, substitutedFields, withValue, type JsonnetField } from './fields.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = readonly (string | number)[];

/** Where the built mixin differs between two values of one field, and the jsonnet that picks. */
interface Branch {
  readonly path: Path;
  readonly condition: string;
  readonly other: Json;
}

/** The mixin as jsonnet source: three parts, each an expression of `c` (the `_config`) and `lib`. */
export interface MixinTemplate {
  /** Alerts that fire at two severities (warning and critical rules): a severity override would merge them. */
  readonly twoSeverities: readonly string[];
  readonly alerts: string;
  readonly rules: string;
  readonly dashboards: Readonly<Record<string, string>>;
}

const asJson = (m: Mixin): Json => JSON.parse(JSON.stringify(m)) as Json;

/**
 * Build the mixin with every substituted field at its sentinel (the build's `bgp.modes` and
 * `outputs` stay: they are build options), and once more per field whose other value changes the
 * output's shape; then write it as jsonnet that computes each sentinel's texts from `_config`.
 */
export function mixinTemplate(cfg: MixinConfig): MixinTemplate {
  let symbolic: MixinConfig = { ...cfg, alertLabels: {}, dashboards: { ...cfg.dashboards, uids: {} } };
  // Every alert on, at its own severity: the wrapper applies enabled and severity from _config.
  const alerts = Object.fromEntries(Object.entries(cfg.alerts).map(([a, s]) => [a, { ...s, enabled: true, severity: undefined }]));
  symbolic = { ...symbolic, alerts: alerts as MixinConfig['alerts'] };
  for (const f of substitutedFields) symbolic = withValue(symbolic, f.path, f.sentinel);
  const base = asJson(assembleMixin(symbolic));

  const branches: Branch[] = [];
  for (const f of substitutedFields.filter((x) => x.other)) {
    const variant = asJson(assembleMixin(withValue(symbolic, f.path, f.other!.value)));
    for (const path of differences(base, variant)) {
      const clash = branches.find((b) => isPrefix(b.path, path) || isPrefix(path, b.path));
      if (clash) throw new Error(`jsonnet template: ${f.name} and another field shape the same part of the mixin (${path.join('.')})`);
      branches.push({ path, condition: f.other!.sentinelBranch, other: at(variant, path) });
    }
  }

  const emitter = new Emitter(substitutedFields, branches);
  const root = base as { prometheusAlerts: Json; prometheusRules: Json; grafanaDashboards: Record<string, Json> };
  const severities = new Map<string, Set<string>>();
  for (const g of (root.prometheusAlerts as { groups: { rules: { alert: string; labels: { severity: string } }[] }[] }).groups) {
    for (const r of g.rules) severities.set(r.alert, (severities.get(r.alert) ?? new Set()).add(r.labels.severity));
  }
  const template: MixinTemplate = {
    twoSeverities: [...severities].filter(([, s]) => s.size > 1).map(([a]) => a),
    alerts: emitter.emit(root.prometheusAlerts, ['prometheusAlerts']),
    rules: emitter.emit(root.prometheusRules, ['prometheusRules']),
    dashboards: Object.fromEntries(
      Object.entries(root.grafanaDashboards).map(([file, d]) => [file, emitter.emit(d, ['grafanaDashboards', file])]),
    ),
  };
  for (const source of [template.alerts, template.rules, ...Object.values(template.dashboards)]) {
    const trace = sentinelTraces.find((t) => source.includes(t));
    if (trace)
      throw new Error(
        `jsonnet template: a config value reaches the output in a form no field knows (${trace}): add it to mixin/jsonnet/fields.ts`,
      );
  }
  return template;
}

/** The smallest subtrees where `a` and `b` differ. */
function differences(a: Json, b: Json, path: Path = []): Path[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => differences(x, b[i]!, [...path, i]));
  if (isObject(a) && isObject(b) && sameKeys(a, b)) return Object.keys(a).flatMap((k) => differences(a[k]!, b[k]!, [...path, k]));
  return [path];
}

const isScalar = (x: Json) => x === null || typeof x !== 'object';
const isFlat = (x: Json) => isScalar(x) || (Array.isArray(x) && x.every(isScalar));
const isObject = (x: Json): x is { [k: string]: Json } => typeof x === 'object' && x !== null && !Array.isArray(x);
const sameKeys = (a: object, b: object) => JSON.stringify(Object.keys(a)) === JSON.stringify(Object.keys(b));
const isPrefix = (p: Path, q: Path) => p.length <= q.length && p.every((x, i) => x === q[i]);
const at = (x: Json, path: Path): Json => path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, x);

/** Writes JSON as jsonnet, replacing every sentinel text by the jsonnet that computes it. */
class Emitter {
  private readonly texts: Map<string, string>;
  private readonly pattern: RegExp | undefined;
  /** The pattern without `g`, so a test keeps no state between strings. */
  private readonly test: RegExp | undefined;
  private readonly values: Map<string, string>;
  private readonly branches: Map<string, Branch>;

  constructor(fields: readonly JsonnetField[], branches: readonly Branch[]) {
    this.texts = new Map(fields.flatMap((f) => f.texts));
    const alternatives = [...this.texts.keys()].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
    this.test = alternatives.length > 0 ? new RegExp(alternatives.join('|')) : undefined;
    this.values = new Map();
    for (const [v, j] of fields.flatMap((f) => f.values ?? [])) {
      if (!isFlat(v as Json))
        throw new Error(`jsonnet template: a field's value must be a scalar or a list of scalars (${JSON.stringify(v)})`);
      const key = JSON.stringify(v);
      if (!this.values.has(key)) this.values.set(key, j);
    }
    this.branches = new Map(branches.map((b) => [JSON.stringify(b.path), b]));
  }

  emit(node: Json, path: Path, indent = ''): string {
    const branch = this.branches.get(JSON.stringify(path));
    if (branch) return `(if ${branch.condition} then ${this.plain(node, path, indent)} else ${this.plain(branch.other, path, indent)})`;
    return this.plain(node, path, indent);
  }

  private plain(node: Json, path: Path, indent: string): string {
    // Field values are scalars or flat lists: a larger subtree cannot be one, so it is not serialised to look.
    const value = isFlat(node) ? this.values.get(JSON.stringify(node)) : undefined;
    if (value !== undefined) return value;
    if (typeof node === 'string') return this.string(node);
    if (node === null || typeof node !== 'object') return JSON.stringify(node);
    const inner = `${indent}  `;
    if (Array.isArray(node)) {
      if (node.length === 0) return '[]';
      return `[\n${node.map((x, i) => `${inner}${this.emit(x, [...path, i], inner)},\n`).join('')}${indent}]`;
    }
    const keys = Object.keys(node);
    if (keys.length === 0) return '{}';
    const key = (k: string) => (this.hasText(k) ? `[${this.string(k)}]` : JSON.stringify(k));
    return `{\n${keys.map((k) => `${inner}${key(k)}: ${this.emit(node[k]!, [...path, k], inner)},\n`).join('')}${indent}}`;
  }

  private hasText(s: string): boolean {
    return this.test !== undefined && this.test.test(s);
  }

  /** `"literal" + c.field + "literal"` for a string that holds sentinel texts. */
  private string(s: string): string {
    if (!this.pattern || !this.hasText(s)) return JSON.stringify(s);
    const parts: string[] = [];
    let last = 0;
    for (const m of s.matchAll(this.pattern)) {
      if (m.index > last) parts.push(JSON.stringify(s.slice(last, m.index)));
      parts.push(this.texts.get(m[0])!);
      last = m.index + m[0].length;
    }
    if (last < s.length) parts.push(JSON.stringify(s.slice(last)));
    return parts.join(' + ');
  }
}
