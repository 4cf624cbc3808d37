/**
 * Key logs from files, read line by line (a long-running client's key log can
 * be large; only the secrets are kept), or given as text by a library caller,
 * or carried in a pcapng Decryption Secrets Block.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { KeyLogReader, type KeyLogStore } from './key-log.js';

/** pcapng Decryption Secrets Block type for an NSS key log ("TLSK"). */
export const DSB_TLS_KEY_LOG = 0x544c534b;

/** A key log file that cannot be read; `code` is the system error code. */
export class KeyLogInputError extends Error {
  constructor(readonly path: string, readonly code: string, reason: string) {
    super(`cannot read key log '${path}': ${reason}`);
    this.name = 'KeyLogInputError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a key log file',
  EACCES: 'permission denied',
};

/** Reads a key log file into the store; returns the warning about its bad lines, if any. */
export async function readKeyLogFile(path: string, store: KeyLogStore): Promise<string | null> {
  const reader = new KeyLogReader(store, path);
  const stream = createReadStream(path, { encoding: 'latin1' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) reader.line(line);
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'EIO';
    throw new KeyLogInputError(path, code, REASONS[code] ?? (err instanceof Error ? err.message : String(err)));
  } finally {
    stream.destroy();
  }
  return reader.warning();
}

/** Reads key log text (a library caller's string, or a Decryption Secrets Block) into the store. */
export function readKeyLogText(text: string, source: string, store: KeyLogStore): string | null {
  const reader = new KeyLogReader(store, source);
  reader.text(text);
  return reader.warning();
}

/** A library caller's key log argument: text when it holds a line break or starts like a key log, otherwise a path. */
export function isKeyLogText(value: string): boolean {
  return value.includes('\n') || /^\s*(#|[A-Z_0-9]+ [0-9a-fA-F]{64} )/.test(value);
}
