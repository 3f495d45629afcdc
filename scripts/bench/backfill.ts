import { spawn } from 'node:child_process';

function promtool(binary: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`promtool ${args.slice(0, 3).join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** `promtool tsdb create-blocks-from openmetrics`: TSDB blocks for `input` into `dataDir`. */
export async function backfillOpenMetrics(binary: string, input: string, dataDir: string): Promise<void> {
  await promtool(binary, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, dataDir]);
}

/**
 * `promtool tsdb create-blocks-from rules`: evaluates the recording rules of `ruleFile` against
 * the Prometheus at `url` over [start, end] and writes the results as blocks into `dataDir`.
 */
export async function backfillRules(binary: string, ruleFile: string, url: string, start: number, end: number, dataDir: string): Promise<void> {
  await promtool(binary, ['tsdb', 'create-blocks-from', 'rules', '--quiet', `--url=${url}`, `--start=${start}`, `--end=${end}`, `--output-dir=${dataDir}`, ruleFile]);
}
