import { spawnSync } from 'node:child_process';

/** The promtool binary: `$PROMTOOL`, else the one on PATH. */
export function promtoolPath(): string | undefined {
  const candidate = process.env['PROMTOOL'] ?? 'promtool';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : undefined;
}

export interface ToolRun {
  readonly ok: boolean;
  readonly output: string;
}

/** `promtool check rules` on the given files. */
export function checkRules(files: readonly string[], promtool = promtoolPath()): ToolRun {
  if (!promtool) return { ok: false, output: 'promtool not found (install Debian package "prometheus" or set PROMTOOL)' };
  const run = spawnSync(promtool, ['check', 'rules', ...files], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
