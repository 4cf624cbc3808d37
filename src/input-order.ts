/**
 * Several inputs are one capture in time order (rotated `tcpdump -C`/`-G` files):
 * order them by the time of their first packet, whatever order the shell gave.
 */
import { readCapture } from './capture/input.js';
import type { Packet } from './capture/packet.js';
import type { Input } from './analyze.js';

const PEEK_BYTES = 1 << 20;

export async function orderInputs(inputs: Input[]): Promise<Input[]> {
  if (inputs.length < 2 || inputs.some((i) => typeof i !== 'string' || i === '-')) return inputs;
  // One peek at a time: each holds read and inflate buffers, so many inputs at once would multiply them.
  const keyed: { path: Input; index: number; t: bigint | number }[] = [];
  for (const [index, path] of inputs.entries()) keyed.push({ path, index, t: await firstPacketTime(path as string) });
  keyed.sort((a, b) => (a.t === b.t ? a.index - b.index : a.t < b.t ? -1 : 1));
  return keyed.map((k) => k.path);
}

/**
 * Time of the first packet in nanoseconds, or +Infinity when it cannot be read (the real read reports why).
 * The peek reads through `readCapture`, so a gzip input is inflated by the one bounded path, and stops
 * at the first packet or after PEEK_BYTES, whichever comes first.
 */
async function firstPacketTime(path: string): Promise<bigint | number> {
  let first: bigint | number = Number.POSITIVE_INFINITY;
  const sink = {
    packet(p: Packet): void {
      if (first === Number.POSITIVE_INFINITY) first = BigInt(p.sec) * 1_000_000_000n + BigInt(p.nsec);
    },
  };
  try {
    await readCapture(path, sink, {
      // Small blocks: the first packet header is all that is wanted, and a file reads one block ahead.
      blockSize: 64 * 1024,
      maxInflatedBytes: PEEK_BYTES,
      stopWhen: (handed) => first !== Number.POSITIVE_INFINITY || handed >= PEEK_BYTES,
    });
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return first;
}
