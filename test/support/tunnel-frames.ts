/**
 * Tunnel headers for tests, written from their specifications (RFC 2784/2890
 * GRE, draft-foschiano-erspan, RFC 7348 VXLAN, RFC 8926 Geneve, RFC 3032
 * MPLS, RFC 2516 PPPoE, RFC 1661/1662 PPP, RFC 2661 L2TPv2, 3GPP TS 29.281
 * GTP-U), independently of the decoder. Each function puts its header in
 * front of a payload; `ipv4Datagram`/`ipv6Packet` in frames.ts give the
 * outer IP. Checksums that the formats make optional are left out (UDP 0),
 * except GRE's, which is filled when asked for.
 */
import { concat, ipv4Datagram, ipv6Packet } from './frames.js';

function u16(v: number): Uint8Array {
  return Uint8Array.of((v >>> 8) & 0xff, v & 0xff);
}

function u32(v: number): Uint8Array {
  return Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export const ETHERTYPE = { ipv4: 0x0800, ipv6: 0x86dd, mpls: 0x8847, pppoe: 0x8864, teb: 0x6558, erspan2: 0x88be, erspan3: 0x22eb } as const;

/** An Ethernet header (fixed test MACs; `swap` reverses them) before `payload`. */
export function ethernet(type: number, payload: Uint8Array, swap = false): Uint8Array {
  const a = [2, 0, 0, 0, 0, 2];
  const b = [2, 0, 0, 0, 0, 1];
  return concat(Uint8Array.from(swap ? [...b, ...a] : [...a, ...b]), u16(type), payload);
}

/** The EtherType an IP packet would travel under. */
export function ipEthertype(ip: Uint8Array): number {
  return ip[0]! >> 4 === 6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4;
}

export interface GreOptions {
  protocol: number;
  checksum?: boolean;
  key?: number;
  sequence?: number;
  /** Version bits (0 GRE, 1 PPTP's enhanced GRE). */
  version?: number;
}

export function gre(o: GreOptions, payload: Uint8Array): Uint8Array {
  const flags = (o.checksum ? 0x80 : 0) | (o.key !== undefined ? 0x20 : 0) | (o.sequence !== undefined ? 0x10 : 0);
  const parts = [Uint8Array.of(flags, o.version ?? 0), u16(o.protocol)];
  if (o.checksum) parts.push(new Uint8Array(4));
  if (o.key !== undefined) parts.push(u32(o.key));
  if (o.sequence !== undefined) parts.push(u32(o.sequence));
  parts.push(payload);
  const out = concat(...parts);
  if (o.checksum) {
    const c = checksum(out);
    out[4] = c >>> 8;
    out[5] = c & 0xff;
  }
  return out;
}

/** ERSPAN type II header (version 1) before a mirrored Ethernet frame. */
export function erspanII(session: number, frame: Uint8Array, index = 0): Uint8Array {
  return concat(Uint8Array.of(0x10, 0x00, (session >>> 8) & 0x03, session & 0xff), u32(index & 0xfffff), frame);
}

/** ERSPAN type III header (version 2; frame type 0 Ethernet), with the 8-byte platform subheader when `subheader`. */
export function erspanIII(session: number, frame: Uint8Array, timestamp: number, subheader = false): Uint8Array {
  const h = concat(
    Uint8Array.of(0x20, 0x00, (session >>> 8) & 0x03, session & 0xff),
    u32(timestamp),
    u16(0), // security group tag
    Uint8Array.of(0x00, subheader ? 0x01 : 0x00), // P=0, FT=0, hw id 0, D=0, Gra=0, O
  );
  return subheader ? concat(h, Uint8Array.of(0x0c, 0, 0, 0, 0, 0, 0, 0), frame) : concat(h, frame);
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return concat(u16(srcPort), u16(dstPort), u16(8 + payload.length), u16(0), payload);
}

export function vxlan(vni: number, frame: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x08, 0, 0, 0), u32((vni << 8) >>> 0), frame);
}

export interface GeneveOption {
  optionClass: number;
  type: number;
  /** A multiple of 4 bytes. */
  data: Uint8Array;
}

export function geneve(vni: number, protocol: number, payload: Uint8Array, options: GeneveOption[] = []): Uint8Array {
  const opts = concat(...options.map((o) => concat(u16(o.optionClass), Uint8Array.of(o.type, o.data.length / 4), o.data)));
  return concat(Uint8Array.of(opts.length / 4, 0), u16(protocol), u32((vni << 8) >>> 0), opts, payload);
}

/** An MPLS label stack (labels outermost first) before `payload`. */
export function mpls(labels: number[], payload: Uint8Array, ttl = 64): Uint8Array {
  return concat(...labels.map((label, i) => u32(((label << 12) | (i === labels.length - 1 ? 0x100 : 0) | ttl) >>> 0)), payload);
}

export interface PppOptions {
  /** FF 03 in front (no address-and-control-field compression). */
  addressControl?: boolean;
  /** One-byte protocol field (protocol-field compression). */
  compressProtocol?: boolean;
}

/** A PPP frame carrying an IP packet (protocol 0x21 or 0x57 from the version nibble). */
export function ppp(ip: Uint8Array, o: PppOptions = {}): Uint8Array {
  const protocol = ip[0]! >> 4 === 6 ? 0x57 : 0x21;
  const head = o.addressControl ? [0xff, 0x03] : [];
  const proto = o.compressProtocol ? [protocol] : [0x00, protocol];
  return concat(Uint8Array.from([...head, ...proto]), ip);
}

/** A PPPoE session-stage header before a PPP frame (without address and control). */
export function pppoeSession(session: number, pppFrame: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x11, 0x00), u16(session), u16(pppFrame.length), pppFrame);
}

export interface L2tpOptions {
  tunnel: number;
  session: number;
  length?: boolean;
  /** Ns and Nr. */
  sequence?: [number, number];
  /** Offset padding bytes (an offset size field is written when given). */
  offset?: number;
}

/** An L2TPv2 data message header before a PPP frame. */
export function l2tp(o: L2tpOptions, pppFrame: Uint8Array): Uint8Array {
  const flags = (o.length ? 0x4000 : 0) | (o.sequence ? 0x0800 : 0) | (o.offset !== undefined ? 0x0200 : 0) | 2;
  const rest: Uint8Array[] = [u16(o.tunnel), u16(o.session)];
  if (o.sequence) rest.push(u16(o.sequence[0]), u16(o.sequence[1]));
  if (o.offset !== undefined) rest.push(u16(o.offset), new Uint8Array(o.offset));
  const body = concat(...rest, pppFrame);
  return o.length ? concat(u16(flags), u16(4 + body.length), body) : concat(u16(flags), body);
}

export interface GtpUOptions {
  teid: number;
  sequence?: number;
  /** Extension headers: type and content (content padded so that length+content+next is a multiple of 4). */
  extensions?: { type: number; content: Uint8Array }[];
}

/** A GTP-U G-PDU header before a user IP packet. */
export function gtpU(o: GtpUOptions, ip: Uint8Array): Uint8Array {
  const exts = o.extensions ?? [];
  const optional = o.sequence !== undefined || exts.length > 0;
  const flags = 0x30 | (exts.length > 0 ? 0x04 : 0) | (o.sequence !== undefined ? 0x02 : 0);
  const parts: Uint8Array[] = [];
  if (optional) parts.push(u16(o.sequence ?? 0), Uint8Array.of(0, exts[0]?.type ?? 0));
  exts.forEach((e, i) => {
    const units = Math.ceil((e.content.length + 2) / 4);
    const body = new Uint8Array(units * 4);
    body[0] = units;
    body.set(e.content, 1);
    body[body.length - 1] = exts[i + 1]?.type ?? 0;
    parts.push(body);
  });
  const rest = concat(...parts, ip);
  return concat(Uint8Array.of(flags, 0xff), u16(rest.length), u32(o.teid), rest);
}

/** An outer IPv4 or IPv6 header (by the addresses) with protocol `protocol`. */
export function outerIp(src: string, dst: string, protocol: number, payload: Uint8Array): Uint8Array {
  return src.includes(':')
    ? ipv6Packet({ src, dst, protocol }, payload)
    : ipv4Datagram({ src, dst, protocol, id: 0 }, payload);
}
