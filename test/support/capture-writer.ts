/**
 * A small capture writer for tests: classic pcap and pcapng, built byte by
 * byte from the file format specifications (libpcap's pcap-savefile(5) and
 * draft-ietf-opsawg-pcapng), so the tests do not depend on the reader they
 * check. Tests of the decode and TCP layers use it to craft traffic that real
 * tools will not produce.
 */

export interface PacketToWrite {
  sec: number;
  /** Nanoseconds within the second; written truncated to the file's resolution. */
  nsec: number;
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  origLen?: number;
  /** pcapng interface index; default 0. */
  interface?: number;
  /** pcapng block kind for this packet; default `epb`. */
  block?: 'epb' | 'spb' | 'pb';
}

export interface PcapWriteOptions {
  /** LINKTYPE_* value; default 1 (Ethernet). */
  linkType?: number;
  nanosecond?: boolean;
  bigEndian?: boolean;
  /** Default 262144. */
  snaplen?: number;
}

export const LINKTYPE_ETHERNET = 1;

/** A classic pcap file (version 2.4). */
export function writePcap(packets: PacketToWrite[], options: PcapWriteOptions = {}): Buffer {
  const le = !options.bigEndian;
  const nano = options.nanosecond ?? false;
  const header = Buffer.alloc(24);
  u32(header, 0, nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  u16(header, 4, 2, le);
  u16(header, 6, 4, le);
  u32(header, 16, options.snaplen ?? 262144, le);
  u32(header, 20, options.linkType ?? LINKTYPE_ETHERNET, le);
  const parts: Buffer[] = [header];
  for (const p of packets) {
    const rec = Buffer.alloc(16);
    u32(rec, 0, p.sec, le);
    u32(rec, 4, nano ? p.nsec : Math.floor(p.nsec / 1000), le);
    u32(rec, 8, p.data.length, le);
    u32(rec, 12, p.origLen ?? p.data.length, le);
    parts.push(rec, Buffer.from(p.data));
  }
  return Buffer.concat(parts);
}

export interface PcapngInterfaceToWrite {
  linkType: number;
  /** Raw `if_tsresol` byte: 6 = microseconds (the default, then the option is omitted), 9 = ns, 0x80|n = 2^-n. */
  tsresol?: number;
  /** Default 262144. */
  snaplen?: number;
  /** `if_tsoffset` in seconds, when set. */
  tsoffset?: number;
}

export interface PcapngSectionToWrite {
  interfaces: PcapngInterfaceToWrite[];
  packets: PacketToWrite[];
  bigEndian?: boolean;
  /** Raw blocks (see `pcapngBlock`) written after the interfaces, before the packets. */
  extraBlocks?: Buffer[];
}

export interface PcapngWriteOptions {
  interfaces: PcapngInterfaceToWrite[];
  bigEndian?: boolean;
  /** Several sections: when given, `packets`, `interfaces` and `bigEndian` are ignored. */
  sections?: PcapngSectionToWrite[];
}

/** A pcapng file: one section (or `options.sections`), its interfaces, then the packets. */
export function writePcapng(packets: PacketToWrite[], options: PcapngWriteOptions): Buffer {
  const sections = options.sections ?? [{ interfaces: options.interfaces, packets, bigEndian: options.bigEndian }];
  return Buffer.concat(sections.map(writeSection));
}

function writeSection(section: PcapngSectionToWrite): Buffer {
  const le = !section.bigEndian;
  const blocks = [sectionHeaderBlock(le)];
  for (const iface of section.interfaces) blocks.push(interfaceDescriptionBlock(iface, le));
  blocks.push(...(section.extraBlocks ?? []));
  for (const p of section.packets) {
    const iface = section.interfaces[p.interface ?? 0];
    const tsresol = iface?.tsresol ?? 6;
    const tsoffset = iface?.tsoffset ?? 0;
    if (p.block === 'spb') blocks.push(simplePacketBlock(p, le, iface?.snaplen ?? 262144));
    else blocks.push(timestampedPacketBlock(p, le, tsresol, tsoffset, p.block === 'pb'));
  }
  return Buffer.concat(blocks);
}

/** One block: type, total length, body padded to 4 bytes, total length. */
export function pcapngBlock(type: number, body: Uint8Array, littleEndian = true): Buffer {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const block = Buffer.alloc(total);
  u32(block, 0, type, littleEndian);
  u32(block, 4, total, littleEndian);
  block.set(body, 8);
  u32(block, total - 4, total, littleEndian);
  return block;
}

export function sectionHeaderBlock(littleEndian = true): Buffer {
  const body = Buffer.alloc(16);
  u32(body, 0, 0x1a2b3c4d, littleEndian);
  u16(body, 4, 1, littleEndian);
  u16(body, 6, 0, littleEndian);
  // Section length unknown: -1.
  body.fill(0xff, 8, 16);
  return pcapngBlock(0x0a0d0d0a, body, littleEndian);
}

function option(code: number, value: Uint8Array, le: boolean): Buffer {
  const head = Buffer.alloc(4);
  u16(head, 0, code, le);
  u16(head, 2, value.length, le);
  const pad = Buffer.alloc(((value.length + 3) & ~3) - value.length);
  return Buffer.concat([head, Buffer.from(value), pad]);
}

export function interfaceDescriptionBlock(iface: PcapngInterfaceToWrite, littleEndian = true): Buffer {
  const fixed = Buffer.alloc(8);
  u16(fixed, 0, iface.linkType, littleEndian);
  u32(fixed, 4, iface.snaplen ?? 262144, littleEndian);
  const options: Buffer[] = [];
  if (iface.tsresol !== undefined && iface.tsresol !== 6) options.push(option(9, Uint8Array.of(iface.tsresol), littleEndian));
  if (iface.tsoffset !== undefined) {
    const v = Buffer.alloc(8);
    if (littleEndian) v.writeBigInt64LE(BigInt(iface.tsoffset));
    else v.writeBigInt64BE(BigInt(iface.tsoffset));
    options.push(option(14, v, littleEndian));
  }
  if (options.length > 0) options.push(option(0, new Uint8Array(0), littleEndian));
  return pcapngBlock(1, Buffer.concat([fixed, ...options]), littleEndian);
}

/** Ticks since the epoch at resolution `tsresol`, in BigInt so nanosecond counts stay exact. */
export function ticksFor(sec: number, nsec: number, tsresol: number, tsoffset = 0): bigint {
  const s = BigInt(sec - tsoffset);
  if (tsresol & 0x80) {
    const shift = BigInt(tsresol & 0x7f);
    return (s << shift) + ((BigInt(nsec) << shift) / 1_000_000_000n);
  }
  const perSecond = 10n ** BigInt(tsresol);
  const fraction = tsresol <= 9 ? BigInt(nsec) / 10n ** BigInt(9 - tsresol) : BigInt(nsec) * 10n ** BigInt(tsresol - 9);
  return s * perSecond + fraction;
}

function timestampedPacketBlock(p: PacketToWrite, le: boolean, tsresol: number, tsoffset: number, obsolete: boolean): Buffer {
  const fixed = Buffer.alloc(20);
  if (obsolete) u16(fixed, 0, p.interface ?? 0, le);
  else u32(fixed, 0, p.interface ?? 0, le);
  const ticks = ticksFor(p.sec, p.nsec, tsresol, tsoffset);
  u32(fixed, 4, Number(ticks >> 32n), le);
  u32(fixed, 8, Number(ticks & 0xffffffffn), le);
  u32(fixed, 12, p.data.length, le);
  u32(fixed, 16, p.origLen ?? p.data.length, le);
  return pcapngBlock(obsolete ? 2 : 6, Buffer.concat([fixed, Buffer.from(p.data)]), le);
}

function simplePacketBlock(p: PacketToWrite, le: boolean, snaplen: number): Buffer {
  const fixed = Buffer.alloc(4);
  u32(fixed, 0, p.origLen ?? p.data.length, le);
  const data = p.data.subarray(0, Math.min(p.data.length, snaplen));
  return pcapngBlock(3, Buffer.concat([fixed, Buffer.from(data)]), le);
}

function u32(buf: Buffer, offset: number, value: number, le: boolean): void {
  if (le) buf.writeUInt32LE(value >>> 0, offset);
  else buf.writeUInt32BE(value >>> 0, offset);
}

function u16(buf: Buffer, offset: number, value: number, le: boolean): void {
  if (le) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}
