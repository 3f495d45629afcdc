import { closeSync, openSync, readSync } from 'node:fs';

/** Larger than any real config by far; a bound so `--config /dev/zero` cannot exhaust memory. */
export const configBytesMax = 1024 * 1024;

/**
 * The text of `file`, read at most `limit` bytes: a device, a pipe or a huge file yields an error
 * message instead of being read whole.
 */
export function readBounded(file: string, limit = configBytesMax): { text: string } | { error: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    return { error: `cannot read file: ${(err as Error).message}` };
  }
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length <= limit) {
      const n = readSync(fd, buffer, length, limit + 1 - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return { error: `larger than ${limit / 1024 / 1024} MiB: not a config file` };
    return { text: buffer.toString('utf8', 0, length) };
  } catch (err) {
    return { error: `cannot read file: ${(err as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
