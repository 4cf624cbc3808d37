/**
 * Finds a capture that starts late: a stray byte from a bad copy, an HTTP response
 * saved with its headers, a file carved from a disk image. Only a whole, valid header
 * counts (magic, version, and a sane first record or block after it), so bytes that
 * merely contain a magic number are not taken for a capture.
 */
import { PCAP_FILE_HEADER_LENGTH, pcapVariant } from './pcap-walker.js';
import { isPcapngStart } from './pcapng-walker.js';

/** How far into the input a capture header is looked for. */
export const HEADER_SEARCH_WINDOW = 64 * 1024;
/** Bytes to gather before searching: the window, plus a header and a first record header to check. */
export const HEADER_SEARCH_NEED = HEADER_SEARCH_WINDOW + 4096;

export interface SearchLimits {
  maxRecordLength: number;
  maxBlockLength: number;
}

/** Offset (1 ≤ offset ≤ window) of the first valid pcap or pcapng header in `head`, or -1. */
export function findCaptureHeader(head: Uint8Array, limits: SearchLimits): number {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const last = Math.min(HEADER_SEARCH_WINDOW, head.length - 4);
  for (let at = 1; at <= last; at++) {
    const b0 = head[at]!, b1 = head[at + 1]!, b2 = head[at + 2]!, b3 = head[at + 3]!;
    const variant = pcapVariant(b0, b1, b2, b3);
    if (variant && validPcapAt(view, at, variant.littleEndian, variant.recordHeaderLength, variant.nanosecond, limits)) return at;
    if (isPcapngStart(b0, b1, b2, b3) && validPcapngAt(view, at, limits)) return at;
  }
  return -1;
}

/** Version 2.4, and a first record whose lengths and time fraction make sense (and the next one's, if present). */
function validPcapAt(view: DataView, at: number, le: boolean, recordHeader: number, ns: boolean, limits: SearchLimits): boolean {
  if (at + PCAP_FILE_HEADER_LENGTH + recordHeader > view.byteLength) return false;
  if (view.getUint16(at + 4, le) !== 2 || view.getUint16(at + 6, le) !== 4) return false;
  let pos = at + PCAP_FILE_HEADER_LENGTH;
  for (let records = 0; records < 2 && pos + recordHeader <= view.byteLength; records++) {
    const fraction = view.getUint32(pos + 4, le);
    const captured = view.getUint32(pos + 8, le);
    const original = view.getUint32(pos + 12, le);
    if (fraction >= (ns ? 1_000_000_000 : 1_000_000) || captured > limits.maxRecordLength || original < captured || captured === 0) return false;
    pos += recordHeader + captured;
  }
  return true;
}

/** A section header of major version 1 whose trailing length matches, then a plausible next block (if present). */
function validPcapngAt(view: DataView, at: number, limits: SearchLimits): boolean {
  if (at + 28 > view.byteLength) return false;
  const magic = view.getUint32(at + 8, true);
  if (magic !== 0x1a2b3c4d && magic !== 0x4d3c2b1a) return false;
  const le = magic === 0x1a2b3c4d;
  const length = view.getUint32(at + 4, le);
  if (length < 28 || length % 4 !== 0 || length > limits.maxBlockLength || view.getUint16(at + 12, le) !== 1) return false;
  if (at + length > view.byteLength) return false;
  if (view.getUint32(at + length - 4, le) !== length) return false;
  const next = at + length;
  if (next + 8 > view.byteLength) return true;
  const nextLength = view.getUint32(next + 4, le);
  return nextLength >= 12 && nextLength % 4 === 0 && nextLength <= Math.max(limits.maxBlockLength, limits.maxRecordLength + 64);
}
