import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import {
  createFormatter,
  createParser,
  createProgram,
  DEFAULT_CONFIG,
  SchemaGenerator,
  type CompletedConfig,
} from 'ts-json-schema-generator';
import ts from 'typescript';

/**
 * Grafana's dashboard, panel and Prometheus query types as the Foundation SDK declares them
 * (generated, like the SDK, from Grafana's own schemas), turned into JSON Schemas at test time:
 * the installed SDK is the one source, nothing is copied into the repository.
 */
const sdkDist = dirname(dirname(createRequire(import.meta.url).resolve('@grafana/grafana-foundation-sdk/dashboard')));
const typesOf = (sdkPackage: string) => join(sdkDist, sdkPackage, 'types.gen.d.ts');

/** Panel `type` → the SDK package that declares its `Options` (and for some, a `FieldConfig`). */
const panelPackages: Readonly<Record<string, string>> = {
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

type Schema = { definitions?: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** One TypeScript program over every SDK file we read, then one schema per declared type. */
function schemaSource(): (sdkPackage: string, typeName: string) => Schema {
  const packages = ['dashboard', 'prometheus', ...Object.values(panelPackages)];
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: join(sdkDist, `{${packages.join(',')}}`, 'types.gen.d.ts'),
    skipTypeCheck: true,
    expose: 'all',
    topRef: true,
    jsDoc: 'none',
    additionalProperties: false,
  };
  const program = createProgram(config);
  const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);
  return (sdkPackage, typeName) => {
    const source = program.getSourceFile(typesOf(sdkPackage));
    const node = source?.statements.find((s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === typeName);
    if (!node) throw new Error(`the Foundation SDK's ${sdkPackage} package declares no ${typeName}`);
    return generator.createSchemaFromNodes([node]) as Schema;
  };
}

/** A problem with its place in the dashboard, e.g. `panels[3] (Pools by usage) options/colorMode …`. */
export interface SchemaProblem {
  readonly where: string;
  readonly message: string;
}

const messages = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params['additionalProperty'])}` : ''}`,
  );

export interface GrafanaValidator {
  validate(dashboardJson: unknown): SchemaProblem[];
}

/**
 * The dashboard type (with one readable panel if/then), each panel's options and custom field
 * config against its panel type's `Options` and `FieldConfig`, and each target against the
 * Prometheus `Dataquery`.
 */
export function grafanaValidator(): GrafanaValidator {
  const schemaOf = schemaSource();
  // The generator writes `boolean | number` unions as a type list.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });

  const dash = schemaOf('dashboard', 'Dashboard');
  // One readable error per panel instead of every RowPanel mismatch of an anyOf.
  const properties = dash.definitions?.['Dashboard']?.['properties'] as Record<string, unknown>;
  properties['panels'] = {
    type: 'array',
    items: {
      type: 'object',
      if: { type: 'object', properties: { type: { const: 'row' } } },
      then: { $ref: '#/definitions/RowPanel' },
      else: { $ref: '#/definitions/Panel' },
    },
  };
  // The SDK types a target as its generic `cog.Dataquery`; each is checked below as a Prometheus query.
  const panel = dash.definitions?.['Panel']?.['properties'] as Record<string, unknown>;
  panel['targets'] = { type: 'array', items: { type: 'object' } };
  const validateDashboard = ajv.compile(dash);
  const validateTarget = ajv.compile(schemaOf('prometheus', 'Dataquery'));

  const panelValidators = new Map<string, { options: ValidateFunction; custom?: ValidateFunction }>();
  for (const [type, sdkPackage] of Object.entries(panelPackages)) {
    let custom: ValidateFunction | undefined;
    try {
      custom = ajv.compile(schemaOf(sdkPackage, 'FieldConfig'));
    } catch (err) {
      if (!/declares no FieldConfig/.test((err as Error).message)) throw err;
    }
    panelValidators.set(type, { options: ajv.compile(schemaOf(sdkPackage, 'Options')), ...(custom ? { custom } : {}) });
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
        if (!v.options(panel['options'] ?? {}))
          for (const message of messages(v.options.errors)) problems.push({ where: `${where} options`, message });
        const custom = (panel['fieldConfig'] as { defaults?: { custom?: unknown } } | undefined)?.defaults?.custom;
        if (custom !== undefined) {
          if (!v.custom) problems.push({ where, message: `panel type ${type} has no custom field config` });
          else if (!v.custom(custom))
            for (const message of messages(v.custom.errors)) problems.push({ where: `${where} fieldConfig.defaults.custom`, message });
        }
        ((panel['targets'] as unknown[] | undefined) ?? []).forEach((target, t) => {
          if (!validateTarget(target))
            for (const message of messages(validateTarget.errors)) problems.push({ where: `${where} targets[${t}]`, message });
        });
      });
      return problems;
    },
  };
}
