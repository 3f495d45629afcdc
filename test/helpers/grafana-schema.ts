import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { repoRoot } from './cli.js';

/** Grafana's JSON schemas (from the foundation SDK repository), read where they are kept: never copied. */
export const schemaDir = join(repoRoot, '..', 'shared', 'schemas', 'grafana');

type Schema = { definitions: Record<string, { properties?: Record<string, unknown> } & Record<string, unknown>> } & Record<string, unknown>;

const read = (name: string): Schema => JSON.parse(readFileSync(join(schemaDir, `${name}.jsonschema.json`), 'utf8')) as Schema;

/** Panel `type` → schema file; only these files define options (and some a field config). */
const panelSchemaFiles: Readonly<Record<string, string>> = {
  stat: 'stat',
  gauge: 'gauge',
  bargauge: 'bargauge',
  timeseries: 'timeseries',
  'state-timeline': 'statetimeline',
  table: 'table',
  text: 'text',
  piechart: 'piechart',
  heatmap: 'heatmap',
};

/** A problem with its place in the dashboard, e.g. `panels[3] (Pools by usage) options/colorMode …`. */
export interface SchemaProblem {
  readonly where: string;
  readonly message: string;
}

const messages = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params['additionalProperty'])}` : ''}`);

export interface GrafanaValidator {
  validate(dashboardJson: unknown): SchemaProblem[];
}

/**
 * The dashboard schema (with the README's three patches and the readable panel if/then), each
 * panel's options and custom field config against its panel type's schema, and each target
 * against the Prometheus dataquery schema.
 */
export function grafanaValidator(): GrafanaValidator {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  ajv.addKeyword('x-deprecation-message');

  const dash = read('dashboard');
  const d = dash.definitions;
  // cog turns CUE `_` into `type: object`: these three reject valid dashboards (README, "Patch").
  d['MatcherConfig']!.properties!['options'] = {};
  d['DynamicConfigValue']!.properties!['value'] = {};
  d['VariableModel']!.properties!['query'] = { oneOf: [{ type: 'string' }, { type: 'object' }] };
  // One readable error per panel instead of every RowPanel mismatch of a oneOf.
  const dashboardDef = d['Dashboard']!.properties!;
  dashboardDef['panels'] = {
    type: 'array',
    items: { type: 'object', if: { type: 'object', properties: { type: { const: 'row' } } }, then: { $ref: '#/definitions/RowPanel' }, else: { $ref: '#/definitions/Panel' } },
  };
  const validateDashboard = ajv.compile(dash);
  const validateTarget = ajv.compile(read('prometheus'));

  const panelValidators = new Map<string, { options: ValidateFunction; custom?: ValidateFunction }>();
  for (const [type, file] of Object.entries(panelSchemaFiles)) {
    const schema = read(file);
    const id = `https://grafana.invalid/${file}.json`;
    ajv.addSchema({ ...schema, $id: id });
    const custom = 'FieldConfig' in schema.definitions ? ajv.compile({ $ref: `${id}#/definitions/FieldConfig` }) : undefined;
    panelValidators.set(type, { options: ajv.compile({ $ref: `${id}#/definitions/Options` }), ...(custom ? { custom } : {}) });
  }

  return {
    validate(dashboardJson) {
      const problems: SchemaProblem[] = [];
      if (!validateDashboard(dashboardJson)) {
        for (const message of messages(validateDashboard.errors)) problems.push({ where: 'dashboard', message });
      }
      const panels = (dashboardJson as { panels?: Record<string, unknown>[] }).panels ?? [];
      const all = panels.flatMap((p) => [p, ...((p['panels'] as Record<string, unknown>[] | undefined) ?? [])]);
      all.forEach((panel, i) => {
        const where = `panels[${i}] (${String(panel['title'])})`;
        const type = String(panel['type']);
        if (type === 'row') return;
        const v = panelValidators.get(type);
        if (!v) {
          problems.push({ where, message: `no schema for panel type ${type}` });
          return;
        }
        if (!v.options(panel['options'] ?? {})) for (const message of messages(v.options.errors)) problems.push({ where: `${where} options`, message });
        const custom = (panel['fieldConfig'] as { defaults?: { custom?: unknown } } | undefined)?.defaults?.custom;
        if (custom !== undefined) {
          if (!v.custom) problems.push({ where, message: `panel type ${type} has no custom field config` });
          else if (!v.custom(custom)) for (const message of messages(v.custom.errors)) problems.push({ where: `${where} fieldConfig.defaults.custom`, message });
        }
        ((panel['targets'] as unknown[] | undefined) ?? []).forEach((target, t) => {
          if (!validateTarget(target)) for (const message of messages(validateTarget.errors)) problems.push({ where: `${where} targets[${t}]`, message });
        });
      });
      return problems;
    },
  };
}
