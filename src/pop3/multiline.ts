/**
 * Multi-line data after a `+OK` (RFC 1939 §3): it ends only at a line that is
 * exactly `.`; a line starting with `.` has that dot removed (dot-stuffing).
 * Sizes are counted after unstuffing, with CRLF line ends. For messages, the
 * header block is kept (bounded) and From/To/Subject/Date/Message-ID read from it.
 */
import { detached } from '../kept-string.js';
import type { MessageHeaders, MultilineData } from '../model.js';
import type { Line } from './line-splitter.js';
import { decodeText } from './line-text.js';
import { decodeHeaderWords } from './header-words.js';
import type { MessageDataWriter } from './message-data.js';

/** `message`: RETR/TOP; `items`: CAPA, LIST, UIDL, AUTH and LANG listings. */
export type DataKind = 'message' | 'items';

export interface MultilineLimits {
  maxHeaderBytes: number;
  maxItems: number;
  /** Keep the unstuffed text up to this many octets; 0 keeps none. */
  maxBodyBytes: number;
}

export class MultilineCollector {
  octets = 0;
  lines = 0;
  complete = false;
  /** A capture gap fell inside the data: sizes are lower bounds. */
  gapped = false;
  /** Lines ended by LF alone. */
  bareLf = 0;
  readonly items: string[] = [];
  itemsDropped = 0;
  /** The message header block was longer than maxHeaderBytes: headers past the cap were not parsed. */
  headersCut = false;
  lastFrame: number;

  private inHeaders: boolean;
  private headerChunks: Uint8Array[] = [];
  private headerBytes = 0;
  private headers: MessageHeaders | undefined;
  private bodyChunks: Uint8Array[] = [];
  private bodyBytes = 0;

  /** Receives the unstuffed bytes of a message (extraction); null keeps the fast path free of copies. */
  private readonly writer: MessageDataWriter | null;

  constructor(readonly kind: DataKind, private readonly limits: MultilineLimits, readonly firstFrame: number, writer: MessageDataWriter | null = null) {
    this.writer = writer;
    this.inHeaders = kind === 'message';
    this.lastFrame = firstFrame;
  }

  /** Is this line the terminator (exactly `.`)? */
  static isTerminator(line: Line): boolean {
    return line.length === 1 && line.bytes[0] === 0x2e;
  }

  /** One line of data (not the terminator); `unterminated`: the stream ended inside it, with no line end. */
  line(line: Line, unterminated = false): void {
    this.lastFrame = line.frame;
    if (line.bareLf) this.bareLf++;
    const stuffed = line.bytes.length > 0 && line.bytes[0] === 0x2e;
    const content = stuffed ? line.bytes.subarray(1) : line.bytes;
    const length = line.length - (stuffed ? 1 : 0);
    this.octets += length + 2;
    this.lines++;
    if (this.writer) this.writeLine(line, content, unterminated);
    if (this.kind === 'items') {
      if (this.items.length < this.limits.maxItems) this.items.push(decodeText(content));
      else this.itemsDropped++;
    } else if (this.inHeaders) {
      if (length === 0) this.endHeaders();
      else if (this.headerBytes + content.length + 2 <= this.limits.maxHeaderBytes) {
        this.headerChunks.push(content.slice(), CRLF);
        this.headerBytes += content.length + 2;
      } else {
        this.headersCut = true;
        this.endHeaders();
      }
    }
    if (this.limits.maxBodyBytes > 0 && this.bodyBytes < this.limits.maxBodyBytes) this.keepBody(content);
  }

  /** Past the message headers: what is left is counting, which bodyRun() does without a line object per line. */
  get inBody(): boolean {
    return this.kind === 'message' && !this.inHeaders;
  }

  /**
   * Whole body lines of one chunk in bulk, the same sizes and counts line() gives.
   * Reads complete lines from `from` and stops before the terminator line (left
   * for the line path, which ends the data) or before an unfinished last line.
   * Returns where it stopped and how many lines were longer than `maxLineLength`
   * (the line path keeps only their first octets).
   */
  bodyRun(bytes: Uint8Array, from: number, frame: number, maxLineLength: number): { end: number; tooLong: number } {
    // Buffer's indexOf (memchr) is far faster than a loop over the bytes.
    const scan = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const keep = this.limits.maxBodyBytes;
    let start = from;
    let lines = 0;
    let bareLf = 0;
    let stuffed = 0;
    let tooLong = 0;
    const writer = this.writer;
    let unwritten = from;
    for (;;) {
      const lf = scan.indexOf(10, start);
      if (lf < 0) break;
      const cr = lf > start && bytes[lf - 1] === 13;
      const end = cr ? lf - 1 : lf;
      const dot = bytes[start] === 0x2e && end > start;
      if (dot && end === start + 1) break; // exactly "." : the terminator
      lines++;
      if (!cr) bareLf++;
      if (dot) {
        stuffed++;
        if (writer) {
          // Everything up to this line, then the line without its stuffed dot.
          if (start > unwritten) writer.write(bytes.subarray(unwritten, start));
          unwritten = start + 1;
        }
      }
      if (end - start > maxLineLength) {
        tooLong++;
        if (writer) {
          // Cut where the line path cuts (the splitter keeps the first maxLineLength octets),
          // so what a writer gets does not depend on where the segments ended.
          const cut = start + maxLineLength;
          if (cut > unwritten) writer.write(bytes.subarray(unwritten, cut));
          writer.lost(end - cut, 'line-too-long');
          unwritten = end;
        }
      }
      if (keep > 0 && this.bodyBytes < keep) {
        const kept = Math.min(end, start + maxLineLength);
        this.keepBody(bytes.subarray(dot ? start + 1 : start, kept));
      }
      start = lf + 1;
    }
    if (writer && start > unwritten) writer.write(bytes.subarray(unwritten, start));
    if (lines > 0) {
      // Per line: its octets without the line end, less a stuffed dot, plus CRLF.
      this.octets += start - from + bareLf - stuffed;
      this.lines += lines;
      this.bareLf += bareLf;
      this.lastFrame = frame;
    }
    return { end: start, tooLong };
  }

  finish(complete: boolean, frame?: number): void {
    this.complete = complete;
    if (frame !== undefined) this.lastFrame = frame;
    if (this.inHeaders) this.endHeaders();
  }

  get messageHeaders(): MessageHeaders | undefined {
    return this.headers;
  }

  result(frameLabel: (f: number) => number | string): MultilineData {
    const out: MultilineData = {
      octets: this.octets, lines: this.lines, complete: this.complete,
      firstFrame: frameLabel(this.firstFrame), lastFrame: frameLabel(this.lastFrame),
    };
    if (this.headers) out.headers = this.headers;
    if (this.kind === 'items') out.lineItems = this.items;
    if (this.limits.maxBodyBytes > 0) out.body = decodeText(Buffer.concat(this.bodyChunks));
    return out;
  }

  /** A line as the server sent it, less the stuffed dot: its line end as sent, none at the stream's end. */
  private writeLine(line: Line, content: Uint8Array, unterminated: boolean): void {
    const writer = this.writer!;
    writer.write(content);
    if (line.truncated) writer.lost(line.length - line.bytes.length, 'line-too-long');
    if (!unterminated) writer.write(line.bareLf ? LF : CRLF);
  }

  private keepBody(content: Uint8Array): void {
    const room = this.limits.maxBodyBytes - this.bodyBytes;
    const piece = content.subarray(0, room);
    this.bodyChunks.push(piece.slice());
    this.bodyBytes += piece.length;
    if (this.bodyBytes + 2 <= this.limits.maxBodyBytes) {
      this.bodyChunks.push(CRLF);
      this.bodyBytes += 2;
    }
  }

  private endHeaders(): void {
    this.inHeaders = false;
    this.headers = parseHeaders(decodeText(Buffer.concat(this.headerChunks)));
    this.headerChunks = [];
  }
}

const CRLF = Uint8Array.of(13, 10);
const LF = Uint8Array.of(10);

const WANTED: Record<string, keyof MessageHeaders> = {
  from: 'from', to: 'to', subject: 'subject', date: 'date', 'message-id': 'messageId',
};

/**
 * RFC 5322 header block → the selected fields (first occurrence, unfolded, RFC 2047
 * decoded by `decodeHeaderWords`, as `extract` decodes them).
 */
export function parseHeaders(block: string): MessageHeaders {
  const out: MessageHeaders = {};
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = WANTED[line.slice(0, colon).trim().toLowerCase()];
    // Kept for the report: a copy, or the value would keep the whole header block alive.
    if (key && out[key] === undefined) out[key] = detached(decodeHeaderWords(line.slice(colon + 1).trim()));
  }
  return out;
}
