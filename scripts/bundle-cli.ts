/**
 * Bundles the CLI (dist/scripts/cli.js and everything it imports, dependencies included) into that
 * one file, run by `npm run compile` after tsc. Node opens, resolves and compiles some 600 modules
 * otherwise, which took about half of a build's time. The rest of dist/ stays as tsc wrote it, for
 * the bench and for anyone importing the modules.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { compiledValidatorFile } from '../mixin/config/validator.js';

const scripts = import.meta.dirname;
const cli = join(scripts, 'cli.js');

await build({
  entryPoints: [cli],
  outfile: cli,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies call require(), which an ES module has only when given one.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module';\nconst require = bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The config validator is looked up beside the module that loads it, which is now the bundle.
copyFileSync(join(scripts, '..', 'mixin', 'config', compiledValidatorFile), join(scripts, compiledValidatorFile));
