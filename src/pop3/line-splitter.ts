/**
 * Incremental line framing over bytes (after pg-protocol's parser): finds LF
 * with indexOf, hands whole lines on as views into the caller's buffer, and
 * keeps only the unfinished tail. A line longer than the limit is cut: its
 * first bytes are kept, the rest only counted, so memory stays bounded.
 */

/** Valid only during the callback: the object itself may be reused for the next line. */
export interface Line {
  /** Content without the line end; valid only during the callback. Cut to the limit when `truncated`. */
  bytes: Uint8Array;
  /** Octets of the line as sent, without its line end. */
  length: number;
  /** Ended by LF alone instead of CRLF. */
  bareLf: boolean;
  /** Longer than the limit: `bytes` holds only its start. */
  truncated: boolean;
  /** Frame that completed the line. */
  frame: number;
  /** Every frame that carried part of it (first and last of each chunk). */
  frames: number[];
}

/** A line object the splitter reuses for line after line (the callback may not keep it). */
abstract class ReusedLine implements Line {
  bytes: Uint8Array = EMPTY;
  length = 0;
  bareLf = false;
  truncated = false;
  frame = 0;
  abstract get frames(): number[];
}

/** A line within one chunk; its frame list is built only when asked for (the transcript needs it, message lines do not). */
class ChunkLine extends ReusedLine {
  firstFrame = 0;

  get frames(): number[] {
    return this.firstFrame === this.frame ? [this.frame] : [this.firstFrame, this.frame];
  }
}

/** A line that crossed a chunk end, put together in the splitter's tail. */
class HeldLine extends ReusedLine {
  /** The frames that carried its parts; `frames` adds the one that completed it. */
  parts: number[] = [];

  get frames(): number[] {
    const frames = this.parts.slice();
    if (frames[frames.length - 1] !== this.frame) addFrame(frames, this.frame);
    return frames;
  }
}

const EMPTY = new Uint8Array(0);

/** Return false from the callback to stop: push() then returns the offset of the first unread byte. */
export type LineSink = (line: Line) => boolean | void;

/**
 * Frames listed for one line at most: a line sent one byte per segment would
 * otherwise list every frame. The first ones are kept and the last slot always
 * holds the latest frame.
 */
export const MAX_LINE_FRAMES = 64;

function addFrame(frames: number[], frame: number): void {
  if (frames.length < MAX_LINE_FRAMES) frames.push(frame);
  else frames[MAX_LINE_FRAMES - 1] = frame;
}

export class LineSplitter {
  private tail: Uint8Array;
  private tailLen = 0;
  /** Octets of the unfinished line, including any cut away. */
  private pendingLength = 0;
  private pendingFrames: number[] = [];
  /**
   * Every line found whole inside one chunk is handed on in this object:
   * messages are mostly such lines, and a new object (and frame list) per
   * line was a large part of the cost of a big capture.
   */
  private readonly inChunk = new ChunkLine();
  private readonly held = new HeldLine();

  constructor(private readonly maxLineLength: number, private readonly sink: LineSink) {
    this.tail = new Uint8Array(Math.min(256, maxLineLength + 1));
  }

  /** Feeds in-order bytes. Returns how many were consumed (all, unless the sink stopped). */
  push(bytes: Uint8Array, firstFrame: number, lastFrame: number): number {
    let start = 0;
    // Buffer's indexOf (memchr) finds a line end 2 to 3 times faster than Uint8Array's.
    const scan = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    while (start < bytes.length) {
      const lf = scan.indexOf(10, start);
      if (lf < 0) {
        this.keep(bytes, start, bytes.length, firstFrame, lastFrame);
        return bytes.length;
      }
      let line: Line;
      if (this.pendingLength === 0) {
        // The whole line is in this chunk: a view, no copy, in the one reused line object.
        const bareLf = !(lf > start && bytes[lf - 1] === 13);
        const end = bareLf ? lf : lf - 1;
        const length = end - start;
        const truncated = length > this.maxLineLength;
        line = this.inChunk;
        // A view made directly costs half of what subarray() does.
        line.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset + start, (truncated ? start + this.maxLineLength : end) - start);
        line.length = length;
        line.bareLf = bareLf;
        line.truncated = truncated;
        line.frame = lastFrame;
        this.inChunk.firstFrame = firstFrame;
      } else {
        this.keep(bytes, start, lf, firstFrame, lastFrame);
        line = this.finishPending(lastFrame);
      }
      start = lf + 1;
      if (this.sink(line) === false) return start;
    }
    return bytes.length;
  }

  /** Forgets the unfinished line (after a gap its end can never be matched to its start). Returns its octets. */
  dropPartial(): number {
    const n = this.pendingLength;
    this.tailLen = 0;
    this.pendingLength = 0;
    this.pendingFrames = [];
    return n;
  }

  /** The unfinished bytes held (at most the limit), e.g. to hand on when the stream turns to TLS. */
  takeTail(): Uint8Array {
    const out = this.tail.slice(0, this.tailLen);
    this.dropPartial();
    return out;
  }

  /** Octets of an unfinished line at the end of the stream. */
  get pending(): number {
    return this.pendingLength;
  }

  /** Emits an unfinished last line (stream ended without a line end), if any. */
  flush(): Line | null {
    if (this.pendingLength === 0) return null;
    const frame = this.pendingFrames[this.pendingFrames.length - 1] ?? 0;
    const line = this.finishPending(frame, true);
    return line;
  }

  private keep(bytes: Uint8Array, from: number, to: number, firstFrame: number, lastFrame: number): void {
    const n = to - from;
    if (n === 0) return;
    this.pendingLength += n;
    const f = this.pendingFrames;
    if (f[f.length - 1] !== firstFrame) addFrame(f, firstFrame);
    if (f[f.length - 1] !== lastFrame) addFrame(f, lastFrame);
    // Keep one byte beyond the limit so a CR before the LF can still be recognised.
    const room = this.maxLineLength + 1 - this.tailLen;
    const take = Math.min(room, n);
    if (take <= 0) {
      // Past the limit: only the last byte matters (is it a CR?).
      this.tail[this.tailLen - 1] = bytes[to - 1]!;
      return;
    }
    if (this.tailLen + take > this.tail.length) {
      const grown = new Uint8Array(Math.min(this.maxLineLength + 1, Math.max(this.tail.length * 2, this.tailLen + take)));
      grown.set(this.tail.subarray(0, this.tailLen));
      this.tail = grown;
    }
    this.tail.set(bytes.subarray(from, from + take), this.tailLen);
    this.tailLen += take;
    if (take < n) this.tail[this.tailLen - 1] = bytes[to - 1]!;
  }

  private finishPending(frame: number, atEnd = false): Line {
    const endsWithCr = !atEnd && this.pendingLength > 0 && this.tail[this.tailLen - 1] === 13;
    const length = this.pendingLength - (endsWithCr ? 1 : 0);
    const truncated = length > this.maxLineLength;
    const line = this.held;
    // A view of the tail, valid during the callback like every line's bytes: the tail is
    // written again only by the next push.
    line.bytes = this.tail.subarray(0, truncated ? this.maxLineLength : length);
    line.length = length;
    line.bareLf = !endsWithCr && !atEnd;
    line.truncated = truncated;
    line.frame = frame;
    // The two frame lists change places: no list is made per line.
    const parts = line.parts;
    line.parts = this.pendingFrames;
    parts.length = 0;
    this.pendingFrames = parts;
    this.tailLen = 0;
    this.pendingLength = 0;
    return line;
  }
}
