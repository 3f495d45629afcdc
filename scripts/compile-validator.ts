/**
 * Writes the config schema's validator as code beside dist/mixin/config/validator.js (run by
 * `npm run compile`), so that a build loads it instead of compiling the schema each time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import standalone from 'ajv/dist/standalone/index.js';
import { configSchema } from '../mixin/config/schema.js';
import { compiledValidatorFile, newConfigAjv } from '../mixin/config/validator.js';

const ajv = newConfigAjv({ source: true });
const code = standalone.default(ajv, ajv.compile(configSchema));
writeFileSync(join(import.meta.dirname, '..', 'mixin', 'config', compiledValidatorFile), code);
