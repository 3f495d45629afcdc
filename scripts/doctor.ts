import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { configFrom } from '../mixin/config/load.js';
import { PrometheusApiError, PrometheusUnreachable } from '../mixin/doctor/client.js';
import type { Progress } from '../mixin/doctor/discover.js';
import { renderText, toJson } from '../mixin/doctor/report.js';
import { runDoctor } from '../mixin/doctor/run.js';

interface DoctorFlags {
  prometheus: string;
  config?: string;
  cluster?: string;
  json?: boolean;
  writeConfig?: string;
  /** The contents of the file, read when the options are parsed. */
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

async function doctor(flags: DoctorFlags): Promise<number> {
  const config = configFrom(flags.config);
  const { progress, done } = progressLine();
  try {
    const result = await runDoctor({
      endpoint: {
        url: flags.prometheus,
        bearerToken: flags.bearerTokenFile?.trim(),
        ca: flags.caFile,
        insecureSkipVerify: flags.insecureSkipVerify ?? false,
        timeoutMs: flags.timeout * 1000,
      },
      config,
      configSource: flags.config ?? 'defaults',
      cluster: flags.cluster,
      progress,
    });
    done();
    let writtenTo: string | undefined;
    if (flags.writeConfig && result.fix) {
      writeFileSync(flags.writeConfig, result.fix.yaml);
      writtenTo = flags.writeConfig;
    }
    process.stdout.write(flags.json ? `${JSON.stringify(toJson(result, writtenTo), null, 2)}\n` : renderText(result, writtenTo));
    if (flags.writeConfig && !result.fix) process.stderr.write(`metallb-mixin doctor: nothing written to ${flags.writeConfig}: no MetalLB series to build a config from\n`);
    return result.exitCode;
  } catch (err) {
    done();
    if (!(err instanceof PrometheusUnreachable || err instanceof PrometheusApiError)) throw err;
    const kind = err instanceof PrometheusUnreachable ? err.kind : 'api-error';
    if (flags.json) process.stdout.write(`${JSON.stringify({ prometheus: flags.prometheus, exitCode: 2, error: { kind, reason: err.message } }, null, 2)}\n`);
    process.stderr.write(`metallb-mixin doctor: cannot query Prometheus at ${flags.prometheus}: ${err.message}\n`);
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
    .option('--write-config <file>', 'write the minimal config that fixes what is blind to this YAML file')
    .option('--bearer-token-file <file>', 'send the token in this file as a bearer token', fileContents('bearer token file'))
    .option('--ca-file <file>', 'PEM CA bundle to verify the Prometheus certificate', fileContents('CA file'))
    .option('--insecure-skip-verify', 'do not verify the Prometheus certificate')
    .addOption(new Option('--timeout <seconds>', 'timeout of each request').default(10).argParser(seconds))
    .exitOverride((err) => {
      // Exit 1 tells CI that something is blind: a usage error must not read as that.
      throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
    })
    .action(async (flags: DoctorFlags) => {
      process.exitCode = await doctor(flags);
    });
}
