/**
 * What a connection carried while detection was deciding: its data (copied)
 * and gaps, in arrival order, so the dissector can be given them as if it had
 * been there from the first byte.
 */
import type { Timestamp } from '../capture/packet.js';
import type { Direction, StreamHandler } from '../tcp/stream.js';

type Held =
  | { dir: Direction; bytes: Uint8Array; firstFrame: number; lastFrame: number; time: Timestamp }
  | { dir: Direction; gap: number; frame: number; time: Timestamp };

export class HeldStream {
  private items: Held[] = [];
  /** Bytes of data held. */
  bytes = 0;

  data(dir: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, time: Timestamp): void {
    this.items.push({ dir, bytes: bytes.slice(), firstFrame, lastFrame, time });
    this.bytes += bytes.length;
  }

  gap(dir: Direction, length: number, frame: number, time: Timestamp): void {
    this.items.push({ dir, gap: length, frame, time });
  }

  /** Hands everything held to `target`, in order, and lets it go. */
  replay(target: StreamHandler): void {
    const items = this.items;
    this.clear();
    for (const h of items) {
      if ('gap' in h) target.gap(h.dir, h.gap, h.frame, h.time);
      else target.data(h.dir, h.bytes, h.firstFrame, h.lastFrame, h.time);
    }
  }

  clear(): void {
    this.items = [];
    this.bytes = 0;
  }
}
