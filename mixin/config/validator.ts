import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { configSchema, type MixinConfig } from './schema.js';

/**
 * Where `npm run compile` writes the schema's validator as code (ajv's standalone output), beside
 * this module in dist/. Compiling the schema costs a build a few hundred milliseconds; loading the
 * compiled code costs a few. Run from the TypeScript sources (the tests) there is none, and the
 * schema is compiled here: both come from the same schema with the same options.
 */
export const compiledValidatorFile = 'config-validator.cjs';

/** ajv's options: every error at once (the user fixes them in one go), defaults filled in. */
export const validatorOptions = { allErrors: true, useDefaults: true, strict: true } as const;

export const newConfigAjv = (code?: { source: true }): Ajv => new Ajv({ ...validatorOptions, ...(code ? { code } : {}) });

let validator: ValidateFunction<MixinConfig> | undefined;

/** The config schema's validator: the compiled one when `npm run compile` wrote it, else compiled now. */
export function configValidator(): ValidateFunction<MixinConfig> {
  if (validator) return validator;
  const compiled = new URL(compiledValidatorFile, import.meta.url);
  validator = existsSync(compiled)
    ? (createRequire(import.meta.url)(compiled.pathname) as ValidateFunction<MixinConfig>)
    : newConfigAjv().compile<MixinConfig>(configSchema);
  return validator;
}
