import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { describeFsError, OutDirError } from './errors.js';
import { markerFile, readMarker, renderMarker } from './marker.js';
import { foreignEntries } from './ownership.js';
import { listFiles, writeTree } from './tree.js';

/**
 * Replace the folder `outArg` by exactly `files`, or refuse. Only a folder this CLI wrote (its
 * marker lists every file in it), an empty one, or one holding only files the build writes is
 * replaced; a file, a folder with anything else, the folder the user is in, a mount point are
 * refused. A link to a folder is followed: the link stays and the folder it points to is replaced.
 * Files are staged beside the target and swapped in by two renames, so a reader never sees half an
 * out/; a swap cut short by a kill is undone on the next run. Returns the folder written.
 */
export function replaceOutDir(outArg: string, files: ReadonlyMap<string, string>): string {
  if (outArg.trim() === '') throw new OutDirError('--out is empty: name the folder to write, e.g. --out out');
  const target = resolveTarget(outArg);
  refuseSpecialPlaces(outArg, target);
  try {
    recoverInterruptedSwap(target);
    if (existsSync(target)) assertReplaceable(outArg, target, files);
    const staged = stage(target, files);
    try {
      swapIn(staged, target);
    } finally {
      rmSync(staged, { recursive: true, force: true });
    }
  } catch (err) {
    if (err instanceof OutDirError) throw err;
    if ((err as NodeJS.ErrnoException).code) throw new OutDirError(`cannot write --out ${outArg}: ${describeFsError(err)}`);
    throw err;
  }
  return target;
}

/**
 * The real path of `outArg`: every link on the way resolved, the last part included, so that the
 * checks below compare real folders (a linked parent must not hide the folder the user is in).
 */
export function resolveTarget(outArg: string): string {
  const abs = resolve(outArg);
  let isLink = false;
  try {
    isLink = lstatSync(abs).isSymbolicLink();
  } catch {
    // Not there yet: the real path of its deepest existing ancestor, and the rest as written.
    let existing = dirname(abs);
    while (!existsSync(existing) && existing !== dirname(existing)) existing = dirname(existing);
    return join(realpathSync(existing), abs.slice(existing.length));
  }
  try {
    return realpathSync(abs);
  } catch {
    throw new OutDirError(`--out ${outArg}: ${isLink ? 'is a link to a folder that does not exist' : 'cannot be resolved'}`);
  }
}

function refuseSpecialPlaces(outArg: string, target: string): void {
  const cwd = realpathSync(process.cwd());
  if (target === dirname(target) || cwd === target || cwd.startsWith(target + sep)) {
    throw new OutDirError(`--out ${outArg}: is the folder you are in, or holds it; name a folder of its own, e.g. --out out`);
  }
  if (target === realpathSync(homedir()))
    throw new OutDirError(`--out ${outArg}: is your home folder; name a folder of its own, e.g. --out out`);
  // A folder inside one the build owns would be deleted, or block, the next build of that one.
  for (let up = dirname(target); up !== dirname(up); up = dirname(up)) {
    if (readMarker(up) !== undefined)
      throw new OutDirError(`--out ${outArg}: is inside ${up}, a folder the build wrote; name a folder outside it`);
  }
}

function assertReplaceable(outArg: string, target: string, files: ReadonlyMap<string, string>): void {
  const st = statSync(target);
  if (!st.isDirectory()) {
    throw new OutDirError(`--out ${outArg}: is a file, not a folder; the build writes a folder and replaces only one it wrote`);
  }
  if (st.dev !== statSync(dirname(target)).dev) {
    throw new OutDirError(`--out ${outArg}: is a mount point, which cannot be swapped whole; name a folder inside it`);
  }
  const foreign = foreignEntries(target, files);
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    throw new OutDirError(
      `--out ${outArg}: holds what the build did not write (${shown}); it replaces only folders it wrote. Name another folder, or move those away`,
    );
  }
}

/** Staging and retired folders sit beside the target, on its file system, so renames are atomic. */
const sideName = (target: string, kind: 'tmp' | 'old') => `${target}.${kind}-${process.pid}-${Date.now()}`;

function stage(target: string, files: ReadonlyMap<string, string>): string {
  mkdirSync(dirname(target), { recursive: true });
  const staged = sideName(target, 'tmp');
  mkdirSync(staged);
  // The marker goes first, so that a staging folder left by a kill is known as ours and removed.
  writeFileSync(join(staged, markerFile), renderMarker(files.keys()));
  writeTree(staged, files);
  return staged;
}

function swapIn(staged: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staged, target);
    return;
  }
  // An out/ from before the marker existed gets one, so that a kill after the first rename leaves
  // a retired folder that the next run recognises.
  if (readMarker(target) === undefined) writeFileSync(join(target, markerFile), renderMarker(listFiles(target)));
  const retired = sideName(target, 'old');
  renameSync(target, retired);
  try {
    renameSync(staged, target);
  } catch (err) {
    renameSync(retired, target);
    throw err;
  }
  rmSync(retired, { recursive: true, force: true });
}

/**
 * Undo what a killed build left beside `target`: restore the newest retired folder when the target
 * is gone, and remove our other staging and retired folders. Folders of a build still running, and
 * folders without our marker, are left alone.
 */
function recoverInterruptedSwap(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) return;
  const pattern = new RegExp(`^${escapeRegExp(basename(target))}\\.(tmp|old)-(\\d+)-(\\d+)$`);
  const leftovers = readdirSync(parent)
    .map((name) => ({ name, m: pattern.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
    .filter(({ m }) => !isAnotherLiveProcess(Number(m[2])))
    .map(({ name, m }) => ({ path: join(parent, name), kind: m[1], at: Number(m[3]) }))
    // Ours, and holding nothing but what its marker lists: anything else there is left alone.
    .filter((e) => readMarker(e.path) !== undefined && foreignEntries(e.path, new Map()).length === 0)
    .sort((a, b) => b.at - a.at);
  const retired = leftovers.find((e) => e.kind === 'old');
  if (retired && !existsSync(target)) renameSync(retired.path, target);
  // The restored folder is no longer at its old path, so removing it there is a no-op.
  for (const e of leftovers) rmSync(e.path, { recursive: true, force: true });
}

function isAnotherLiveProcess(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The folder `check` compares with a fresh build: one the build wrote (it has the marker), refused
 * in one line when it is empty, missing, a file, or anything else.
 */
export function builtOutDir(outArg: string): string {
  if (outArg.trim() === '') throw new OutDirError('--out is empty: name the folder the build wrote, e.g. --out out');
  const target = resolveTarget(outArg);
  let st;
  try {
    st = statSync(target);
  } catch {
    throw new OutDirError(`--out ${outArg}: does not exist; write it with metallb-mixin build --out ${outArg}`);
  }
  if (!st.isDirectory()) throw new OutDirError(`--out ${outArg}: is a file, not a folder the build wrote`);
  if (readMarker(target) === undefined) {
    throw new OutDirError(`--out ${outArg}: is not a folder metallb-mixin build wrote (it has no ${markerFile}); build it first`);
  }
  return target;
}
