/**
 * Several inputs are one capture in time order (rotated `tcpdump -C`/`-G` files):
 * order them by the time of their first packet, whatever order the shell gave.
 */
import { open } from 'node:fs/promises';
import { inflateRawSync, gunzipSync, constants } from 'node:zlib';
import { CaptureReader } from './capture/reader.js';
import type { Input } from './analyze.js';

const PEEK_BYTES = 1 << 20;

export async function orderInputs(inputs: Input[]): Promise<Input[]> {
  if (inputs.length < 2 || inputs.some((i) => typeof i !== 'string' || i === '-')) return inputs;
  const keyed = await Promise.all(inputs.map(async (path, index) => ({ path, index, t: await firstPacketTime(path as string) })));
  keyed.sort((a, b) => (a.t === b.t ? a.index - b.index : a.t < b.t ? -1 : 1));
  return keyed.map((k) => k.path);
}

/** Time of the first packet in nanoseconds, or +Infinity when it cannot be read (the real read reports why). */
async function firstPacketTime(path: string): Promise<bigint | number> {
  let head: Uint8Array;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(PEEK_BYTES);
      const { bytesRead } = await fh.read(buf, 0, PEEK_BYTES, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) head = inflatePrefix(head);
  let first: bigint | number = Number.POSITIVE_INFINITY;
  const reader = new CaptureReader({
    packet(p) {
      if (first === Number.POSITIVE_INFINITY) first = BigInt(p.sec) * 1_000_000_000n + BigInt(p.nsec);
    },
  });
  reader.push(head);
  return first;
}

/** Inflates as much of a gzip prefix as the bytes allow. */
function inflatePrefix(gz: Uint8Array): Uint8Array {
  try {
    return gunzipSync(gz, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    try {
      return inflateRawSync(gz.subarray(10), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return new Uint8Array(0);
    }
  }
}
