import type { Mixin } from '../types.js';

export type ItemKind = 'alert' | 'record' | 'panel' | 'variable';

/** One expression of the mixin that must see series to be useful. */
export interface CheckedItem {
  readonly kind: ItemKind;
  /** Alert or record name; `<dashboard file> / <panel title> [refId]` for a panel target. */
  readonly name: string;
  readonly expr: string;
  /** For a `label_values(<selector>, <label>)` variable: the label whose values it lists. */
  readonly label?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function panelItems(file: string, panel: Record<string, unknown>, out: CheckedItem[]): void {
  const title = typeof panel['title'] === 'string' && panel['title'] ? panel['title'] : `panel ${String(panel['id'] ?? '?')}`;
  const targets = Array.isArray(panel['targets']) ? panel['targets'] : [];
  for (const t of targets) {
    if (!isRecord(t) || typeof t['expr'] !== 'string' || t['expr'].trim() === '') continue;
    const ref = typeof t['refId'] === 'string' ? ` [${t['refId']}]` : '';
    out.push({ kind: 'panel', name: `${file} / ${title}${ref}`, expr: t['expr'] });
  }
  // Rows carry their collapsed panels inside them.
  const nested = Array.isArray(panel['panels']) ? panel['panels'] : [];
  for (const p of nested) if (isRecord(p)) panelItems(file, p, out);
}

// Grafana's Prometheus variable functions; anything else is a plain PromQL query.
const labelValuesCall = /^\s*label_values\(\s*(.*?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s;
const queryResultCall = /^\s*query_result\(\s*(.*)\s*\)\s*$/s;

function variableItem(file: string, variable: Record<string, unknown>): CheckedItem | undefined {
  if (variable['type'] !== 'query') return undefined;
  const raw = variable['query'];
  const query = isRecord(raw) ? raw['query'] : raw;
  if (typeof query !== 'string') return undefined;
  const name = `${file} / $${String(variable['name'])}`;
  const lv = labelValuesCall.exec(query);
  if (lv?.[1] !== undefined && lv[2] !== undefined) return { kind: 'variable', name, expr: lv[1], label: lv[2] };
  // label_values(label) without a selector lists every series' label: nothing MetalLB-specific to check.
  if (/^\s*label_values\(/.test(query)) return undefined;
  const qr = queryResultCall.exec(query);
  return { kind: 'variable', name, expr: qr?.[1] ?? query };
}

/** Every alert, recording rule, dashboard panel target and query variable, in output order. */
export function checkedItems(mixin: Mixin): CheckedItem[] {
  const out: CheckedItem[] = [];
  for (const g of mixin.prometheusAlerts.groups) for (const r of g.rules) out.push({ kind: 'alert', name: r.alert, expr: r.expr });
  for (const g of mixin.prometheusRules.groups) for (const r of g.rules) out.push({ kind: 'record', name: r.record, expr: r.expr });
  for (const file of Object.keys(mixin.grafanaDashboards).sort()) {
    const dashboard = mixin.grafanaDashboards[file] ?? {};
    const templating = dashboard['templating'];
    const variables = isRecord(templating) && Array.isArray(templating['list']) ? templating['list'] : [];
    for (const v of variables) {
      const item = isRecord(v) ? variableItem(file, v) : undefined;
      if (item) out.push(item);
    }
    const panels = Array.isArray(dashboard['panels']) ? dashboard['panels'] : [];
    for (const p of panels) if (isRecord(p)) panelItems(file, p, out);
  }
  return out;
}
