import { execFile } from 'node:child_process';

export interface Run {
  /** The exit status; null when the process could not start or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A command run without blocking the test worker: a worker stuck for a minute in a synchronous
 * child process misses vitest's RPC deadline, and the whole run fails on a busy machine.
 */
export function run(command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { ...opts, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr: error && status === null ? `${stderr}${error.message}` : stderr });
    });
  });
}
