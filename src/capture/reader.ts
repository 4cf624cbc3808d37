/**
 * The one record walker: push large chunks of a capture (1 MiB or more) into
 * a CaptureReader and it calls `sink.packet()` synchronously for every record,
 * in file order. Records are parsed in place: `packet.data` is a `subarray`
 * view of the chunk, and only the unfinished record at the end of a chunk is
 * copied (into a tail buffer no larger than the largest record allowed).
 *
 * One Packet object is reused for every record, so reading allocates nothing
 * per packet but the view: a sink must copy whatever it keeps (`data`
 * included) before returning.
 *
 * Bad input never throws: it becomes a CaptureWarning, and a fatal one stops
 * the reader (later pushes are ignored) while everything before it stays
 * delivered.
 */
import { describeContent } from './file-signature.js';
import { findCaptureHeader, HEADER_SEARCH_NEED, HEADER_SEARCH_WINDOW } from './header-search.js';
import { linkTypeName } from './link-types.js';
import type { CaptureFormat, CaptureInfo, CaptureWarning, Packet, PacketSink, TimestampPrecision } from './packet.js';
import { PcapWalker, pcapVariant } from './pcap-walker.js';
import { PcapngWalker, isPcapngStart } from './pcapng-walker.js';
import type { RecordWalker, WalkerContext } from './record-walker.js';
import { formatTimestamp, MAX_RFC3339_SEC, MIN_RFC3339_SEC, precisionOf, type TimestampResolution } from './timestamp.js';
import { WarningLog } from './warning-log.js';

export interface CaptureReaderOptions {
  /** Largest captured length a record may claim; more means the length field is damaged (fatal). Default 262144, libpcap's maximum snapshot length. */
  maxRecordLength?: number;
  /** Largest pcapng block other than a packet block (name resolution, secrets, custom). Default 16 MiB. */
  maxBlockLength?: number;
  /** How many warnings of one code are listed before the rest are only counted. Default 20. */
  warningsPerCode?: number;
  /** Told the timestamp precision as soon as the header says it, so times can print at it while reading. */
  onPrecision?: (precision: TimestampPrecision) => void;
}

export const DEFAULT_MAX_RECORD_LENGTH = 262_144;
export const DEFAULT_MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

/** Bytes needed to tell the format apart. */
const MAGIC_LENGTH = 4;

export class CaptureReader implements WalkerContext {
  readonly packet: Packet = { frame: 0, sec: 0, nsec: 0, linkType: 0, data: new Uint8Array(0), origLen: 0, offset: 0 };
  need = MAGIC_LENGTH;
  frame = 0;
  stopped = false;
  readonly maxRecordLength: number;
  readonly maxBlockLength: number;

  format: CaptureFormat | null = null;
  timestampPrecision: TimestampPrecision | null = null;
  /** Link type names in order of first appearance. */
  readonly linkTypes: string[] = [];
  /** Packets handed to the sink. */
  packets = 0;
  /** Bytes pushed so far. */
  bytes = 0;
  readonly skipped: Record<string, number> = {};

  private readonly log: WarningLog;
  private readonly onPrecision?: (precision: TimestampPrecision) => void;
  private walker: RecordWalker | null = null;
  private ended = false;
  /** Input offset of the first byte of the next chunk. */
  private chunkBase = 0;
  private tail = new Uint8Array(0);
  private tailView = new DataView(this.tail.buffer);
  private tailLength = 0;
  /** Input offset of tail[0]. */
  private tailBase = 0;
  private firstSec = 0;
  private firstNsec = 0;
  private lastSec = 0;
  private lastNsec = 0;

  constructor(private readonly sink: PacketSink, options: CaptureReaderOptions = {}) {
    this.maxRecordLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
    this.maxBlockLength = options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH;
    this.log = new WarningLog(options.warningsPerCode ?? 20);
    this.onPrecision = options.onPrecision;
  }

  /** Parses every whole record in `chunk`. The chunk may be reused by the caller once this returns. */
  push(chunk: Uint8Array): void {
    if (this.stopped || this.ended || chunk.length === 0) return;
    // Packet data must be a plain Uint8Array view: on a Buffer, slice() makes another view, not a
    // copy, and every layer that keeps bytes past the callback copies them with slice().
    if (Buffer.isBuffer(chunk)) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.bytes += chunk.length;
    let start = 0;
    // First finish the record left over from the previous chunk, copying only its bytes.
    while (this.tailLength > 0) {
      const take = Math.min(this.need - this.tailLength, chunk.length - start);
      this.growTail(this.need);
      this.tail.set(chunk.subarray(start, start + take), this.tailLength);
      this.tailLength += take;
      start += take;
      if (this.tailLength < this.need) {
        this.chunkBase += chunk.length;
        return;
      }
      const used = this.walk(this.tail, this.tailView, 0, this.tailLength, this.tailBase);
      if (this.stopped) return;
      if (used === this.tailLength) {
        this.tailLength = 0;
      } else if (used === 0 && this.need <= this.tailLength) {
        // A walker that neither advances nor asks for more would loop forever.
        this.stop({ code: 'internal-error', message: 'the record walker made no progress', offset: this.tailBase });
        return;
      } else if (used > 0) {
        this.tail.copyWithin(0, used, this.tailLength);
        this.tailLength -= used;
        this.tailBase += used;
      }
    }
    if (start < chunk.length) {
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const pos = this.walk(chunk, view, start, chunk.length, this.chunkBase);
      if (!this.stopped && pos < chunk.length) {
        const rest = chunk.length - pos;
        this.growTail(Math.max(this.need, rest));
        this.tail.set(chunk.subarray(pos), 0);
        this.tailLength = rest;
        this.tailBase = this.chunkBase + pos;
      }
    }
    this.chunkBase += chunk.length;
  }

  /** Signals the end of input: reports an empty input or a record cut short. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped) return;
    if (this.bytes === 0) {
      this.stop({ code: 'empty-input', message: 'the input is empty', offset: 0 });
      return;
    }
    if (this.tailLength === 0) return;
    if (!this.walker) {
      // Less than the search window arrived: look for a late header in what there is.
      const used = this.walk(this.tail, this.tailView, 0, this.tailLength, this.tailBase, true);
      const walker = this.walker as RecordWalker | null;
      if (this.stopped || walker === null) return;
      if (used < this.tailLength) this.log.add(walker.truncated(this.tail, this.tailView, used, this.tailLength, this.tailBase), true);
      return;
    }
    const warning = this.walker.truncated(this.tail, this.tailView, 0, this.tailLength, this.tailBase);
    this.log.add(warning, true);
    if (warning.fatal) this.stopped = true;
  }

  /** Adds a warning found outside the records (the input layer's gzip problems). */
  warn(warning: CaptureWarning, damaging = false): void {
    this.log.add(warning, damaging);
    if (warning.fatal) this.stopped = true;
  }

  stop(warning: Omit<CaptureWarning, 'fatal'>): void {
    this.log.add({ ...warning, fatal: true }, true);
    this.stopped = true;
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  secrets(type: number, data: Uint8Array): void {
    this.sink.secrets?.(type, data.slice());
  }

  interfaceDefined(linkType: number, resolution: TimestampResolution): void {
    const name = linkTypeName(linkType);
    if (!this.linkTypes.includes(name)) this.linkTypes.push(name);
    if (this.timestampPrecision === null) {
      this.timestampPrecision = precisionOf(resolution);
      this.onPrecision?.(this.timestampPrecision);
    }
  }

  private timeRangeWarned = false;

  deliver(): void {
    this.account();
    this.sink.packet(this.packet);
  }

  dismissed(buf: Uint8Array, start: number, length: number): boolean {
    if (this.sink.dismiss === undefined || !this.sink.dismiss(this.packet, buf, start, length)) return false;
    this.account();
    return true;
  }

  /** Counts the record in `packet` as read: its time joins the capture's first and last. */
  private account(): void {
    const p = this.packet;
    if (this.packets === 0) {
      this.firstSec = this.lastSec = p.sec;
      this.firstNsec = this.lastNsec = p.nsec;
    } else if (p.sec < this.firstSec || (p.sec === this.firstSec && p.nsec < this.firstNsec)) {
      this.firstSec = p.sec;
      this.firstNsec = p.nsec;
    } else if (p.sec > this.lastSec || (p.sec === this.lastSec && p.nsec > this.lastNsec)) {
      this.lastSec = p.sec;
      this.lastNsec = p.nsec;
    }
    this.packets += 1;
    if ((p.sec > MAX_RFC3339_SEC || p.sec < MIN_RFC3339_SEC) && !this.timeRangeWarned) {
      this.timeRangeWarned = true;
      this.warn({
        code: 'timestamp-out-of-range',
        message: `frame ${p.frame} has a timestamp outside the years 0000-9999 (${p.sec} s since 1970): the record or its interface's time resolution or offset is damaged; such times are shown clamped`,
        offset: p.offset,
        frame: p.frame,
      }, true);
    }
  }

  get damaged(): boolean {
    return this.log.damaged;
  }

  get warnings(): CaptureWarning[] {
    return this.log.finished();
  }

  /**
   * What was learned about the input. `first` and `last` are the earliest and
   * latest packet times (as capinfos reports them), which differ from the
   * first and last records' times when a capture is out of order.
   */
  info(path: string, compression: 'gzip' | null = null): CaptureInfo {
    const precision = this.timestampPrecision ?? 'us';
    return {
      path,
      format: this.format,
      compression,
      timestampPrecision: this.timestampPrecision,
      linkTypes: this.linkTypes.slice(),
      packets: this.packets,
      first: this.packets === 0 ? null : formatTimestamp(this.firstSec, this.firstNsec, precision),
      last: this.packets === 0 ? null : formatTimestamp(this.lastSec, this.lastNsec, precision),
      bytes: this.bytes,
      skipped: { ...this.skipped },
      warnings: this.warnings,
      damaged: this.damaged,
    };
  }

  private walk(buf: Uint8Array, view: DataView, pos: number, end: number, base: number, atEnd = false): number {
    if (!this.walker) {
      if (end - pos < MAGIC_LENGTH && !atEnd) {
        this.need = MAGIC_LENGTH;
        return pos;
      }
      if (!this.startWalker(buf, pos, end)) {
        // Not at the start: gather the search window, then look for a late header.
        if (end - pos < HEADER_SEARCH_NEED && !atEnd) {
          this.need = HEADER_SEARCH_NEED;
          return pos;
        }
        const found = findCaptureHeader(buf.subarray(pos, end), this);
        if (found < 0) {
          this.notACapture(buf.subarray(pos, end), atEnd);
          return pos;
        }
        this.startWalker(buf, pos + found, end);
        this.log.add({
          code: 'leading-garbage',
          message: `${base + pos + found === 1 ? '1 byte' : `${base + pos + found} bytes`} before the capture header (at byte offset ${base + pos + found}) are not part of a capture and were skipped`,
          offset: base + pos + found,
        }, true);
        pos += found;
      }
    }
    return this.walker!.walk(buf, view, pos, end, base);
  }

  /** Starts the walker whose magic number is at `pos`; false when there is none. */
  private startWalker(buf: Uint8Array, pos: number, end: number): boolean {
    if (end - pos < MAGIC_LENGTH) return false;
    const b0 = buf[pos]!, b1 = buf[pos + 1]!, b2 = buf[pos + 2]!, b3 = buf[pos + 3]!;
    const variant = pcapVariant(b0, b1, b2, b3);
    if (variant) {
      this.format = 'pcap';
      this.walker = new PcapWalker(this, variant);
    } else if (isPcapngStart(b0, b1, b2, b3)) {
      this.format = 'pcapng';
      this.walker = new PcapngWalker(this);
    }
    return this.walker !== null;
  }

  private notACapture(head: Uint8Array, wholeInput: boolean): void {
    if (wholeInput && isMagicPrefix(head)) {
      this.stop({ code: 'truncated-header', message: `the input ends after ${head.length} bytes, inside the capture file header`, offset: 0 });
      return;
    }
    const looks = describeContent(head);
    this.stop({
      code: 'not-a-capture',
      message: `not a pcap or pcapng capture${looks ? `: it looks like ${looks}` : ''} (first bytes ${hex(head.subarray(0, 8))}; no capture header within the first ${HEADER_SEARCH_WINDOW / 1024} KiB either)`,
      offset: 0,
    });
  }

  private growTail(size: number): void {
    if (this.tail.length >= size) return;
    const bigger = new Uint8Array(Math.max(size, 65_536, Math.min(this.tail.length * 2, this.maxBlockLength + 12)));
    bigger.set(this.tail.subarray(0, this.tailLength));
    this.tail = bigger;
    this.tailView = new DataView(bigger.buffer);
  }
}

const MAGICS = [
  [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d],
  [0x34, 0xcd, 0xb2, 0xa1], [0xa1, 0xb2, 0xcd, 0x34], [0x0a, 0x0d, 0x0d, 0x0a],
];

function isMagicPrefix(head: Uint8Array): boolean {
  return MAGICS.some((m) => head.every((b, i) => m[i] === b));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
