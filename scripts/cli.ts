#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { BuildError, buildTo, generate, summarize } from '../mixin/build.js';
import { ConfigError } from '../mixin/config/errors.js';
import { configFrom } from '../mixin/config/load.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { formatFinding } from '../mixin/lint/findings.js';
import { checkMixin } from '../mixin/lint/check.js';
import { OutDirError } from '../mixin/output/errors.js';
import { builtOutDir } from '../mixin/output/replace.js';
import { compareTree } from '../mixin/output/tree.js';
import { registerDoctor } from './doctor.js';
import { renderConfigOverride } from '../mixin/jsonnet/config-object.js';
import { buildOnlyFields } from '../mixin/jsonnet/fields.js';
import { toYaml } from '../mixin/render/yaml.js';
import { defaultFormats, formatNames, outputFormats, type OutputFormat } from '../mixin/render/formats.js';

// The package's own package.json: two folders up from dist/scripts/cli.js, in the repository and when installed.
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

const program = new Command('metallb-mixin')
  .description('Generate the MetalLB monitoring mixin: Prometheus alerts and recording rules, Grafana dashboards, jsonnet entry point.')
  .version(version, '-V, --version', 'print the version of metallb-mixin')
  .showHelpAfterError()
  .exitOverride();

const configOption = () => new Option('-c, --config <file>', 'YAML or JSON file overriding the default config');
const outOption = () => new Option('-o, --out <dir>', 'output directory').default('out');

const formatOption = () =>
  new Option(
    '-f, --format <formats...>',
    `outputs to write, overriding outputs.formats of the config (default: ${defaultFormats.join(' ')})`,
  ).choices(formatNames);

/** `out/` as the user wrote it, with one trailing slash. */
const folder = (dir: string) => `${dir.replace(/\/+$/, '')}/`;

const formatsHelp = `\nFormats (--format) and the files each writes under --out:\n${outputFormats.map((f) => `  ${f.name.padEnd(20)}${f.files}`).join('\n')}\n`;

function config(file: string | undefined, formats?: OutputFormat[]): MixinConfig {
  const cfg = configFrom(file);
  return formats ? { ...cfg, outputs: { ...cfg.outputs, formats: [...new Set(formats)] } } : cfg;
}

program
  .command('build')
  .description('validate everything, then write the mixin to --out (left untouched on any error)')
  .addOption(configOption())
  .addOption(outOption())
  .addOption(formatOption())
  .option('--require-promtool', 'fail when promtool is not installed instead of skipping its check')
  .addHelpText('after', formatsHelp)
  .action(async (opts: { config?: string; out: string; format?: OutputFormat[]; requirePromtool?: boolean }) => {
    const started = performance.now();
    const report = await buildTo(config(opts.config, opts.format), opts.out, { requirePromtool: opts.requirePromtool ?? false });
    const n = summarize(report.mixin);
    const ms = Math.round(performance.now() - started);
    console.log(
      `metallb-mixin: wrote ${n.dashboards} dashboards, ${n.alerts} alert rules, ${n.records} recording rules (${report.files.size} files) to ${folder(opts.out)} in ${ms} ms` +
        (report.promtoolChecked ? '' : ' (promtool not found: its check was skipped)'),
    );
  });

program
  .command('check')
  .description('exit 1 when --out differs from a fresh build, naming the files')
  .addOption(configOption())
  .addOption(outOption())
  .addOption(formatOption())
  .addHelpText('after', formatsHelp)
  .action((opts: { config?: string; out: string; format?: OutputFormat[] }) => {
    const { files } = generate(config(opts.config, opts.format));
    const diff = compareTree(builtOutDir(opts.out), files);
    const stale = [
      ...diff.missing.map((f) => `missing  ${f}`),
      ...diff.changed.map((f) => `changed  ${f}`),
      ...diff.extra.map((f) => `extra    ${f}`),
    ];
    if (stale.length > 0) {
      console.error(`${folder(opts.out)} is stale; run npm run build:\n  ${stale.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log(`${folder(opts.out)} is up to date (${files.size} files)`);
    }
  });

program
  .command('lint')
  .description('parse and lint every PromQL expression of alerts, rules and dashboards')
  .addOption(configOption())
  .action(async (opts: { config?: string }) => {
    const cfg = config(opts.config);
    const { mixin } = generate(cfg);
    const check = await checkMixin(mixin, cfg);
    const findings = [...check.lint, ...check.promtool];
    for (const f of findings) console.error(formatFinding(f));
    if (findings.length > 0) {
      console.error(`${findings.length} finding(s)`);
      process.exitCode = 1;
    } else {
      console.log(
        `lint: no findings (${check.expressions} expressions parsed and linted in ${check.lintMs} ms; promtool check rules ${check.promtoolChecked ? 'passed' : 'skipped: promtool not found'})`,
      );
    }
  });

program
  .command('config')
  .description('print the whole config that --config resolves to (defaults filled in), as YAML or as the jsonnet _config+:: object')
  .addOption(configOption())
  .option('--jsonnet', 'print the _config+:: object that gives out/mixin.libsonnet the same mixin as build --config')
  .action((opts: { config?: string; jsonnet?: boolean }) => {
    const cfg = config(opts.config);
    if (!opts.jsonnet) {
      process.stdout.write(toYaml(cfg));
      return;
    }
    const fixed = buildOnlyFields.map((f) => `// ${f.path} is a build option (${f.why}): build out/ with --config for it.`).join('\n');
    process.stdout.write(
      `// _config for out/mixin.libsonnet, from ${opts.config ?? 'the defaults'}.\n${fixed}\n${renderConfigOverride(cfg)}`,
    );
  });

registerDoctor(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`metallb-mixin: ${err.message}`);
    process.exitCode = 2;
  } else if (err instanceof BuildError) {
    for (const f of err.findings) console.error(formatFinding(f));
    console.error(`metallb-mixin: ${err.message}`);
    process.exitCode = 1;
  } else if (err instanceof OutDirError) {
    console.error(`metallb-mixin: ${err.message}`);
    process.exitCode = 1;
  } else if (err instanceof Error && 'exitCode' in err && typeof err.exitCode === 'number') {
    // commander already printed help or the usage error.
    process.exitCode = err.exitCode;
  } else {
    // A stack trace tells a user nothing they can act on; it stays one variable away for a bug report.
    console.error(`metallb-mixin: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env['METALLB_MIXIN_DEBUG']) console.error(err);
    else console.error('metallb-mixin: set METALLB_MIXIN_DEBUG=1 to see where it happened, and please report it');
    process.exitCode = 70;
  }
}
