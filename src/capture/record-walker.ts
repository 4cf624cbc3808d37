/**
 * The contract between the chunk-handling reader and the format walkers
 * (classic pcap, pcapng). A walker parses whole records in place and says how
 * many bytes it needs when the chunk ends mid-record; the reader keeps that
 * tail and never has to know the format.
 */
import type { CaptureWarning, Packet } from './packet.js';
import type { TimestampResolution } from './timestamp.js';

export interface WalkerContext {
  /** The one Packet object reused for every record: the walker fills it, then calls `deliver()`. */
  readonly packet: Packet;
  /** Set by `walk()` when it stops before `end`: bytes needed from the returned position to go on. */
  need: number;
  /** The last frame number handed out; walkers increment it for every packet record, delivered or not. */
  frame: number;
  readonly stopped: boolean;
  readonly maxRecordLength: number;
  readonly maxBlockLength: number;
  /** Hands `packet` to the sink. */
  deliver(): void;
  /**
   * Before `packet.data` is made: true when the sink dismissed the record whose captured
   * bytes are buf[start, start + length) (it is counted as read; do not deliver it).
   */
  dismissed(buf: Uint8Array, start: number, length: number): boolean;
  /** Records a warning; `damaging` marks the input damaged without stopping. */
  warn(warning: CaptureWarning, damaging?: boolean): void;
  /** Records a fatal warning and stops reading: nothing after it can be trusted. */
  stop(warning: Omit<CaptureWarning, 'fatal'>): void;
  /** Hands a Decryption Secrets Block's type and data (a view) up. */
  secrets(type: number, data: Uint8Array): void;
  /** Counts a record skipped for `reason`. */
  skip(reason: string): void;
  /** An interface (pcap file header or pcapng IDB) with this link type and tick resolution was defined. */
  interfaceDefined(linkType: number, resolution: TimestampResolution): void;
}

export interface RecordWalker {
  /**
   * Parses every whole record in buf[pos, end) and returns the position after
   * the last one. When it returns before `end` (and the context is not
   * stopped) it has set `ctx.need` to more than `end - pos`. `base` is the
   * input offset of buf[0].
   */
  walk(buf: Uint8Array, view: DataView, pos: number, end: number, base: number): number;
  /** The warning for input that ends inside the record starting at buf[pos]. */
  truncated(buf: Uint8Array, view: DataView, pos: number, end: number, base: number): CaptureWarning;
}
