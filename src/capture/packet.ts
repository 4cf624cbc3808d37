/**
 * What the capture layer hands up: one record of a capture file, in file order.
 * Nothing here knows about IP, TCP or POP3.
 */

/** A capture timestamp at the file's own precision (nanoseconds where the file has them). */
export interface Timestamp {
  /** Whole seconds since the Unix epoch. */
  sec: number;
  /** Nanoseconds within that second, 0..999_999_999. */
  nsec: number;
}

/** One packet record. `data` is a view into the reader's chunk: copy it if you keep it past the callback. */
export interface Packet {
  /** 1-based, in file order, the number Wireshark shows. */
  frame: number;
  sec: number;
  nsec: number;
  /** LINKTYPE_* value of the interface the packet was captured on. */
  linkType: number;
  /** The captured bytes (may be shorter than origLen when the snapshot length cut it). */
  data: Uint8Array;
  /** Length of the packet on the wire. */
  origLen: number;
  /** Byte offset of the record's header in the (decompressed) input, for messages about damage. */
  offset: number;
}

export interface PacketSink {
  packet(p: Packet): void;
  /**
   * Asked first for every record, with its captured bytes at `data[start, start + length)`
   * and the rest of `packet` filled in (its `data` is not): true when the sink can tell
   * from those bytes alone that it has no use for the record. The record is then
   * counted as read, and no view or `packet()` call is made for it. Most records of a
   * big capture are other traffic; this is what makes them cheap.
   */
  dismiss?(packet: Packet, data: Uint8Array, start: number, length: number): boolean;
  /**
   * A pcapng Decryption Secrets Block: its secrets type (e.g. 0x544c534b, a TLS
   * key log) and data, a copy. The capture layer does not read them.
   */
  secrets?(type: number, data: Uint8Array): void;
}

export type CaptureFormat = 'pcap' | 'pcapng';
export type TimestampPrecision = 's' | 'ms' | 'us' | 'ns' | 'other';

/** Something odd about the input that did not stop the analysis (or did: `fatal`). */
export interface CaptureWarning {
  /** Stable kebab-case code, e.g. `truncated-record`, `record-too-long`. */
  code: string;
  message: string;
  /** Byte offset in the (decompressed) input where the problem was found. */
  offset?: number;
  /** Frame number the problem belongs to, where known. */
  frame?: number;
  /** True when reading stopped here: what follows could not be trusted. */
  fatal?: boolean;
}

/** Facts about one input, as the JSON output shows them under `captures[]`. */
export interface CaptureInfo {
  path: string;
  format: CaptureFormat | null;
  compression: 'gzip' | null;
  timestampPrecision: TimestampPrecision | null;
  /** Link type names (e.g. `ETHERNET`, `LINUX_SLL2`) in order of first appearance. */
  linkTypes: string[];
  packets: number;
  /** ISO-8601 UTC at the file's precision; null when there were no packets. */
  first: string | null;
  last: string | null;
  /** Bytes of input read (after decompression). */
  bytes: number;
  /**
   * TCP segments of this input handed to reassembly (set by the analysis). Every
   * packet is either one of these or counted once in `skipped` by the decoder.
   */
  segments?: number;
  /** Counts of what was skipped, by reason (`non-tcp`, `other-port`, `pcapng-block:…`, `malformed-ipv4`, …). */
  skipped: Record<string, number>;
  warnings: CaptureWarning[];
  /** True when the input was damaged (a fatal warning, or a truncated record). */
  damaged: boolean;
}
