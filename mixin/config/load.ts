import { extname } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { configSchema, type MixinConfig } from './schema.js';
import { checkConfigSemantics } from './semantics.js';
import { checkRenderedConfig } from './rendered.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { readBounded } from './read.js';
import { durationPattern } from './sections/common.js';
import { configValidator } from './validator.js';

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describe(e: ErrorObject): ConfigIssue {
  const at = dotted(e.instancePath);
  const join = (key: string) => (at ? `${at}.${key}` : key);
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: join(String(e.params['additionalProperty'])), message: 'unknown key' };
    case 'required':
      return { path: join(String(e.params['missingProperty'])), message: 'is required' };
    case 'pattern':
      if (e.params['pattern'] === durationPattern) {
        return {
          path: at,
          message:
            'not a Prometheus duration: a number and a unit (ms, s, m, h, d, w, y), units from the largest down, each at most once, e.g. 1h30m',
        };
      }
      return { path: at, message: `must match ${String(e.params['pattern'])}` };
    default:
      return { path: at, message: e.message ?? e.keyword };
  }
}

/**
 * Copy `value` with the keys of every free-form map (labels, annotations, uid overrides) sorted,
 * so the order a user wrote them in never changes the output.
 */
function sortMaps(schema: TSchema, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (schema['patternProperties']) {
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, record[k]]),
    );
  }
  const properties = schema['properties'] as Record<string, TSchema> | undefined;
  if (!properties) return value;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, properties[k] ? sortMaps(properties[k], v) : v]));
}

/**
 * Complete a partial config with the defaults and validate it: schema first (types, unknown keys,
 * ranges), then the rules a schema cannot say (warning below critical, selectors that parse),
 * then what shows only in the rules it renders (labels they already use, dashboard uids).
 */
export function resolveConfig(overrides: unknown, source = 'config'): MixinConfig {
  if (overrides === null || overrides === undefined) overrides = {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigError(source, [{ path: '', message: 'must be a mapping of settings' }]);
  }
  const candidate: unknown = structuredClone(overrides);
  const validateSchema = configValidator();
  if (!validateSchema(candidate)) {
    const seen = new Set<string>();
    const issues = (validateSchema.errors ?? []).map(describe).filter((i) => {
      const key = `${i.path}\u0000${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    throw new ConfigError(source, issues);
  }
  const semanticIssues = checkConfigSemantics(candidate);
  if (semanticIssues.length > 0) throw new ConfigError(source, semanticIssues);
  const cfg = sortMaps(configSchema, candidate) as MixinConfig;
  const renderedIssues = checkRenderedConfig(cfg);
  if (renderedIssues.length > 0) throw new ConfigError(source, renderedIssues);
  return cfg;
}

/** Read a YAML or JSON config file and resolve it. */
export function loadConfigFile(file: string): MixinConfig {
  const read = readBounded(file);
  if ('error' in read) throw new ConfigError(file, [{ path: '', message: read.error }]);
  const { text } = read;
  const isJson = extname(file) === '.json';
  let data: unknown;
  try {
    data = isJson ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `not valid ${isJson ? 'JSON' : 'YAML'}: ${(err as Error).message}` }]);
  }
  return resolveConfig(data, file);
}

/** The defaults, as a user with no config file gets them. */
export function defaultConfig(): MixinConfig {
  return resolveConfig({}, 'defaults');
}

/** The config of a `--config` option: the file when given, else the defaults. */
export function configFrom(file?: string): MixinConfig {
  return file ? loadConfigFile(file) : defaultConfig();
}
