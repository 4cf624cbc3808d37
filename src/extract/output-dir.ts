/**
 * The one way extraction writes to disk: every file is created inside the
 * output directory, in a subdirectory this module made itself, with O_EXCL
 * (an existing file or symlink is never written through) unless `force`, and
 * even then only a regular file is replaced, never through a symlink. Each
 * path is checked to resolve inside the directory before it is opened.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, writeSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';

export class OutputDirError extends Error {
  override name = 'OutputDirError';
}

export class OutputDir {
  /** The directory's real path: every file written resolves below it. */
  readonly root: string;

  constructor(dir: string, private readonly force: boolean) {
    try {
      mkdirSync(dir, { recursive: true });
      this.root = realpathSync(dir);
    } catch (e) {
      throw new OutputDirError(`cannot use output directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!force && readdirSync(this.root).length > 0) {
      throw new OutputDirError(`output directory ${dir} is not empty: choose an empty one, or --force to replace files in it`);
    }
  }

  /** Makes (or reuses) a subdirectory by its name parts; refuses one that is a symlink or not a directory. */
  dir(...parts: string[]): string {
    let path = this.root;
    for (const part of parts) {
      checkName(part);
      path = join(path, part);
      let isDir = false;
      try {
        const st = lstatSync(path);
        if (!st.isDirectory()) throw new OutputDirError(`${this.show(path)} exists and is not a directory (a symlink is never followed)`);
        isDir = true;
      } catch (e) {
        if (e instanceof OutputDirError) throw e;
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw this.error('cannot inspect', path, e);
      }
      if (!isDir) {
        try {
          mkdirSync(path);
        } catch (e) {
          throw this.error('cannot create directory', path, e);
        }
      }
      this.checkInside(realpathSync(path), path);
    }
    return relative(this.root, path);
  }

  /** Creates the file `name` in the subdirectory `dir` (relative, made by dir()); returns its descriptor. */
  create(dir: string, name: string): number {
    checkName(name);
    const folder = resolve(this.root, dir);
    this.checkInside(realpathSync(folder), folder, true);
    const path = join(folder, name);
    this.checkInside(resolve(path), path);
    let flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    if (this.force) {
      try {
        const st = lstatSync(path);
        if (!st.isFile()) throw new OutputDirError(`${this.show(path)} exists and is not a regular file; it is left alone`);
        flags = constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW;
      } catch (e) {
        if (e instanceof OutputDirError) throw e;
      }
    }
    try {
      return openSync(path, flags, 0o644);
    } catch (e) {
      throw this.error('cannot create', path, e);
    }
  }

  /** Writes a whole file at once. */
  writeFile(dir: string, name: string, bytes: Uint8Array): void {
    const fd = this.create(dir, name);
    try {
      writeAll(fd, bytes, this.show(join(this.root, dir, name)));
    } finally {
      closeSync(fd);
    }
  }

  /** A path as users see it: relative to the output directory, with `/`. */
  relative(dir: string, name: string): string {
    return join(dir, name).split(sep).join('/');
  }

  private checkInside(real: string, shown: string, allowRoot = false): void {
    const rel = relative(this.root, real);
    const inside = rel === '' ? allowRoot : !rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..' && !/^[a-zA-Z]:/.test(rel);
    if (!inside) throw new OutputDirError(`${this.show(shown)} resolves outside the output directory; nothing was written there`);
  }

  private show(path: string): string {
    return relative(this.root, path) || '.';
  }

  private error(what: string, path: string, e: unknown): OutputDirError {
    return new OutputDirError(`${what} ${this.show(path)} in the output directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes every byte (writeSync may write fewer than asked). */
export function writeAll(fd: number, bytes: Uint8Array, shown: string): void {
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  } catch (e) {
    throw new OutputDirError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Names given to create() and dir() are made by safeFileName() or by this module: one component each. */
function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name !== basename(name) || /[/\\\0]/.test(name)) {
    throw new OutputDirError(`refusing the file name ${JSON.stringify(name)}: not one plain name`);
  }
}
