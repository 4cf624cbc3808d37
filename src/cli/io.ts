/** Where the command line reads and writes: results on stdout (or --output), diagnostics on stderr. */
import { createWriteStream, statSync } from 'node:fs';
import type { Writable } from 'node:stream';

export interface Io {
  stdout: NodeJS.WriteStream | Writable;
  stderr: NodeJS.WriteStream | Writable;
  stdin: NodeJS.ReadableStream;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Results go to --output when given, else to standard output. */
export function resultStream(io: Io, output: string | undefined): Writable {
  return output ? createWriteStream(output) : (io.stdout as Writable);
}

export async function finish(out: Writable, io: Io): Promise<void> {
  if (out === io.stdout) {
    await new Promise<void>((resolve) => (out.write('', () => resolve())));
    return;
  }
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(resolve);
  });
}

/** Total size on disk of the inputs that are files (null when any is standard input). */
export function inputsSize(inputs: string[]): number | null {
  let total = 0;
  for (const i of inputs) {
    if (i === '-') return null;
    try {
      total += statSync(i).size;
    } catch {
      return null;
    }
  }
  return total;
}
