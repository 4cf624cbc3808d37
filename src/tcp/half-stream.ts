/**
 * One direction of a TCP connection: turns segments, in whatever order the
 * capture holds them, into an in-order byte stream with explicit gaps.
 *
 * Positions inside a half-stream are stream offsets (plain numbers that never
 * wrap, 0 = first byte after the SYN or the first byte picked up mid-stream).
 * A segment's sequence number is turned into an offset once, on arrival, with
 * a modular comparison against the next expected sequence number; everything
 * after that is ordinary arithmetic, so 32-bit wraparound is handled in one place.
 *
 * Rules:
 * - Out-of-order bytes are copied and held, sorted by offset, never overlapping.
 * - Overlaps are trimmed; the bytes seen first win. Overlapping bytes that
 *   differ from what was seen first (held, or among the last HISTORY_BYTES
 *   delivered) are a `conflicting-overlap` anomaly naming both frames.
 * - In-order bytes are handed on as views of the segment's payload, one
 *   `data` call per segment (frame attribution stays exact; no coalescing).
 * - Bytes that arrive for a position already declared a gap are a
 *   `late-retransmission` anomaly and are not delivered.
 * - Bytes at or after the FIN are a `data-after-fin` anomaly and are not delivered.
 * - Keep-alive probes (0 or 1 byte at next − 1) are ignored.
 * - Mid-stream pickup: a direction whose start was not seen (no SYN) holds its
 *   first segments until the peer sends a packet, PICKUP_SEGMENTS segments are
 *   held, or the connection ends; it then starts at the lowest sequence
 *   number held. Bytes before the start are taken as already delivered and dropped.
 */
import type { Timestamp } from '../capture/packet.js';
import { seqAdd, seqDiff } from './sequence.js';

/** Delivered bytes kept per direction to check retransmissions for conflicting content. */
export const HISTORY_BYTES = 4096;
/** Segments a mid-stream direction holds before it must choose where it starts. */
export const PICKUP_SEGMENTS = 4;
/**
 * Bookkeeping charged per held segment or hole on top of its bytes, so that a
 * flood of tiny or truncated out-of-order segments is bounded like a few large ones.
 */
export const HELD_OVERHEAD = 64;
/** An ACK claiming more than this many unseen bytes is taken as bogus, not as a gap. */
const MAX_ACK_JUMP = 2 ** 30;

/**
 * The one empty list every idle half-stream starts with: a flood of
 * handshake-only connections then costs no list of its own. Frozen, so a push
 * that forgot to take its own list fails loudly; each list is replaced by a
 * fresh one on its first entry.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

export interface HalfStreamSink {
  data(bytes: Uint8Array, frame: number, time: Timestamp): void;
  gap(offset: number, length: number, frame: number, time: Timestamp): void;
  anomaly(kind: string, frames: number[], message: string): void;
}

/** What a half-stream needs of one segment. */
export interface HalfSegment {
  seq: number;
  payload: Uint8Array;
  /** Bytes the snapshot length cut off after `payload`. */
  missing: number;
  fin: boolean;
  frame: number;
  time: Timestamp;
}

/** Held out-of-order range: captured bytes, or (bytes null) a snapshot-length hole. */
interface Held {
  offset: number;
  end: number;
  bytes: Uint8Array | null;
  frame: number;
  time: Timestamp;
}

interface Piece {
  start: number;
  end: number;
  hole: boolean;
}

export class HalfStream {
  /** Sequence number of stream offset 0 (valid once started). */
  private base = 0;
  /** Offset of the next byte to deliver: everything before it was delivered or declared a gap. */
  private next = 0;
  private startedFlag = false;
  private pending: HalfSegment[] = NONE;
  private held: Held[] = NONE;
  private heldBytes = 0;
  private finOffset: number | null = null;
  private finFrame = 0;
  /** Declared gaps as offset ranges, for spotting late retransmissions. */
  private gapRanges: Array<{ start: number; end: number }> = NONE;
  private history: Uint8Array | null = null;
  /** First offset whose bytes are in `history` (delivery start). */
  private historyFloor = 0;
  /** Where each recently delivered segment starts, with its frame. */
  private historyFrames: Array<{ offset: number; frame: number }> = NONE;
  /** Payload bytes handed to `data`. */
  delivered = 0;

  constructor(private readonly sink: HalfStreamSink, private readonly maxGapRanges = 1000) {}

  get started(): boolean {
    return this.startedFlag;
  }

  /**
   * Memory held out of order (including segments held at pickup): their bytes
   * plus HELD_OVERHEAD for each held segment or hole.
   */
  get buffered(): number {
    let n = this.heldBytes + this.held.length * HELD_OVERHEAD;
    for (const p of this.pending) n += p.payload.length + HELD_OVERHEAD;
    return n;
  }

  get finSeen(): boolean {
    return this.finOffset !== null;
  }

  /** A SYN from this direction: the stream starts right after it. */
  syn(isn: number): void {
    if (this.startedFlag) return;
    this.start(seqAdd(isn, 1));
  }

  segment(s: HalfSegment): void {
    if (!this.startedFlag) {
      // Keep a copy: the payload is a view into the reader's reusable chunk.
      if (this.pending === NONE) this.pending = [];
      this.pending.push({ ...s, payload: s.payload.slice() });
      if (this.pending.length >= PICKUP_SEGMENTS) this.pickUp();
      return;
    }
    this.place(s);
  }

  /** The other direction sent a packet: a direction waiting at pickup must now start. */
  peerSpoke(): void {
    if (!this.startedFlag && this.pending.length > 0) this.pickUp();
  }

  /** The peer acknowledged everything before `ack`: bytes up to there that were never seen are a gap. */
  acked(ack: number, frame: number, time: Timestamp): void {
    if (!this.startedFlag) return;
    let target = this.next + seqDiff(ack, this.seqAt(this.next));
    if (this.finOffset !== null) target = Math.min(target, this.finOffset);
    if (target <= this.next || target - this.next > MAX_ACK_JUMP) return;
    this.advanceTo(target, frame, time);
  }

  /**
   * Deliver the oldest held run, declaring the hole before it a gap.
   * Returns the number of bytes freed (0 when nothing was held).
   */
  flushOldest(frame: number, time: Timestamp): number {
    const before = this.buffered;
    if (!this.startedFlag) {
      if (this.pending.length === 0) return 0;
      this.pickUp();
    } else {
      const first = this.held[0];
      if (!first) return 0;
      this.advanceTo(first.offset, frame, time);
      this.drain();
    }
    return before - this.buffered;
  }

  /** The connection is ending: deliver everything held, declaring every remaining hole a gap. */
  flushAll(frame: number, time: Timestamp): void {
    if (!this.startedFlag) {
      if (this.pending.length === 0) return;
      this.pickUp();
    }
    while (this.held.length > 0) {
      this.advanceTo(this.held[0]!.offset, frame, time);
      this.drain();
    }
    if (this.finOffset !== null && this.next < this.finOffset) this.declareGap(this.finOffset, frame, time);
  }

  private start(seq: number): void {
    this.startedFlag = true;
    this.base = seq;
    const pending = this.pending;
    this.pending = NONE;
    for (const p of pending) this.place(p);
  }

  /** Choose the start among the held pickup segments: the lowest sequence number. */
  private pickUp(): void {
    let lowest = this.pending[0]!.seq;
    for (const p of this.pending) if (seqDiff(p.seq, lowest) < 0) lowest = p.seq;
    this.start(lowest);
  }

  private seqAt(offset: number): number {
    return seqAdd(this.base, offset);
  }

  private place(s: HalfSegment): void {
    const len = s.payload.length;
    const off = this.next + seqDiff(s.seq, this.seqAt(this.next));
    // The common case: the next bytes, nothing held, no FIN and nothing cut off.
    if (off === this.next && this.held.length === 0 && !s.fin && s.missing === 0 && this.finOffset === null) {
      if (len > 0) this.deliver(s.payload, s.frame, s.time);
      return;
    }
    if (!s.fin && s.missing === 0) {
      if (len === 0) return; // a pure ACK, window update or zero-length probe
      if (len === 1 && off === this.next - 1) return; // keep-alive probe with one garbage byte
    }
    let end = off + len;
    let holeEnd = end + s.missing;
    if (s.fin) this.fin(holeEnd, s.frame);
    if (this.finOffset !== null && holeEnd > this.finOffset) {
      if (end > this.finOffset && end > Math.max(off, this.finOffset)) {
        this.sink.anomaly(
          'data-after-fin',
          [this.finFrame, s.frame],
          `${end - Math.max(off, this.finOffset)} bytes sent after the FIN (frame ${this.finFrame}) were not delivered`,
        );
      }
      holeEnd = this.finOffset;
      end = Math.min(end, this.finOffset);
    }
    if (holeEnd <= off) return;

    // Bytes before `next` were already delivered or declared a gap.
    if (off < this.next) this.checkOld(s, off, Math.min(end, this.next));
    const from = Math.max(off, this.next);
    if (from >= holeEnd) return;

    const pieces = this.uncovered(s, off, from, end, holeEnd);
    for (const p of pieces) {
      if (p.start === this.next) {
        if (p.hole) this.declareGap(p.end, s.frame, s.time);
        else this.deliver(s.payload.subarray(p.start - off, p.end - off), s.frame, s.time);
        this.drain();
      } else {
        this.hold({
          offset: p.start,
          end: p.end,
          bytes: p.hole ? null : s.payload.slice(p.start - off, p.end - off),
          frame: s.frame,
          time: s.time,
        });
      }
    }
  }

  private fin(offset: number, frame: number): void {
    if (this.finOffset !== null) return; // a retransmitted FIN; the first one stands
    // A FIN behind bytes already delivered cannot take them back.
    offset = Math.max(offset, this.next);
    this.finOffset = offset;
    this.finFrame = frame;
    // Held bytes beyond the FIN will never be delivered.
    while (this.held.length > 0) {
      const last = this.held[this.held.length - 1]!;
      if (last.end <= offset) break;
      if (last.bytes) {
        const cut = Math.max(last.offset, offset);
        this.sink.anomaly(
          'data-after-fin',
          [frame, last.frame],
          `${last.end - cut} bytes sent after the FIN (frame ${frame}) were not delivered`,
        );
      }
      if (last.offset >= offset) {
        this.held.pop();
        this.heldBytes -= last.bytes ? last.bytes.length : 0;
      } else {
        if (last.bytes) {
          this.heldBytes -= last.end - offset;
          last.bytes = last.bytes.subarray(0, offset - last.offset);
        }
        last.end = offset;
      }
    }
  }

  /** Bytes [from, to) of `s` fall where the stream has already passed. */
  private checkOld(s: HalfSegment, off: number, to: number): void {
    if (to <= off) return;
    for (let i = this.gapRanges.length - 1; i >= 0; i--) {
      const g = this.gapRanges[i]!;
      if (g.end <= off) break;
      if (g.start < to) {
        this.sink.anomaly(
          'late-retransmission',
          [s.frame],
          `bytes at stream offset ${Math.max(off, g.start)} arrived after they were declared missing; not delivered`,
        );
        return;
      }
    }
    const history = this.history;
    if (!history) return;
    const from = Math.max(off, this.historyFloor, this.next - HISTORY_BYTES);
    for (let x = from; x < to; x++) {
      if (history[x % HISTORY_BYTES] !== s.payload[x - off]) {
        this.sink.anomaly(
          'conflicting-overlap',
          [this.historyFrame(x), s.frame],
          `retransmitted bytes at stream offset ${x} differ from those delivered first`,
        );
        return;
      }
    }
  }

  private historyFrame(offset: number): number {
    let frame = 0;
    for (const h of this.historyFrames) {
      if (h.offset > offset) break;
      frame = h.frame;
    }
    return frame;
  }

  /**
   * Split [from, holeEnd) of `s` into the pieces no held range covers, comparing
   * the covered bytes with the held ones on the way.
   */
  private uncovered(s: HalfSegment, off: number, from: number, end: number, holeEnd: number): Piece[] {
    const pieces: Piece[] = [];
    const emit = (a: number, b: number): void => {
      if (a < end) pieces.push({ start: a, end: Math.min(b, end), hole: false });
      if (b > end) pieces.push({ start: Math.max(a, end), end: b, hole: true });
    };
    let cursor = from;
    let conflictReported = false;
    for (let i = this.firstHeldEndingAfter(from); i < this.held.length && cursor < holeEnd; i++) {
      const h = this.held[i]!;
      if (h.offset >= holeEnd) break;
      if (h.offset > cursor) emit(cursor, h.offset);
      const a = Math.max(cursor, h.offset);
      const b = Math.min(holeEnd, h.end, end);
      if (h.bytes && !conflictReported) {
        for (let x = a; x < b; x++) {
          if (h.bytes[x - h.offset] !== s.payload[x - off]) {
            this.sink.anomaly(
              'conflicting-overlap',
              [h.frame, s.frame],
              `bytes at stream offset ${x} differ from those seen first (frame ${h.frame}); the first ones are kept`,
            );
            conflictReported = true;
            break;
          }
        }
      }
      cursor = Math.max(cursor, h.end);
    }
    if (cursor < holeEnd) emit(cursor, holeEnd);
    return pieces;
  }

  private firstHeldEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.held.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.held[mid]!.end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private hold(h: Held): void {
    const i = this.firstHeldEndingAfter(h.offset);
    if (this.held === NONE) this.held = [];
    this.held.splice(i, 0, h);
    if (h.bytes) this.heldBytes += h.bytes.length;
  }

  /** Deliver held ranges that now start at `next`. */
  private drain(): void {
    while (this.held.length > 0 && this.held[0]!.offset === this.next) {
      const h = this.held.shift()!;
      if (h.bytes) {
        this.heldBytes -= h.bytes.length;
        this.deliver(h.bytes, h.frame, h.time);
      } else {
        this.declareGap(h.end, h.frame, h.time);
      }
    }
  }

  /** Move `next` forward to `target`, delivering held bytes and declaring the holes between them. */
  private advanceTo(target: number, frame: number, time: Timestamp): void {
    while (this.next < target) {
      const first = this.held[0];
      if (first && first.offset <= this.next) {
        this.drain();
        continue;
      }
      this.declareGap(Math.min(first ? first.offset : target, target), frame, time);
    }
  }

  private declareGap(to: number, frame: number, time: Timestamp): void {
    const from = this.next;
    if (to <= from) return;
    this.next = to;
    const last = this.gapRanges[this.gapRanges.length - 1];
    if (last && last.end === from) last.end = to;
    else if (this.gapRanges.length < this.maxGapRanges) {
      if (this.gapRanges === NONE) this.gapRanges = [];
      this.gapRanges.push({ start: from, end: to });
    }
    this.sink.gap(from, to - from, frame, time);
  }

  private deliver(bytes: Uint8Array, frame: number, time: Timestamp): void {
    const at = this.next;
    this.next += bytes.length;
    this.delivered += bytes.length;
    this.remember(at, bytes, frame);
    this.sink.data(bytes, frame, time);
  }

  /** Keep the last HISTORY_BYTES delivered, to compare retransmissions against. */
  private remember(at: number, bytes: Uint8Array, frame: number): void {
    if (!this.history) {
      this.history = new Uint8Array(HISTORY_BYTES);
      this.historyFloor = at;
      this.historyFrames = [];
    }
    const keep = Math.min(bytes.length, HISTORY_BYTES);
    const pos = (at + bytes.length - keep) % HISTORY_BYTES;
    const first = Math.min(keep, HISTORY_BYTES - pos);
    if (keep === bytes.length && first === keep) {
      // The usual case, a segment that fits before the ring wraps: no views needed.
      this.history.set(bytes, pos);
    } else {
      const tail = bytes.subarray(bytes.length - keep);
      this.history.set(tail.subarray(0, first), pos);
      if (first < keep) this.history.set(tail.subarray(first), 0);
    }
    this.historyFrames.push({ offset: at, frame });
    const oldest = this.next - HISTORY_BYTES;
    while (this.historyFrames.length > 1 && this.historyFrames[1]!.offset <= oldest) this.historyFrames.shift();
  }
}
