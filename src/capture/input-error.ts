/**
 * An input that cannot be read at all (missing, a directory, no permission,
 * an I/O error). Its message is one line naming the path and the reason, fit
 * for a CLI to print as is; `code` is the system error code (`ENOENT`,
 * `EISDIR`, `EACCES`, …) for callers that decide by it.
 */
export class CaptureInputError extends Error {
  constructor(readonly path: string, readonly code: string, reason: string) {
    super(`cannot read ${path === '-' ? 'standard input' : `'${path}'`}: ${reason}`);
    this.name = 'CaptureInputError';
  }

  /** Wraps a Node.js system error (or anything thrown) for `path`. */
  static from(path: string, err: unknown): CaptureInputError {
    const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'EIO';
    return new CaptureInputError(path, code, REASONS[code] ?? (err instanceof Error ? err.message : String(err)));
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a capture file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
};
