import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { configSchema, type MixinConfig } from './schema.js';
import { checkConfigSemantics } from './semantics.js';
import { ConfigError, type ConfigIssue } from './errors.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
const validateSchema = ajv.compile<MixinConfig>(configSchema);

function dotted(instancePath: string): string {
  return instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
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
      return { path: at, message: `must match ${String(e.params['pattern'])}` };
    default:
      return { path: at, message: e.message ?? e.keyword };
  }
}

/**
 * Complete a partial config with the defaults and validate it: schema first (types, unknown keys,
 * ranges), then the rules a schema cannot say (warning below critical, selectors that parse).
 */
export function resolveConfig(overrides: unknown, source = 'config'): MixinConfig {
  if (overrides === null || overrides === undefined) overrides = {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigError(source, [{ path: '', message: 'must be a mapping of settings' }]);
  }
  const candidate: unknown = structuredClone(overrides);
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
  return candidate;
}

/** Read a YAML or JSON config file and resolve it. */
export function loadConfigFile(file: string): MixinConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read file: ${(err as Error).message}` }]);
  }
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
