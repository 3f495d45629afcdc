import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { configFrom } from '../mixin/config/load.js';
import { PrometheusApiError, PrometheusUnreachable } from '../mixin/doctor/client.js';
import type { Progress } from '../mixin/doctor/discover.js';
import { printable, printableJson } from '../mixin/doctor/printable.js';
import { redactUrl, scrubSecrets, urlSecrets } from '../mixin/doctor/redact.js';
import { renderText, toJson } from '../mixin/doctor/report.js';
import { runDoctor } from '../mixin/doctor/run.js';
import { checkWriteTarget, WriteConfigError, writeConfigFix } from '../mixin/doctor/write-config.js';

interface DoctorFlags {
  prometheus: string;
  config?: string;
  cluster?: string;
  json?: boolean;
  writeConfig?: string;
  force?: boolean;
  /** The token in the file, read and checked when the options are parsed. */
  bearerTokenFile?: string;
  caFile?: string;
  insecureSkipVerify?: boolean;
  timeout: number;
}

/** Reads an option's file as the options are parsed: an unreadable file is a usage error (exit 2) that names it. */
function fileContents(what: string): (file: string) => string {
  return (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new InvalidArgumentError(`cannot read the ${what} ${file}: ${(err as Error).message}`);
    }
  };
}

/**
 * The token of a `--bearer-token-file`: one trailing line break is dropped (files written by
 * editors and `echo` end with one, as kubectl allows); any other line break or control character
 * would be sent inside the header, so it is refused.
 */
function bearerToken(file: string): string {
  const token = fileContents('bearer token file')(file).replace(/\r?\n$/, '');
  if (token === '') throw new InvalidArgumentError(`the bearer token file ${file} is empty`);
  if (/[\r\n]/.test(token))
    throw new InvalidArgumentError(`the bearer token file ${file} holds more than one line: it must hold the token alone`);
  if (/[\s\u0000-\u001f\u007f]/.test(token))
    throw new InvalidArgumentError(`the bearer token file ${file} holds spaces or control characters: it must hold the token alone`);
  return token;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

/**
 * One status line on stderr: rewritten in place on a terminal; in a log, one line per phase so a
 * CI log shows where a slow run spends its time without a line per query.
 */
function progressLine(): { progress: Progress; done: () => void } {
  const tty = process.stderr.isTTY;
  let lastPhase = '';
  return {
    progress: (message) => {
      if (tty) {
        process.stderr.write(`\r\u001b[K${message.slice(0, (process.stderr.columns || 80) - 1)}`);
        return;
      }
      const phase = message.replace(/[0-9].*$/, '');
      if (phase !== lastPhase) process.stderr.write(`${message}\n`);
      lastPhase = phase;
    },
    done: () => {
      if (tty) process.stderr.write('\r\u001b[K');
    },
  };
}

/** Prints one line per message on stderr: anything from the Prometheus shown escaped, URL secrets hidden. */
function errorLine(flags: DoctorFlags): (message: string) => void {
  const secrets = urlSecrets(flags.prometheus);
  return (message) => process.stderr.write(`metallb-mixin doctor: ${printable(scrubSecrets(message, secrets))}\n`);
}

async function doctor(flags: DoctorFlags): Promise<number> {
  const error = errorLine(flags);
  const prometheus = redactUrl(flags.prometheus);
  const started = Date.now();
  const config = configFrom(flags.config);
  try {
    // Before asking anything: a run must not end in a file it cannot write.
    if (flags.writeConfig !== undefined) checkWriteTarget(flags.writeConfig, flags.force ?? false);
  } catch (err) {
    if (!(err instanceof WriteConfigError)) throw err;
    error(err.message);
    return 2;
  }
  const { progress, done } = progressLine();
  try {
    const result = await runDoctor({
      endpoint: {
        url: flags.prometheus,
        bearerToken: flags.bearerTokenFile,
        ca: flags.caFile,
        insecureSkipVerify: flags.insecureSkipVerify ?? false,
        timeoutMs: flags.timeout * 1000,
        deadline: started + flags.timeout * 1000,
      },
      config,
      configSource: flags.config ?? 'defaults',
      cluster: flags.cluster,
      progress,
    });
    done();
    let writtenTo: string | undefined;
    if (flags.writeConfig !== undefined && result.fix) {
      writeConfigFix(flags.writeConfig, result.fix, flags.force ?? false);
      writtenTo = flags.writeConfig;
    }
    process.stdout.write(
      flags.json ? `${printableJson(JSON.stringify(toJson(result, writtenTo), null, 2))}\n` : renderText(result, writtenTo),
    );
    if (flags.writeConfig !== undefined && !result.fix)
      error(`nothing written to ${flags.writeConfig}: no MetalLB series to build a config from`);
    return result.exitCode;
  } catch (err) {
    done();
    if (err instanceof WriteConfigError) {
      error(err.message);
      return 2;
    }
    if (!(err instanceof PrometheusUnreachable || err instanceof PrometheusApiError)) throw err;
    const kind = err instanceof PrometheusUnreachable ? err.kind : 'api-error';
    const reason = scrubSecrets(err.message, urlSecrets(flags.prometheus));
    if (flags.json)
      process.stdout.write(`${printableJson(JSON.stringify({ prometheus, exitCode: 2, error: { kind, reason } }, null, 2))}\n`);
    error(`cannot query Prometheus at ${prometheus}: ${reason}`);
    return 2;
  }
}

/** `metallb-mixin doctor`: which alerts and panels would be blind on this Prometheus, and the config that fixes them. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'query a running Prometheus (read-only) and report what MetalLB exposes there, which alerts, rules and panels ' +
        'would match no series with this config, and the config that fixes them. Exit 0: nothing applicable is blind; ' +
        '1: something is (or no MetalLB series at all); 2: Prometheus cannot be queried, or a usage or config error',
    )
    .requiredOption('-p, --prometheus <url>', 'base URL of the Prometheus (with its path prefix, if any)')
    .addOption(new Option('-c, --config <file>', 'YAML or JSON config to check (default: the defaults)'))
    .option('--cluster <name>', 'check only the series of this cluster (value of the cluster label)')
    .option('--json', 'print the report as JSON (for CI)')
    .option(
      '--write-config <file>',
      'write the minimal config that fixes what is blind to this YAML file; an existing file only if the doctor wrote it',
    )
    .option('--force', 'with --write-config: replace the file even if the doctor did not write it')
    .option('--bearer-token-file <file>', 'send the token in this file as a bearer token (one trailing newline is ignored)', bearerToken)
    .option('--ca-file <file>', 'PEM CA bundle to verify the Prometheus certificate', fileContents('CA file'))
    .option('--insecure-skip-verify', 'do not verify the Prometheus certificate')
    .addOption(new Option('--timeout <seconds>', 'deadline of the whole run, every request included').default(120).argParser(seconds))
    .exitOverride((err) => {
      // Exit 1 tells CI that something is blind: a usage error must not read as that.
      throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
    })
    .action(async (flags: DoctorFlags) => {
      process.exitCode = await doctor(flags);
    });
}
