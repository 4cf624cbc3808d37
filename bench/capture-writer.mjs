/**
 * Streams Ethernet/IPv4/IPv6/TCP/UDP packets into a classic pcap (µs) or
 * pcapng file. Packets are assembled straight into one multi-MiB block that is
 * written when full, so a capture of any size takes a few MiB of memory.
 * TCP and UDP checksums are left zero (readers do not check them by default);
 * the IPv4 header checksum is correct.
 */
import fs from 'node:fs';

export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

const CLIENT_MAC = Buffer.from([0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]);
const SERVER_MAC = Buffer.from([0x02, 0x00, 0x5e, 0x10, 0x00, 0x02]);

/**
 * @typedef {{ kind: 'vxlan'|'gretap', vni: number }} Tunnel
 * @typedef {{ v6: boolean, cip: Buffer, sip: Buffer, cport: number, sport: number, tunnel?: Tunnel }} Endpoints
 * A connection's addresses: client and server IP (4 or 16 bytes) and ports; `tunnel`: carried
 * over IPv4 between two tunnel endpoints in VXLAN (UDP 4789) or GRE transparent Ethernet bridging.
 */

/** The tunnel endpoints (the client's side first) as an Endpoints for the outer headers. */
const TUNNEL_ENDS = { v6: false, cip: Buffer.from([172, 16, 0, 1]), sip: Buffer.from([172, 16, 0, 2]), cport: 0, sport: 0 };
/** Bytes a tunnel adds in front of the inner Ethernet frame: Ethernet, IPv4, then UDP and VXLAN, or GRE. */
const TUNNEL_OVERHEAD = { vxlan: 14 + 20 + 8 + 8, gretap: 14 + 20 + 4 };

export class CaptureWriter {
  /**
   * @param {string} path
   * @param {'pcap'|'pcapng'} format
   * @param {{ blockSize?: number }} [opts]
   */
  constructor(path, format = 'pcap', opts = {}) {
    this.fd = fs.openSync(path, 'w');
    this.format = format;
    this.buf = Buffer.allocUnsafe(opts.blockSize ?? 8 << 20);
    this.pos = 0;
    this.packets = 0;
    this.packetsV6 = 0;
    /** bytes already written to the file */
    this.written = 0;
    /** what the file would weigh as classic pcap: lets both formats cut the same traffic at the same packet */
    this.pcapSize = 24;
    this.ipId = 0;
    if (format === 'pcap') {
      const h = this.take(24);
      this.buf.writeUInt32LE(0xa1b2c3d4, h);
      this.buf.writeUInt16LE(2, h + 4);
      this.buf.writeUInt16LE(4, h + 6);
      this.buf.writeInt32LE(0, h + 8);
      this.buf.writeUInt32LE(0, h + 12);
      this.buf.writeUInt32LE(262144, h + 16);
      this.buf.writeUInt32LE(1, h + 20);
    } else if (format === 'pcapng') {
      // Section Header Block, no options.
      let h = this.take(28);
      const b = this.buf;
      b.writeUInt32LE(0x0a0d0d0a, h); b.writeUInt32LE(28, h + 4); b.writeUInt32LE(0x1a2b3c4d, h + 8);
      b.writeUInt16LE(1, h + 12); b.writeUInt16LE(0, h + 14);
      b.writeInt32LE(-1, h + 16); b.writeInt32LE(-1, h + 20); b.writeUInt32LE(28, h + 24);
      // Interface Description Block: Ethernet, default µs resolution, no options.
      h = this.take(20);
      b.writeUInt32LE(1, h); b.writeUInt32LE(20, h + 4); b.writeUInt16LE(1, h + 8); b.writeUInt16LE(0, h + 10);
      b.writeUInt32LE(262144, h + 12); b.writeUInt32LE(20, h + 16);
    } else {
      throw new Error(`unknown format ${format}`);
    }
  }

  /** Bytes of the file so far (written plus buffered). */
  get size() { return this.written + this.pos; }

  /** Reserve n contiguous bytes in the block, flushing first if they do not fit. @param {number} n */
  take(n) {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  flush() {
    let off = 0;
    while (off < this.pos) off += fs.writeSync(this.fd, this.buf, off, this.pos - off);
    this.written += this.pos;
    this.pos = 0;
  }

  close() {
    this.flush();
    fs.closeSync(this.fd);
  }

  /**
   * Writes the record header for a frame of frameLen bytes; returns where the frame starts.
   * @param {number} tsUs timestamp in microseconds since the epoch
   * @param {number} frameLen
   */
  begin(tsUs, frameLen) {
    const b = this.buf;
    this.packets++;
    this.pcapSize += 16 + frameLen;
    if (this.format === 'pcap') {
      const at = this.take(16 + frameLen);
      b.writeUInt32LE(Math.floor(tsUs / 1e6), at);
      b.writeUInt32LE(tsUs % 1e6, at + 4);
      b.writeUInt32LE(frameLen, at + 8);
      b.writeUInt32LE(frameLen, at + 12);
      return at + 16;
    }
    const padded = (frameLen + 3) & ~3;
    const total = 32 + padded;
    const at = this.take(total);
    b.writeUInt32LE(6, at); b.writeUInt32LE(total, at + 4); b.writeUInt32LE(0, at + 8);
    b.writeUInt32LE(Math.floor(tsUs / 4294967296), at + 12); b.writeUInt32LE(tsUs % 4294967296, at + 16);
    b.writeUInt32LE(frameLen, at + 20); b.writeUInt32LE(frameLen, at + 24);
    if (padded > frameLen) b.fill(0, at + 28 + frameLen, at + 28 + padded);
    b.writeUInt32LE(total, at + 28 + padded);
    return at + 28;
  }

  /**
   * Ethernet + IP header; returns the offset of the transport header.
   * @param {number} p @param {Endpoints} f @param {boolean} fromClient @param {number} proto @param {number} l4Len
   */
  ipHeaders(p, f, fromClient, proto, l4Len) {
    const b = this.buf;
    (fromClient ? SERVER_MAC : CLIENT_MAC).copy(b, p);
    (fromClient ? CLIENT_MAC : SERVER_MAC).copy(b, p + 6);
    const src = fromClient ? f.cip : f.sip, dst = fromClient ? f.sip : f.cip;
    if (f.v6) {
      this.packetsV6++;
      b.writeUInt16BE(0x86dd, p + 12);
      p += 14;
      b.writeUInt32BE(0x60000000, p); b.writeUInt16BE(l4Len, p + 4); b[p + 6] = proto; b[p + 7] = 64;
      src.copy(b, p + 8); dst.copy(b, p + 24);
      return p + 40;
    }
    b.writeUInt16BE(0x0800, p + 12);
    p += 14;
    b[p] = 0x45; b[p + 1] = 0; b.writeUInt16BE(20 + l4Len, p + 2);
    this.ipId = (this.ipId + 1) & 0xffff;
    b.writeUInt16BE(this.ipId, p + 4); b.writeUInt16BE(0x4000, p + 6);
    b[p + 8] = 64; b[p + 9] = proto; b[p + 10] = 0; b[p + 11] = 0;
    src.copy(b, p + 12); dst.copy(b, p + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += (b[p + i] << 8) | b[p + i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b.writeUInt16BE(~sum & 0xffff, p + 10);
    return p + 20;
  }

  /**
   * One TCP segment (20-byte header, no options).
   * @param {number} tsUs @param {Endpoints} f @param {boolean} fromClient @param {number} flags
   * @param {number} seq @param {number} ack @param {Uint8Array|null} data
   */
  tcp(tsUs, f, fromClient, flags, seq, ack, data) {
    const len = data ? data.length : 0;
    const inner = 14 + (f.v6 ? 40 : 20) + 20 + len;
    const frameLen = f.tunnel ? TUNNEL_OVERHEAD[f.tunnel.kind] + inner : inner;
    let p = this.begin(tsUs, frameLen);
    if (f.tunnel) p = this.tunnelHeaders(p, f.tunnel, fromClient, inner);
    p = this.ipHeaders(p, f, fromClient, 6, 20 + len);
    const b = this.buf;
    b.writeUInt16BE(fromClient ? f.cport : f.sport, p);
    b.writeUInt16BE(fromClient ? f.sport : f.cport, p + 2);
    b.writeUInt32BE(seq >>> 0, p + 4);
    b.writeUInt32BE(ack >>> 0, p + 8);
    b[p + 12] = 0x50; b[p + 13] = flags;
    b.writeUInt32BE(0xffff0000, p + 14); // window 65535, checksum 0
    b.writeUInt16BE(0, p + 18);
    if (len) b.set(data, p + 20);
  }

  /**
   * The outer headers of a tunnelled frame; returns where the inner Ethernet frame starts.
   * @param {number} p @param {Tunnel} tunnel @param {boolean} fromClient @param {number} innerLen
   */
  tunnelHeaders(p, tunnel, fromClient, innerLen) {
    const b = this.buf;
    if (tunnel.kind === 'vxlan') {
      p = this.ipHeaders(p, TUNNEL_ENDS, fromClient, 17, 16 + innerLen);
      b.writeUInt16BE(49152 + (tunnel.vni & 0x3fff), p); b.writeUInt16BE(4789, p + 2);
      b.writeUInt16BE(16 + innerLen, p + 4); b.writeUInt16BE(0, p + 6);
      b.writeUInt32BE(0x08000000, p + 8); b.writeUInt32BE((tunnel.vni << 8) >>> 0, p + 12);
      return p + 16;
    }
    p = this.ipHeaders(p, TUNNEL_ENDS, fromClient, 47, 4 + innerLen);
    b.writeUInt32BE(0x00006558, p);
    return p + 4;
  }

  /**
   * One UDP datagram.
   * @param {number} tsUs @param {Endpoints} f @param {boolean} fromClient @param {Uint8Array} data
   */
  udp(tsUs, f, fromClient, data) {
    const frameLen = 14 + (f.v6 ? 40 : 20) + 8 + data.length;
    let p = this.begin(tsUs, frameLen);
    p = this.ipHeaders(p, f, fromClient, 17, 8 + data.length);
    const b = this.buf;
    b.writeUInt16BE(fromClient ? f.cport : f.sport, p);
    b.writeUInt16BE(fromClient ? f.sport : f.cport, p + 2);
    b.writeUInt16BE(8 + data.length, p + 4);
    b.writeUInt16BE(0, p + 6);
    b.set(data, p + 8);
    // A zero UDP checksum is illegal over IPv6, so compute it (datagrams here are small).
    const src = fromClient ? f.cip : f.sip, dst = fromClient ? f.sip : f.cip;
    const len = 8 + data.length;
    let sum = 17 + len;
    for (const a of [src, dst]) for (let i = 0; i < a.length; i += 2) sum += (a[i] << 8) | a[i + 1];
    for (let i = 0; i < len; i += 2) sum += (b[p + i] << 8) | (i + 1 < len ? b[p + i + 1] : 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b.writeUInt16BE((~sum & 0xffff) || 0xffff, p + 6);
  }
}

/** @param {number} a @param {number} b @param {number} c @param {number} d */
export function ipv4(a, b, c, d) { return Buffer.from([a, b, c, d]); }

/** 2001:db8:<g2>::<tail> as 16 bytes. @param {number} g2 @param {number} tail */
export function ipv6(g2, tail) {
  const x = Buffer.alloc(16);
  x.writeUInt16BE(0x2001, 0); x.writeUInt16BE(0x0db8, 2); x.writeUInt16BE(g2 & 0xffff, 4);
  x.writeUInt32BE(tail >>> 0, 12);
  return x;
}
