import type { TSchema } from '@sinclair/typebox';
import { configSchema } from '../config/schema.js';
import { buildOnlyFields, substitutedFields, wrapperFields } from '../jsonnet/fields.js';

interface Row {
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly description: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(schema: TSchema): string {
  if (schema['anyOf']) return (schema['anyOf'] as TSchema[]).map(typeOf).join(' \\| ');
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']);
  if (schema['type'] === 'array') return `${typeOf(schema['items'] as TSchema)}[]`;
  if (schema['type'] === 'object' && schema['patternProperties']) return 'map';
  return String(schema['type'] ?? 'any');
}

function rows(schema: TSchema, prefix: string, out: Row[]): void {
  const properties = schema['properties'] as Record<string, TSchema> | undefined;
  for (const [key, child] of Object.entries(properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child['type'] === 'object' && child['properties']) {
      rows(child, path, out);
      continue;
    }
    out.push({
      path,
      type: typeOf(child),
      defaultValue: child['default'] === undefined ? '' : `\`${JSON.stringify(child['default'])}\``,
      description: String(child['description'] ?? ''),
    });
  }
}

const jsonnetNames = new Map([...substitutedFields, ...wrapperFields].map((f) => [f.path.join('.'), f.name]));

/** The row's name in `_config` of mixin.libsonnet, or why jsonnet cannot set it. */
function jsonnetName(path: string): string {
  const name = jsonnetNames.get(path);
  if (name) return `\`${name}\``;
  return buildOnlyFields.some((f) => path === f.path || path.startsWith(`${f.path}.`)) ? 'build option' : '';
}

/**
 * The README's config reference, generated from the schema so it cannot drift from what the
 * validator accepts. Per-alert settings are folded into one row per alert.
 */
export function renderConfigTable(): string {
  const all: Row[] = [];
  rows(configSchema, '', all);
  const alertRows = new Map<string, Row[]>();
  const plain: Row[] = [];
  for (const r of all) {
    const m = /^alerts\.([^.]+)\.(.+)$/.exec(r.path);
    if (m?.[1]) alertRows.set(m[1], [...(alertRows.get(m[1]) ?? []), r]);
    else plain.push(r);
  }
  const lines = ['| key | jsonnet `_config` | type | default | meaning |', '|---|---|---|---|---|'];
  for (const r of plain) lines.push(`| \`${r.path}\` | ${jsonnetName(r.path)} | ${r.type} | ${cell(r.defaultValue)} | ${cell(r.description)} |`);
  for (const [alert, settings] of alertRows) {
    const defaults = settings.filter((s) => s.defaultValue).map((s) => `${s.path.split('.').pop()}: ${s.defaultValue}`).join(', ');
    const severity = settings.find((s) => s.path.endsWith('.severity'))?.description || "`severity` overrides the alert's own.";
    const fields = settings.map((s) => s.path.split('.').pop()).join(', ');
    lines.push(`| \`alerts.${alert}\` | \`alerts.${alert}\` | {${fields}} | ${cell(defaults)} | Settings of ${alert}; ${cell(severity)} |`);
  }
  return lines.join('\n');
}
