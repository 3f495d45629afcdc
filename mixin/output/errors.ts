/** An output folder the CLI will not or cannot write; the message is one line for the user. */
export class OutDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutDirError';
  }
}

/** A file-system failure as one line: the code and what it means, without a stack. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EBUSY: 'busy (a mount point?)',
    EXDEV: 'on another file system (a mount point?)',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a path component is not a folder',
    EISDIR: 'is a folder',
    ENOENT: 'does not exist',
  };
  return e.code ? `${reasons[e.code] ?? e.code} (${e.code})` : String(e.message ?? err);
}
