/**
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte
 * header (seconds, fraction, captured length, original length) and the
 * captured bytes. Either byte order; microsecond or nanosecond fractions
 * (told apart by the magic number). The 24-byte record headers of Alexey
 * Kuznetzov's patched libpcap (magic a1b2cd34) are read too.
 */
import type { CaptureWarning } from './packet.js';
import type { RecordWalker, WalkerContext } from './record-walker.js';
import { MICROSECONDS, NANOSECONDS } from './timestamp.js';

export const PCAP_FILE_HEADER_LENGTH = 24;

export interface PcapVariant {
  littleEndian: boolean;
  nanosecond: boolean;
  recordHeaderLength: number;
}

/** The pcap variant announced by the first four bytes, or null. */
export function pcapVariant(b0: number, b1: number, b2: number, b3: number): PcapVariant | null {
  const big = (b0 << 24 | b1 << 16 | b2 << 8 | b3) >>> 0;
  const little = (b3 << 24 | b2 << 16 | b1 << 8 | b0) >>> 0;
  for (const [value, littleEndian] of [[little, true], [big, false]] as const) {
    if (value === 0xa1b2c3d4) return { littleEndian, nanosecond: false, recordHeaderLength: 16 };
    if (value === 0xa1b23c4d) return { littleEndian, nanosecond: true, recordHeaderLength: 16 };
    if (value === 0xa1b2cd34) return { littleEndian, nanosecond: false, recordHeaderLength: 24 };
  }
  return null;
}

export class PcapWalker implements RecordWalker {
  private headerRead = false;
  private snaplen = 0;
  private linkType = 0;
  private readonly fractionLimit: number;
  private readonly fractionScale: number;

  constructor(private readonly ctx: WalkerContext, private readonly variant: PcapVariant) {
    this.fractionLimit = variant.nanosecond ? 1_000_000_000 : 1_000_000;
    this.fractionScale = variant.nanosecond ? 1 : 1000;
  }

  walk(buf: Uint8Array, view: DataView, pos: number, end: number, base: number): number {
    const ctx = this.ctx;
    const le = this.variant.littleEndian;
    if (!this.headerRead) {
      if (end - pos < PCAP_FILE_HEADER_LENGTH) {
        ctx.need = PCAP_FILE_HEADER_LENGTH;
        return pos;
      }
      this.readFileHeader(view, pos, le, base);
      pos += PCAP_FILE_HEADER_LENGTH;
    }
    const headerLength = this.variant.recordHeaderLength;
    const maxRecord = ctx.maxRecordLength;
    const p = ctx.packet;
    for (;;) {
      if (end - pos < headerLength) {
        ctx.need = headerLength;
        return pos;
      }
      const captured = view.getUint32(pos + 8, le);
      if (captured > maxRecord) {
        ctx.stop({
          code: 'record-too-long',
          message: `record of frame ${ctx.frame + 1} claims ${captured} captured bytes, more than the ${maxRecord} any capture holds; the file is damaged from here on`,
          offset: base + pos,
          frame: ctx.frame + 1,
        });
        return pos;
      }
      if (end - pos < headerLength + captured) {
        ctx.need = headerLength + captured;
        return pos;
      }
      const frame = ++ctx.frame;
      const original = view.getUint32(pos + 12, le);
      let sec = view.getUint32(pos, le);
      let fraction = view.getUint32(pos + 4, le);
      if (fraction >= this.fractionLimit) {
        ctx.warn({
          code: 'bad-timestamp',
          message: `frame ${frame} has a sub-second part of ${fraction}, not below ${this.fractionLimit}; carried into the seconds`,
          offset: base + pos + 4,
          frame,
        });
        sec += Math.floor(fraction / this.fractionLimit);
        fraction %= this.fractionLimit;
      }
      if (this.snaplen !== 0 && captured > this.snaplen) {
        ctx.warn({
          code: 'record-exceeds-snaplen',
          message: `frame ${frame} holds ${captured} bytes, more than the file's snapshot length ${this.snaplen}; kept`,
          offset: base + pos,
          frame,
        });
      }
      if (captured > original) {
        ctx.warn({
          code: 'captured-exceeds-original',
          message: `frame ${frame} holds ${captured} captured bytes but says the packet was ${original} bytes long; kept`,
          offset: base + pos,
          frame,
        });
      }
      p.frame = frame;
      p.sec = sec;
      p.nsec = fraction * this.fractionScale;
      p.linkType = this.linkType;
      p.origLen = original;
      p.offset = base + pos;
      if (!ctx.dismissed(buf, pos + headerLength, captured)) {
        // A view made directly costs half of what subarray() does, once per packet.
        p.data = new Uint8Array(buf.buffer, buf.byteOffset + pos + headerLength, captured);
        ctx.deliver();
      }
      pos += headerLength + captured;
    }
  }

  private readFileHeader(view: DataView, pos: number, le: boolean, base: number): void {
    const major = view.getUint16(pos + 4, le);
    const minor = view.getUint16(pos + 6, le);
    if (major !== 2) {
      this.ctx.warn({
        code: 'unusual-version',
        message: `pcap file format version ${major}.${minor}, expected 2.4; reading it as 2.4`,
        offset: base + pos + 4,
      });
    }
    this.snaplen = view.getUint32(pos + 16, le);
    // The top bits of this field carry FCS information, not the link type.
    this.linkType = view.getUint32(pos + 20, le) & 0x03ffffff;
    this.headerRead = true;
    this.ctx.interfaceDefined(this.linkType, this.variant.nanosecond ? NANOSECONDS : MICROSECONDS);
  }

  truncated(buf: Uint8Array, view: DataView, pos: number, end: number, base: number): CaptureWarning {
    const have = end - pos;
    if (!this.headerRead) {
      return {
        code: 'truncated-header',
        message: `the pcap file header is cut short: ${have} of ${PCAP_FILE_HEADER_LENGTH} bytes`,
        offset: base + pos,
        fatal: true,
      };
    }
    const frame = this.ctx.frame + 1;
    const headerLength = this.variant.recordHeaderLength;
    const size = have >= headerLength ? `${have} of ${headerLength + view.getUint32(pos + 8, this.variant.littleEndian)} bytes` : `${have} of the ${headerLength}-byte record header`;
    return {
      code: 'truncated-record',
      message: `the input ends inside the record of frame ${frame} (${size}); everything before it was read`,
      offset: base + pos,
      frame,
    };
  }
}
