/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 * `type, total length, body, total length`. Sections (SHB) set the byte order
 * and reset the interface list; interfaces (IDB) give link type, snapshot
 * length and tick resolution; packets come as Enhanced (EPB), Simple (SPB) or
 * the obsolete Packet Block (PB). Decryption Secrets Blocks (DSB) are handed
 * up as data, unread. Every other block is skipped and counted.
 */
import type { CaptureWarning } from './packet.js';
import type { RecordWalker, WalkerContext } from './record-walker.js';
import { MICROSECONDS, resolutionFromTsresol, ticksToTimestamp, type TimestampResolution } from './timestamp.js';

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 0x00000001;
const PACKET = 0x00000002;
const SIMPLE_PACKET = 0x00000003;
const ENHANCED_PACKET = 0x00000006;
const DECRYPTION_SECRETS = 0x0000000a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** Room for a packet block's fixed fields and options on top of the captured bytes. */
const PACKET_BLOCK_OVERHEAD = 65_536;

/** Names for messages and for `skipped` counts (`pcapng-block:<name>`); unnamed types show as hex. */
const BLOCK_NAMES: ReadonlyMap<number, string> = new Map([
  [SECTION_HEADER, 'section-header'],
  [INTERFACE_DESCRIPTION, 'interface-description'],
  [PACKET, 'packet'],
  [SIMPLE_PACKET, 'simple-packet'],
  [ENHANCED_PACKET, 'enhanced-packet'],
  [0x00000004, 'name-resolution'],
  [0x00000005, 'interface-statistics'],
  [0x00000009, 'systemd-journal-export'],
  [DECRYPTION_SECRETS, 'decryption-secrets'],
  [0x00000bad, 'custom'],
  [0x40000bad, 'custom'],
]);

interface Interface {
  linkType: number;
  snaplen: number;
  resolution: TimestampResolution;
  /** `if_tsoffset`: seconds added to every timestamp of the interface. */
  offsetSeconds: number;
}

export function isPcapngStart(b0: number, b1: number, b2: number, b3: number): boolean {
  return b0 === 0x0a && b1 === 0x0d && b2 === 0x0d && b3 === 0x0a;
}

function isPacketBlock(type: number): boolean {
  return type === ENHANCED_PACKET || type === SIMPLE_PACKET || type === PACKET;
}

function blockName(type: number): string {
  return BLOCK_NAMES.get(type) ?? '0x' + type.toString(16).padStart(8, '0');
}

export class PcapngWalker implements RecordWalker {
  private littleEndian = true;
  private interfaces: Interface[] = [];
  private section = 0;

  constructor(private readonly ctx: WalkerContext) {}

  walk(buf: Uint8Array, view: DataView, pos: number, end: number, base: number): number {
    const ctx = this.ctx;
    for (;;) {
      // 12 bytes hold a block's type, length and, for an SHB, the byte-order magic.
      if (end - pos < 12) {
        ctx.need = 12;
        return pos;
      }
      // The SHB type reads the same in both byte orders.
      const type = view.getUint32(pos, this.littleEndian);
      if (type === SECTION_HEADER) {
        const magic = view.getUint32(pos + 8, true);
        if (magic === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (magic === 0x4d3c2b1a) this.littleEndian = false;
        else {
          ctx.stop({
            code: 'bad-byte-order-magic',
            message: `section header has byte-order magic 0x${magic.toString(16).padStart(8, '0')}, not 1a2b3c4d in either order`,
            offset: base + pos + 8,
          });
          return pos;
        }
      }
      const le = this.littleEndian;
      const length = view.getUint32(pos + 4, le);
      if (length < 12 || length % 4 !== 0) {
        this.badLength(`block of type ${blockName(type)} has total length ${length}, which is ${length < 12 ? 'below the 12-byte minimum' : 'not a multiple of 4'}`, type, base + pos);
        return pos;
      }
      const packetBlock = isPacketBlock(type);
      const limit = packetBlock ? ctx.maxRecordLength + PACKET_BLOCK_OVERHEAD : ctx.maxBlockLength;
      if (length > limit) {
        ctx.stop({
          code: packetBlock ? 'record-too-long' : 'block-too-long',
          message: `block of type ${blockName(type)} claims ${length} bytes, more than the ${limit} allowed; the file is damaged from here on`,
          offset: base + pos,
          ...(packetBlock ? { frame: ctx.frame + 1 } : {}),
        });
        return pos;
      }
      if (end - pos < length) {
        ctx.need = length;
        return pos;
      }
      const trailer = view.getUint32(pos + length - 4, le);
      if (trailer !== length) {
        this.badLength(`block of type ${blockName(type)} starts with total length ${length} but ends with ${trailer}`, type, base + pos);
        return pos;
      }
      switch (type) {
        case ENHANCED_PACKET: {
          // Read here rather than through a method of its own: one call less per packet
          // keeps the packet's whole path small enough to be inlined.
          const frame = ++ctx.frame;
          if (!this.tooShort(ENHANCED_PACKET, length, 32, base + pos, frame)) {
            this.timestampedPacket(buf, view, pos, length, base, frame, ENHANCED_PACKET, view.getUint32(pos + 8, le));
          }
          break;
        }
        case SIMPLE_PACKET:
          this.simplePacket(buf, view, pos, length, base);
          break;
        case PACKET:
          this.obsoletePacket(buf, view, pos, length, base);
          break;
        case INTERFACE_DESCRIPTION:
          this.interfaceDescription(view, pos, length, base);
          break;
        case SECTION_HEADER:
          this.sectionHeader(view, pos, length, base);
          break;
        case DECRYPTION_SECRETS:
          this.decryptionSecrets(buf, view, pos, length, base);
          break;
        default:
          ctx.skip(`pcapng-block:${blockName(type)}`);
      }
      if (ctx.stopped) return pos;
      pos += length;
    }
  }

  private badLength(message: string, type: number, offset: number): void {
    this.ctx.stop({
      code: 'bad-block-length',
      message: `${message}; the file is damaged from here on`,
      offset,
      ...(isPacketBlock(type) ? { frame: this.ctx.frame + 1 } : {}),
    });
  }

  private tooShort(type: number, length: number, minimum: number, offset: number, frame?: number): boolean {
    if (length >= minimum) return false;
    this.ctx.warn(
      {
        code: 'block-too-short',
        message: `block of type ${blockName(type)} is ${length} bytes, too short for its ${minimum}-byte fixed part; skipped`,
        offset,
        ...(frame === undefined ? {} : { frame }),
      },
      true,
    );
    this.ctx.skip(`pcapng-block:${blockName(type)}`);
    return true;
  }

  private sectionHeader(view: DataView, pos: number, length: number, base: number): void {
    this.section += 1;
    this.interfaces = [];
    if (this.tooShort(SECTION_HEADER, length, 28, base + pos)) return;
    const major = view.getUint16(pos + 12, this.littleEndian);
    if (major !== 1) {
      this.ctx.stop({
        code: 'unsupported-version',
        message: `section ${this.section} is pcapng version ${major}.${view.getUint16(pos + 14, this.littleEndian)}; only version 1 can be read`,
        offset: base + pos + 12,
      });
    }
  }

  /** DSB: secrets type, secrets length, the secrets (padded to 32 bits), options. */
  private decryptionSecrets(buf: Uint8Array, view: DataView, pos: number, length: number, base: number): void {
    const le = this.littleEndian;
    const secretsLength = length >= 20 ? view.getUint32(pos + 12, le) : -1;
    if (secretsLength < 0 || 16 + secretsLength + 4 > length) {
      this.ctx.warn({
        code: 'bad-decryption-secrets',
        message: `decryption secrets block claims ${secretsLength < 0 ? 'no' : secretsLength} bytes of secrets in a ${length}-byte block; skipped`,
        offset: base + pos,
      }, true);
      return;
    }
    this.ctx.skip('pcapng-block:decryption-secrets');
    this.ctx.secrets(view.getUint32(pos + 8, le), buf.subarray(pos + 16, pos + 16 + secretsLength));
  }

  private interfaceDescription(view: DataView, pos: number, length: number, base: number): void {
    if (this.tooShort(INTERFACE_DESCRIPTION, length, 20, base + pos)) return;
    const le = this.littleEndian;
    const iface: Interface = {
      linkType: view.getUint16(pos + 8, le),
      snaplen: view.getUint32(pos + 12, le),
      resolution: MICROSECONDS,
      offsetSeconds: 0,
    };
    const optionsEnd = pos + length - 4;
    let at = pos + 16;
    while (optionsEnd - at >= 4) {
      const code = view.getUint16(at, le);
      const size = view.getUint16(at + 2, le);
      if (code === OPT_END) break;
      if (at + 4 + size > optionsEnd) {
        this.ctx.warn({
          code: 'bad-option',
          message: `interface ${this.interfaces.length} option ${code} claims ${size} bytes, past the end of its block; remaining options ignored`,
          offset: base + at,
        });
        break;
      }
      if (code === IF_TSRESOL && size >= 1) {
        iface.resolution = resolutionFromTsresol(view.getUint8(at + 4));
      } else if (code === IF_TSOFFSET && size >= 8) {
        const low = view.getUint32(at + 4 + (le ? 0 : 4), le);
        const high = view.getInt32(at + 4 + (le ? 4 : 0), le);
        iface.offsetSeconds = high * 4_294_967_296 + low;
      }
      at += 4 + ((size + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.ctx.interfaceDefined(iface.linkType, iface.resolution);
  }

  /** The interface a packet refers to, or a warning and null when the section never defined it. */
  private interfaceFor(id: number, frame: number, offset: number, type: number): Interface | null {
    const iface = this.interfaces[id];
    if (iface) return iface;
    this.ctx.warn(
      {
        code: 'undefined-interface',
        message: `frame ${frame} refers to interface ${id}, but section ${this.section} defines ${this.interfaces.length}; skipped`,
        offset,
        frame,
      },
      true,
    );
    this.ctx.skip(`pcapng-block:${blockName(type)}`);
    return null;
  }

  private obsoletePacket(buf: Uint8Array, view: DataView, pos: number, length: number, base: number): void {
    const frame = ++this.ctx.frame;
    if (this.tooShort(PACKET, length, 32, base + pos, frame)) return;
    // Same layout as an EPB but with a 16-bit interface id and a 16-bit drop count.
    this.timestampedPacket(buf, view, pos, length, base, frame, PACKET, view.getUint16(pos + 8, this.littleEndian));
  }

  /** EPB and PB: interface, 64-bit timestamp, captured and original length at the same offsets. */
  private timestampedPacket(buf: Uint8Array, view: DataView, pos: number, length: number, base: number, frame: number, type: number, interfaceId: number): void {
    const ctx = this.ctx;
    const le = this.littleEndian;
    const captured = view.getUint32(pos + 20, le);
    const original = view.getUint32(pos + 24, le);
    const iface = this.interfaces[interfaceId];
    // The rare cases (damage, an undefined interface, lengths past the snapshot) each in a
    // method of their own: this runs for every packet, and stays small enough to inline.
    if (captured > ctx.maxRecordLength || 28 + captured + 4 > length || iface === undefined) {
      this.unusablePacket(pos, length, base, frame, type, interfaceId, captured);
      return;
    }
    const p = ctx.packet;
    ticksToTimestamp(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le), iface.resolution, p);
    p.sec += iface.offsetSeconds;
    // checkLengths' two tests, made here first so that the common packet makes no call.
    if ((iface.snaplen !== 0 && captured > iface.snaplen) || captured > original) this.checkLengths(iface, captured, original, frame, base + pos);
    p.frame = frame;
    p.linkType = iface.linkType;
    p.origLen = original;
    p.offset = base + pos;
    if (ctx.dismissed(buf, pos + 28, captured)) return;
    // A view made directly costs half of what subarray() does, once per packet.
    p.data = new Uint8Array(buf.buffer, buf.byteOffset + pos + 28, captured);
    ctx.deliver();
  }

  /** A packet block that cannot be read: too long a record (fatal), a length past its block, or an undefined interface. */
  private unusablePacket(pos: number, length: number, base: number, frame: number, type: number, interfaceId: number, captured: number): void {
    const ctx = this.ctx;
    if (captured > ctx.maxRecordLength) {
      ctx.stop({
        code: 'record-too-long',
        message: `frame ${frame} claims ${captured} captured bytes, more than the ${ctx.maxRecordLength} any capture holds; the file is damaged from here on`,
        offset: base + pos,
        frame,
      });
      return;
    }
    if (28 + captured + 4 > length) {
      ctx.warn(
        {
          code: 'bad-packet-length',
          message: `frame ${frame} claims ${captured} captured bytes, more than its ${length}-byte block holds; skipped`,
          offset: base + pos,
          frame,
        },
        true,
      );
      ctx.skip(`pcapng-block:${blockName(type)}`);
      return;
    }
    // What is left: an interface the section never defined, which interfaceFor() warns of and skips.
    this.interfaceFor(interfaceId, frame, base + pos, type);
  }

  /** The first simple packet block was reported: they all lack a time. */
  private untimedWarned = false;

  private simplePacket(buf: Uint8Array, view: DataView, pos: number, length: number, base: number): void {
    const frame = ++this.ctx.frame;
    if (this.tooShort(SIMPLE_PACKET, length, 16, base + pos, frame)) return;
    const iface = this.interfaceFor(0, frame, base + pos, SIMPLE_PACKET);
    if (!iface) return;
    const original = view.getUint32(pos + 8, this.littleEndian);
    // The SPB has no captured-length field: it is the original length, cut by
    // the snapshot length and by what the block holds (the rest is padding).
    let captured = Math.min(original, length - 16);
    if (iface.snaplen !== 0) captured = Math.min(captured, iface.snaplen);
    const p = this.ctx.packet;
    // An SPB carries no timestamp. p.sec/p.nsec still hold the previous
    // packet's time (0 before the first packet), so the SPB gets that time:
    // it keeps the timeline monotonic rather than dropping to 1970.
    if (!this.untimedWarned) {
      this.untimedWarned = true;
      this.ctx.warn({
        code: 'no-timestamps',
        message: `frame ${frame} is a simple packet block, which carries no time: it and every later one are shown with the time of the packet before them (1970-01-01 before any packet with a time)`,
        offset: base + pos,
        frame,
      });
    }
    p.frame = frame;
    p.linkType = iface.linkType;
    p.origLen = original;
    p.offset = base + pos;
    if (this.ctx.dismissed(buf, pos + 12, captured)) return;
    p.data = new Uint8Array(buf.buffer, buf.byteOffset + pos + 12, captured);
    this.ctx.deliver();
  }

  private checkLengths(iface: Interface, captured: number, original: number, frame: number, offset: number): void {
    if (iface.snaplen !== 0 && captured > iface.snaplen) {
      this.ctx.warn({
        code: 'record-exceeds-snaplen',
        message: `frame ${frame} holds ${captured} bytes, more than its interface's snapshot length ${iface.snaplen}; kept`,
        offset,
        frame,
      });
    }
    if (captured > original) {
      this.ctx.warn({
        code: 'captured-exceeds-original',
        message: `frame ${frame} holds ${captured} captured bytes but says the packet was ${original} bytes long; kept`,
        offset,
        frame,
      });
    }
  }

  truncated(_buf: Uint8Array, view: DataView, pos: number, end: number, base: number): CaptureWarning {
    const have = end - pos;
    if (this.section === 0) {
      return {
        code: 'truncated-header',
        message: `the pcapng section header block is cut short: ${have} bytes`,
        offset: base + pos,
        fatal: true,
      };
    }
    let what = `a block (${have} bytes of its 12-byte header)`;
    let frame: number | undefined;
    if (have >= 8) {
      const type = view.getUint32(pos, this.littleEndian);
      const length = view.getUint32(pos + 4, this.littleEndian);
      if (isPacketBlock(type)) frame = this.ctx.frame + 1;
      what = `${frame === undefined ? `a block of type ${blockName(type)}` : `the block of frame ${frame}`} (${have} of ${length} bytes)`;
    }
    return {
      code: 'truncated-record',
      message: `the input ends inside ${what}; everything before it was read`,
      offset: base + pos,
      ...(frame === undefined ? {} : { frame }),
    };
  }
}
