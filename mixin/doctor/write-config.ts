import { closeSync, lstatSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/errors.js';
import { loadConfigFile } from '../config/load.js';
import { writtenByDoctor, type ConfigFix } from './synthesize.js';

/** `--write-config` cannot write its file: one line naming the file and why. */
export class WriteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteConfigError';
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a file where a folder of the path should be, said below in the caller's words.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new WriteConfigError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

/** The start of a file, enough to see the doctor's header. */
function head(file: string): string {
  const buffer = Buffer.alloc(writtenByDoctor.length);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses, before anything is asked of the Prometheus, a target the doctor must not write: a
 * folder, anything but a regular file, a folder that does not exist, and a file the doctor did not
 * write itself (its first line is the doctor's header) unless `force`.
 */
export function checkWriteTarget(file: string, force: boolean): void {
  if (file.trim() === '') throw new WriteConfigError('--write-config needs a file name');
  if (extname(file) === '.json')
    throw new WriteConfigError(`--write-config writes YAML with comments, not JSON: name the file .yaml instead of ${file}`);
  const stats = lstatOrUndefined(file);
  if (stats === undefined) {
    const folder = dirname(file);
    let parent: Stats;
    try {
      parent = statSync(folder);
    } catch {
      throw new WriteConfigError(`cannot write ${file}: folder ${folder} does not exist`);
    }
    if (!parent.isDirectory()) throw new WriteConfigError(`cannot write ${file}: ${folder} is not a folder`);
    return;
  }
  if (stats.isDirectory()) throw new WriteConfigError(`cannot write ${file}: it is a folder; give the name of the file to write`);
  if (!stats.isFile()) throw new WriteConfigError(`refusing to replace ${file}: not a regular file (a symlink or a device)`);
  let first: string;
  try {
    first = head(file);
  } catch (err) {
    throw new WriteConfigError(`cannot read ${file} to see whether the doctor wrote it: ${(err as Error).message}`);
  }
  if (first !== writtenByDoctor && !force) {
    throw new WriteConfigError(
      `refusing to overwrite ${file}: it exists and was not written by metallb-mixin doctor (pass --force to replace it)`,
    );
  }
}

/**
 * Writes the fix to `file`, all or nothing: first beside it under a temporary name, read back
 * through the loader `build --config` uses, and moved into place only when it reads back as exactly
 * the config the doctor built (nothing in its comments became settings).
 */
export function writeConfigFix(file: string, fix: ConfigFix, force: boolean): void {
  checkWriteTarget(file, force);
  const temporary = join(dirname(file), `.${basename(file)}.doctor-${process.pid}.tmp`);
  try {
    try {
      writeFileSync(temporary, fix.yaml, { flag: 'wx' });
    } catch (err) {
      throw new WriteConfigError(`cannot write ${file}: ${(err as Error).message}`);
    }
    verify(temporary, file, fix);
    try {
      renameSync(temporary, file);
    } catch (err) {
      throw new WriteConfigError(`cannot write ${file}: ${(err as Error).message}`);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

function verify(temporary: string, file: string, fix: ConfigFix): void {
  const nothingWritten = `nothing written to ${file} (a bug of the doctor: please report it)`;
  let loaded: unknown;
  try {
    loaded = loadConfigFile(temporary);
  } catch (err) {
    const reason =
      err instanceof ConfigError ? err.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ') : (err as Error).message;
    throw new WriteConfigError(`the config built for ${file} does not load (${reason}): ${nothingWritten}`);
  }
  if (!isDeepStrictEqual(parseYaml(fix.yaml), fix.minimal) || !isDeepStrictEqual(loaded, fix.config)) {
    throw new WriteConfigError(`the config built for ${file} does not read back as built: ${nothingWritten}`);
  }
}
