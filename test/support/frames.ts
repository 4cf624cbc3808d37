/**
 * Hand-built frames for tests: a TCP segment in IPv4 or IPv6, over any link
 * layer the decoder reads, with VLAN tags, IP and TCP options, IPv6
 * extension headers, Ethernet padding, and IP fragments. Checksums are
 * filled in, so the frames also open cleanly in Wireshark.
 *
 * Written from the RFCs (791, 793, 8200) and libpcap's link-type list,
 * independently of the decoder.
 */

export type LinkKind = 'ethernet' | 'sll' | 'sll2' | 'raw' | 'null' | 'loop';

/** LINKTYPE_* value a capture writer should record for each link kind. */
export const LINK_TYPE: Record<LinkKind, number> = {
  ethernet: 1,
  sll: 113,
  sll2: 276,
  raw: 101,
  null: 0,
  loop: 108,
};

export interface Ipv6Extension {
  /** Header type: 0 hop-by-hop, 43 routing, 60 destination options, 51 AH. */
  type: number;
  /** Bytes after the (next header, length) pair; padded with zeros to the header's unit. */
  body?: Uint8Array;
}

export interface TcpFrameOptions {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  payload?: Uint8Array | string;
  /** Addresses are IPv6 (also implied by a ':' in `src`). */
  ipv6?: boolean;
  /** VLAN IDs, outermost first (Ethernet and SLL only). */
  vlan?: number[];
  /** TPID of each tag, outermost first; 0x8100 where not given. */
  vlanTpids?: number[];
  link?: LinkKind;
  /** Byte order of the NULL link's address family (the capturing host's). Default little-endian. */
  nullByteOrder?: 'le' | 'be';
  /** IPv6 family value for NULL/LOOP (24, 28 or 30). Default 30. */
  nullInet6?: number;
  /** IPv4 options, padded with zeros to a multiple of 4 bytes. */
  ipOptions?: Uint8Array;
  /** TCP options, padded with zeros to a multiple of 4 bytes. */
  tcpOptions?: Uint8Array;
  ipv6Extensions?: Ipv6Extension[];
  ipId?: number;
  ttl?: number;
  /** Bytes appended after the IP datagram (Ethernet padding or trailer). */
  trailer?: Uint8Array;
}

const encoder = new TextEncoder();

function bytes(x: Uint8Array | string | undefined): Uint8Array {
  if (x === undefined) return new Uint8Array(0);
  return typeof x === 'string' ? encoder.encode(x) : x;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function pad(x: Uint8Array, unit: number): Uint8Array {
  const n = Math.ceil(x.length / unit) * unit;
  if (n === x.length) return x;
  const out = new Uint8Array(n);
  out.set(x);
  return out;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, (v >>> 16) & 0xffff);
  put16(b, at + 2, v & 0xffff);
}

/** `a.b.c.d` to 4 bytes. */
export function ipv4Bytes(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !(n >= 0 && n <= 255))) throw new Error(`bad IPv4 ${text}`);
  return Uint8Array.from(parts);
}

/** IPv6 text (with at most one `::`, no dotted tail) to 16 bytes. */
export function ipv6Bytes(text: string): Uint8Array {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) throw new Error(`bad IPv6 ${text}`);
  const out = new Uint8Array(16);
  all.forEach((g, i) => put16(out, 2 * i, g));
  return out;
}

/** The one's-complement sum of RFC 1071, folded, not inverted. */
function sum16(data: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** A TCP header (with options) and payload, checksummed over the pseudo-header. */
export function tcpSegmentBytes(o: TcpFrameOptions): Uint8Array {
  const v6 = o.ipv6 ?? o.src.includes(':');
  const options = pad(bytes(o.tcpOptions), 4);
  const payload = bytes(o.payload);
  const h = new Uint8Array(20 + options.length);
  put16(h, 0, o.srcPort);
  put16(h, 2, o.dstPort);
  put32(h, 4, o.seq ?? 0);
  put32(h, 8, o.ack ?? 0);
  h[12] = (h.length / 4) << 4;
  h[13] = o.flags ?? 0x18;
  put16(h, 14, o.window ?? 65535);
  h.set(options, 20);
  const segment = concat(h, payload);
  const src = v6 ? ipv6Bytes(o.src) : ipv4Bytes(o.src);
  const dst = v6 ? ipv6Bytes(o.dst) : ipv4Bytes(o.dst);
  const pseudo = new Uint8Array(v6 ? 40 : 12);
  pseudo.set(src, 0);
  pseudo.set(dst, src.length);
  if (v6) {
    put32(pseudo, 32, segment.length);
    pseudo[39] = 6;
  } else {
    pseudo[9] = 6;
    put16(pseudo, 10, segment.length);
  }
  put16(segment, 16, ~sum16(segment, sum16(pseudo)) & 0xffff);
  return segment;
}

export interface Ipv4HeaderFields {
  src: string;
  dst: string;
  protocol?: number;
  id?: number;
  ttl?: number;
  options?: Uint8Array;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** In bytes; must be a multiple of 8. */
  fragmentOffset?: number;
  /** Override the total length field (for malformed frames). */
  totalLength?: number;
}

/** An IPv4 datagram (header with options, checksum) around `payload`. */
export function ipv4Datagram(f: Ipv4HeaderFields, payload: Uint8Array): Uint8Array {
  const options = pad(bytes(f.options), 4);
  const h = new Uint8Array(20 + options.length);
  h[0] = 0x40 | (h.length / 4);
  put16(h, 2, f.totalLength ?? h.length + payload.length);
  put16(h, 4, f.id ?? 0x1234);
  const offset = f.fragmentOffset ?? 0;
  if (offset % 8 !== 0) throw new Error('fragment offset must be a multiple of 8');
  put16(h, 6, (f.dontFragment ? 0x4000 : 0) | (f.moreFragments ? 0x2000 : 0) | (offset / 8));
  h[8] = f.ttl ?? 64;
  h[9] = f.protocol ?? 6;
  h.set(ipv4Bytes(f.src), 12);
  h.set(ipv4Bytes(f.dst), 16);
  h.set(options, 20);
  put16(h, 10, ~sum16(h) & 0xffff);
  return concat(h, payload);
}

/** An IPv6 extension header: next header, length, body padded to its unit. */
function extensionBytes(e: Ipv6Extension, next: number): Uint8Array {
  const ah = e.type === 51;
  const body = bytes(e.body);
  const total = ah ? Math.max(12, Math.ceil((2 + body.length) / 4) * 4) : Math.ceil((2 + body.length) / 8) * 8;
  const h = new Uint8Array(Math.max(total, 8));
  h[0] = next;
  h[1] = ah ? h.length / 4 - 2 : h.length / 8 - 1;
  h.set(body, 2);
  return h;
}

export interface Ipv6HeaderFields {
  src: string;
  dst: string;
  /** Type of the first header after the extensions (6 for TCP). */
  protocol?: number;
  hopLimit?: number;
  extensions?: Ipv6Extension[];
  /** Override the payload length field. */
  payloadLength?: number;
}

/** An IPv6 packet: fixed header, extension headers in order, then `payload`. */
export function ipv6Packet(f: Ipv6HeaderFields, payload: Uint8Array): Uint8Array {
  const exts = f.extensions ?? [];
  const chain: Uint8Array[] = [];
  for (let i = 0; i < exts.length; i++) {
    chain.push(extensionBytes(exts[i]!, i + 1 < exts.length ? exts[i + 1]!.type : (f.protocol ?? 6)));
  }
  const body = concat(...chain, payload);
  const h = new Uint8Array(40);
  h[0] = 0x60;
  put16(h, 4, f.payloadLength ?? body.length);
  h[6] = exts.length > 0 ? exts[0]!.type : (f.protocol ?? 6);
  h[7] = f.hopLimit ?? 64;
  h.set(ipv6Bytes(f.src), 8);
  h.set(ipv6Bytes(f.dst), 24);
  return concat(h, body);
}

export interface LinkOptions {
  link?: LinkKind;
  vlan?: number[];
  vlanTpids?: number[];
  nullByteOrder?: 'le' | 'be';
  nullInet6?: number;
  trailer?: Uint8Array;
}

/** Wraps an IP packet in the link layer's header (and any trailer). */
export function linkFrame(ip: Uint8Array, o: LinkOptions = {}): Uint8Array {
  const v6 = ip[0]! >> 4 === 6;
  const ethertype = v6 ? 0x86dd : 0x0800;
  const tags = (o.vlan ?? []).map((vid, i) => {
    const t = new Uint8Array(4);
    put16(t, 0, o.vlanTpids?.[i] ?? 0x8100);
    put16(t, 2, vid & 0x0fff);
    return t;
  });
  const type = new Uint8Array(2);
  put16(type, 0, ethertype);
  const trailer = o.trailer ?? new Uint8Array(0);
  const family = v6 ? (o.nullInet6 ?? 30) : 2;
  switch (o.link ?? 'ethernet') {
    case 'ethernet': {
      const macs = Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
      return concat(macs, ...tags, type, ip, trailer);
    }
    case 'sll': {
      const h = new Uint8Array(14);
      put16(h, 0, 0); // sent to us
      put16(h, 2, 1); // ARPHRD_ETHER
      put16(h, 4, 6);
      h.set([2, 0, 0, 0, 0, 1], 6);
      return concat(h, ...tags, type, ip, trailer);
    }
    case 'sll2': {
      const h = new Uint8Array(20);
      put16(h, 0, ethertype);
      put32(h, 4, 1); // interface index
      put16(h, 8, 1); // ARPHRD_ETHER
      h[10] = 0;
      h[11] = 6;
      h.set([2, 0, 0, 0, 0, 1], 12);
      return concat(h, ip, trailer);
    }
    case 'raw':
      return concat(ip, trailer);
    case 'null': {
      const h = new Uint8Array(4);
      if ((o.nullByteOrder ?? 'le') === 'le') h[0] = family;
      else h[3] = family;
      return concat(h, ip, trailer);
    }
    case 'loop': {
      const h = new Uint8Array(4);
      h[3] = family;
      return concat(h, ip, trailer);
    }
  }
}

/** One whole TCP segment in a frame of the chosen link layer. */
export function tcpFrame(o: TcpFrameOptions): Uint8Array {
  const v6 = o.ipv6 ?? o.src.includes(':');
  const segment = tcpSegmentBytes({ ...o, ipv6: v6 });
  const ip = v6
    ? ipv6Packet({ src: o.src, dst: o.dst, extensions: o.ipv6Extensions, ...(o.ttl !== undefined ? { hopLimit: o.ttl } : {}) }, segment)
    : ipv4Datagram({ src: o.src, dst: o.dst, options: o.ipOptions, id: o.ipId, ttl: o.ttl }, segment);
  return linkFrame(ip, o);
}

export interface FragmentOptions {
  /** Bytes of IP payload per fragment (a multiple of 8 except for the last). Default 16. */
  size?: number;
  /** Reorder or pick the fragments: indexes into the natural order. Default all, in order. */
  order?: number[];
}

/**
 * The TCP segment of `o` split into IPv4 fragments (one frame each), every
 * fragment `size` payload bytes but the last.
 */
export function ipv4Fragments(o: TcpFrameOptions, f: FragmentOptions = {}): Uint8Array[] {
  const segment = tcpSegmentBytes({ ...o, ipv6: false });
  const size = f.size ?? 16;
  const frames: Uint8Array[] = [];
  for (let at = 0; at < segment.length; at += size) {
    const part = segment.subarray(at, Math.min(at + size, segment.length));
    const ip = ipv4Datagram(
      { src: o.src, dst: o.dst, options: o.ipOptions, id: o.ipId ?? 0x4242, fragmentOffset: at, moreFragments: at + size < segment.length },
      part,
    );
    frames.push(linkFrame(ip, o));
  }
  return (f.order ?? frames.map((_, i) => i)).map((i) => frames[i]!);
}

/** One IPv4 fragment carrying arbitrary bytes at `offset`, for overlap tests. */
export function ipv4FragmentFrame(
  o: { src: string; dst: string; id: number; offset: number; more: boolean; protocol?: number } & LinkOptions,
  data: Uint8Array,
): Uint8Array {
  const ip = ipv4Datagram(
    { src: o.src, dst: o.dst, id: o.id, fragmentOffset: o.offset, moreFragments: o.more, protocol: o.protocol },
    data,
  );
  return linkFrame(ip, o);
}

/**
 * The TCP segment of `o` split into IPv6 fragments: the extension headers of
 * `o` stay in front (unfragmentable part), then a fragment header.
 */
export function ipv6Fragments(o: TcpFrameOptions, f: FragmentOptions & { id?: number } = {}): Uint8Array[] {
  const segment = tcpSegmentBytes({ ...o, ipv6: true });
  const size = f.size ?? 16;
  const frames: Uint8Array[] = [];
  for (let at = 0; at < segment.length; at += size) {
    const part = segment.subarray(at, Math.min(at + size, segment.length));
    const body = new Uint8Array(6);
    put16(body, 0, at | (at + size < segment.length ? 1 : 0));
    put32(body, 2, f.id ?? 0xdeadbeef);
    // The fragment header is fixed at 8 bytes with a reserved length byte of 0.
    const fragmentHeader: Ipv6Extension = { type: 44, body };
    const ip = ipv6Packet({ src: o.src, dst: o.dst, extensions: [...(o.ipv6Extensions ?? []), fragmentHeader] }, part);
    frames.push(linkFrame(ip, o));
  }
  return (f.order ?? frames.map((_, i) => i)).map((i) => frames[i]!);
}

/** A capture record around `data`, as the capture layer would hand it up. */
export function packetOf(
  data: Uint8Array,
  link: LinkKind | number = 'ethernet',
  o: { frame?: number; sec?: number; nsec?: number; origLen?: number } = {},
): import('../../src/capture/packet.js').Packet {
  return {
    frame: o.frame ?? 1,
    sec: o.sec ?? 1_700_000_000,
    nsec: o.nsec ?? 0,
    linkType: typeof link === 'number' ? link : LINK_TYPE[link],
    data,
    origLen: o.origLen ?? data.length,
    offset: 0,
  };
}
