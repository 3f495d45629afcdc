import { execFile, spawnSync } from 'node:child_process';

/** The promtool binary: `$PROMTOOL`, else the one on PATH. */
export function promtoolPath(): string | undefined {
  const candidate = process.env['PROMTOOL'] ?? 'promtool';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : undefined;
}

export interface ToolRun {
  readonly ok: boolean;
  readonly output: string;
  /** promtool could not be started (not installed). */
  readonly missing?: boolean;
}

/** The promtool to run: `$PROMTOOL`, or the one on the PATH. */
export const promtoolCommand = (): string => process.env['PROMTOOL'] ?? 'promtool';

/**
 * `promtool check rules` on the given files. Run without probing `--version` first: the build pays
 * for one promtool start, not two.
 */
export function checkRules(files: readonly string[], promtool = promtoolCommand()): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(promtool, ['check', 'rules', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string')
        resolve({ ok: false, missing: true, output: 'promtool not found (install Debian package "prometheus" or set PROMTOOL)' });
      else resolve({ ok: error === null, output: `${stdout}${stderr}` });
    });
  });
}
