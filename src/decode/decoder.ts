/**
 * Turns captured packets into TCP segments on the ports the caller wants.
 *
 * This runs once per packet of captures that can be gigabytes long, so every
 * check that can reject a packet (link type, EtherType, IP version and
 * protocol, header lengths, TCP ports) comes before anything is allocated:
 * a packet on another port costs a counter increment and nothing else. Only a
 * wanted segment gets an object and address strings. Fragments are the
 * exception: they are rare, and reassembling them needs copies.
 *
 * Every packet that yields no segment is counted once in `skipped`, under the
 * first problem found, layer by layer (see `skip-reasons.ts`).
 *
 * Tunnels (GRE, ERSPAN, VXLAN, Geneve, MPLS, PPPoE, L2TP, PPP, GTP-U, IP in
 * IP) are unwrapped wherever they appear: a layer that carries another packet
 * hands it back to `network()`, with the layer noted in `path`. Every such
 * step enters a layer, and `path` refuses a ninth, so the nesting (and the
 * recursion that follows it) is bounded. TCP packets outside tunnels never
 * reach that code: only a non-TCP protocol number leads there.
 */
import type { Packet } from '../capture/packet.js';
import type { Segment } from './segment.js';
import { Ipv4TextCache, ipv6Text } from './address-text.js';
import { FragmentReassembler, type FragmentOutcome } from './fragment-reassembly.js';
import { locateInEthernet, locateNetwork, NEXT_MPLS, NEXT_PPP, NEXT_PPPOE, type NetworkLocation } from './link-layer.js';
import { NO_TUNNEL_ID, TunnelPath, type EncapsulationName } from './tunnel-path.js';
import {
  NEXT_ERSPAN_II, NEXT_ERSPAN_III, NEXT_ETHERNET, missingHeader, readU16, readU32, type CarriedLayer, type TunnelInner,
} from './tunnel-header.js';
import { IPPROTO_GRE, readGre } from './gre.js';
import { readErspanII, readErspanIII } from './erspan.js';
import { IPPROTO_MPLS, readMpls } from './mpls.js';
import { readPpp } from './ppp.js';
import { readPppoe } from './pppoe.js';
import { udpTunnelAt } from './udp-tunnels.js';
import { IgnoredFlows } from './ignored-flows.js';
import { flowHash } from './flow-hash.js';

export interface DecoderOptions {
  /** True for a TCP port whose segments should be kept (either end may match). Asked once per port: it must always give the same answer. */
  wantPort(port: number): boolean;
  /**
   * Content detection: segments on every other port are kept too, except
   * those of flows handed to `ignoreLastFlow()` (counted as `not-pop3`).
   */
  detect?: boolean;
  /** Flows remembered by `ignoreLastFlow()`. Default 100 000. */
  maxIgnoredFlows?: number;
  /** Largest reassembled IP payload, in bytes. Default 65535. */
  maxFragmentBytes?: number;
  /** Datagrams reassembled at once, per IP version. Default 256. */
  maxFragmentSets?: number;
  /** Capture-time seconds a fragmented datagram may take to complete. Default 30 (as Linux). */
  fragmentTimeoutSec?: number;
}

export const DEFAULT_MAX_FRAGMENT_BYTES = 65535;
export const DEFAULT_MAX_FRAGMENT_SETS = 256;
export const DEFAULT_FRAGMENT_TIMEOUT_SEC = 30;

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_IPIP = 4;
const IPPROTO_IPV6 = 41;

/** IP protocols that may carry a tunnel: the only non-TCP packets read further. */
function mayTunnel(protocol: number): boolean {
  return protocol === IPPROTO_UDP || protocol === IPPROTO_GRE || protocol === IPPROTO_IPIP ||
    protocol === IPPROTO_IPV6 || protocol === IPPROTO_MPLS;
}

/** IPv6 headers that carry (next header, length in 8-octet units beyond the first). */
function isGenericExtension(next: number): boolean {
  // hop-by-hop, routing, destination options, mobility, HIP, shim6, experimental.
  return next === 0 || next === 43 || next === 60 || next === 135 || next === 139 ||
    next === 140 || next === 253 || next === 254;
}
const WANTED = 1;
const NOT_WANTED = 2;
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;
const TCP_SYN_ONLY = 0x02;
const TCP_SYN_ACK_MASK = 0x12;

export class PacketDecoder {
  /** Packets (and, for `*-fragments-incomplete`, datagrams) that gave no segment, by reason, since the last `takeSkipped()`. */
  skipped: Record<string, number> = {};

  private readonly wantPort: (port: number) => boolean;
  /** Per port number: 0 not asked yet, WANTED or NOT_WANTED. */
  private readonly portAnswers = new Uint8Array(65536);
  private readonly where: NetworkLocation = { offset: 0, version: 0 };
  private readonly v4Fragments: FragmentReassembler;
  private readonly v6Fragments: FragmentReassembler;
  private readonly unknownLinkReasons = new Map<number, string>();
  /** The tunnel layers of the packet being decoded. */
  private readonly path = new TunnelPath();
  private readonly inner: TunnelInner = { offset: 0, end: 0, next: 0, id: NO_TUNNEL_ID };
  private readonly detect: boolean;
  private readonly ignored: IgnoredFlows;
  private readonly ipv4Texts = new Ipv4TextCache();
  /** The last segment made belongs to a flow `ignoreLastFlow()` may add (a candidate for detection). */
  private lastFlowLoaded = false;

  constructor(options: DecoderOptions) {
    this.wantPort = options.wantPort;
    this.detect = options.detect ?? false;
    this.ignored = new IgnoredFlows(options.maxIgnoredFlows ?? 100_000);
    const limits = {
      maxBytes: options.maxFragmentBytes ?? DEFAULT_MAX_FRAGMENT_BYTES,
      maxSets: options.maxFragmentSets ?? DEFAULT_MAX_FRAGMENT_SETS,
      timeoutSec: options.fragmentTimeoutSec ?? DEFAULT_FRAGMENT_TIMEOUT_SEC,
    };
    const count = (reason: string): void => {
      this.skip(reason);
    };
    this.v4Fragments = new FragmentReassembler('ipv4', limits, count);
    this.v6Fragments = new FragmentReassembler('ipv6', limits, count);
  }

  /** The segment in `p`, or null when it holds none worth keeping (the reason is counted). */
  decode(p: Packet): Segment | null {
    const b = p.data;
    this.path.reset();
    const reason = locateNetwork(p.linkType, b, this.where);
    if (reason !== null) {
      return this.skip(reason === 'unknown-link-type' ? this.unknownLink(p.linkType) : reason);
    }
    return this.network(p, b, this.where.offset, Math.max(p.origLen, b.length), this.where.version);
  }

  /**
   * The common case of a packet that yields nothing, decided from the record's bytes
   * `b[start, start + length)` before the capture layer makes a view of them: a frame
   * of any link type `locateNetwork()` reads (VLAN tags included) holding a whole,
   * unfragmented IPv4 datagram or an IPv6 packet without extension headers (not
   * tunnelled, not under MPLS or PPP), that is TCP between ports
   * nobody wants (on a flow content detection already turned down, with detection on)
   * or UDP to no tunnel port. True when it is skipped (and counted, under the reason
   * `decode()` would give); false leaves the packet to `decode()`, which handles every
   * other case, malformed ones included.
   */
  dismiss(linkType: number, b: Uint8Array, start: number, length: number): boolean {
    const end = start + length;
    const where = this.where;
    if (locateNetwork(linkType, b, where, start, end) !== null) return false;
    const off = where.offset;
    // The smallest IP header and TCP header, before any of them is read.
    if (off + 40 > end) return false;
    const version = where.version === 0 ? b[off]! >> 4 : where.version;
    let protocol: number;
    let t: number;
    let datagramEnd: number;
    let addrLength: number;
    if (version === 4) {
      const vihl = b[off]!;
      const ihl = (vihl & 0x0f) * 4;
      const total = (b[off + 2]! << 8) | b[off + 3]!;
      // Version 4, a sane header, the whole datagram captured, not a fragment.
      if (vihl >> 4 !== 4 || ihl < 20 || total < ihl || off + total > end || ((b[off + 6]! & 0x3f) | b[off + 7]!) !== 0) return false;
      protocol = b[off + 9]!;
      t = off + ihl;
      datagramEnd = off + total;
      addrLength = 4;
    } else if (version === 6) {
      const payloadLength = (b[off + 4]! << 8) | b[off + 5]!;
      // Version 6, a length (not a jumbogram or offload), the whole packet captured.
      if (b[off]! >> 4 !== 6 || payloadLength === 0 || off + 40 + payloadLength > end) return false;
      protocol = b[off + 6]!;
      t = off + 40;
      datagramEnd = t + payloadLength;
      addrLength = 16;
    } else {
      return false;
    }
    if (protocol === IPPROTO_UDP) {
      if (t + 8 > datagramEnd || udpTunnelAt(b, t) !== null) return false;
      this.skip('non-tcp');
      return true;
    }
    if (protocol !== IPPROTO_TCP || t + 20 > datagramEnd) return false;
    const headerLength = (b[t + 12]! >> 4) * 4;
    if (headerLength < 20 || t + headerLength > datagramEnd || this.portsWanted(b, t)) return false;
    if (!this.detect) {
      this.skip('other-port');
      return true;
    }
    if (this.ignored.size === 0 || (b[t + 13]! & TCP_SYN_ACK_MASK) === TCP_SYN_ONLY) return false;
    // Both addresses sit 12 (IPv4) or 8 (IPv6) bytes into the IP header.
    this.ignored.load(b, addrLength === 4 ? off + 12 : off + 8, addrLength, b, t, 0);
    if (!this.ignored.hasLoaded()) return false;
    this.skip('not-pop3');
    return true;
  }

  /**
   * The flow of the segment just returned is not wanted (content detection
   * found it is not POP3): its later packets are skipped here as `not-pop3`.
   * Only flows on non-POP3 ports are remembered.
   */
  ignoreLastFlow(): void {
    if (this.lastFlowLoaded) this.ignored.addLoaded();
    this.lastFlowLoaded = false;
  }

  /** Fragmented datagrams held, waiting for their missing fragments (bounded by `maxFragmentSets` per IP version). */
  get fragmentsPending(): number {
    return this.v4Fragments.pending + this.v6Fragments.pending;
  }

  /** End of input: datagrams still missing fragments are counted as incomplete. */
  finish(): void {
    this.v4Fragments.finish();
    this.v6Fragments.finish();
  }

  /**
   * The layer `kind` at `off`, in a packet that ends at `wireEnd` on the wire
   * (past the captured bytes when the snapshot length cut it).
   */
  private network(p: Packet, b: Uint8Array, off: number, wireEnd: number, kind: CarriedLayer): Segment | null {
    if (kind === 4) return this.ipv4(p, b, off, wireEnd);
    if (kind === 6) return this.ipv6(p, b, off, wireEnd);
    if (kind === 0) {
      // Raw IP: the version nibble says which.
      if (off >= b.length) return this.skip(off < wireEnd ? 'truncated-ip-header' : 'malformed-ip');
      const version = b[off]! >> 4;
      if (version === 4) return this.ipv4(p, b, off, wireEnd);
      if (version === 6) return this.ipv6(p, b, off, wireEnd);
      return this.skip('non-ip');
    }
    return this.belowIp(p, b, off, wireEnd, kind);
  }

  /** MPLS, PPPoE, PPP, a tunnelled Ethernet frame, ERSPAN: find the packet they carry. */
  private belowIp(p: Packet, b: Uint8Array, off: number, wireEnd: number, kind: CarriedLayer): Segment | null {
    const inner = this.inner;
    let reason: string | null;
    switch (kind) {
      case NEXT_ETHERNET:
        reason = locateInEthernet(b, off, wireEnd, this.where);
        if (reason !== null) return this.skip(reason);
        return this.network(p, b, this.where.offset, wireEnd, this.where.version);
      case NEXT_PPP:
        reason = readPpp(b, off, wireEnd, inner);
        break;
      case NEXT_MPLS:
        if (!this.path.enter('mpls', NO_TUNNEL_ID, null, 0, false)) return this.skip('encapsulation-too-deep');
        reason = readMpls(b, off, wireEnd, inner);
        break;
      case NEXT_PPPOE:
        reason = readPppoe(b, off, wireEnd, inner);
        if (reason !== null) return this.skip(reason);
        // PPPoE carries PPP, which the path shows as a layer of its own.
        if (!this.path.enter('pppoe', inner.id, null, 0, false) || !this.path.enter('ppp', NO_TUNNEL_ID, null, 0, false)) {
          return this.skip('encapsulation-too-deep');
        }
        return this.network(p, b, inner.offset, inner.end, inner.next);
      case NEXT_ERSPAN_II:
      case NEXT_ERSPAN_III:
        reason = kind === NEXT_ERSPAN_II ? readErspanII(b, off, wireEnd, inner) : readErspanIII(b, off, wireEnd, inner);
        if (reason !== null) return this.skip(reason);
        if (!this.path.enter('erspan', inner.id, null, 0, false)) return this.skip('encapsulation-too-deep');
        break;
      default:
        return this.skip('non-ip');
    }
    if (reason !== null) return this.skip(reason);
    return this.network(p, b, inner.offset, inner.end, inner.next);
  }

  /**
   * A tunnel protocol's payload at `pos` inside the IP datagram whose
   * addresses sit at `srcAt` in `addr`: GRE, IP in IP, MPLS in IP, or UDP to
   * a tunnel port. Anything else is not TCP.
   */
  private tunnel(
    p: Packet, b: Uint8Array, pos: number, end: number, protocol: number, addr: Uint8Array, srcAt: number, v6: boolean,
  ): Segment | null {
    const inner = this.inner;
    let name: EncapsulationName;
    let reason: string | null;
    switch (protocol) {
      case IPPROTO_IPIP:
      case IPPROTO_IPV6: {
        const four = protocol === IPPROTO_IPIP;
        name = v6 ? (four ? '4in6' : '6in6') : (four ? 'ipip' : '6in4');
        inner.offset = pos;
        inner.end = end;
        inner.next = four ? 4 : 6;
        inner.id = NO_TUNNEL_ID;
        reason = null;
        break;
      }
      case IPPROTO_GRE:
        name = 'gre';
        reason = readGre(b, pos, end, inner);
        break;
      case IPPROTO_MPLS:
        // Entered here, not where MPLS on a link is: labels are per hop, the outer addresses tell tunnels apart.
        name = 'mpls';
        reason = readMpls(b, pos, end, inner);
        break;
      case IPPROTO_UDP: {
        const short = missingHeader(b, pos, 8, end, 'malformed-udp');
        if (short !== null) return this.skip(short);
        const tunnel = udpTunnelAt(b, pos);
        if (tunnel === null) return this.skip('non-tcp');
        const udpLength = readU16(b, pos + 4);
        if (udpLength < 8 || pos + udpLength > end) return this.skip('malformed-udp');
        name = tunnel.name;
        reason = tunnel.read(b, pos + 8, pos + udpLength, inner);
        break;
      }
      default:
        return this.skip('non-tcp');
    }
    if (reason !== null) return this.skip(reason);
    if (!this.path.enter(name, inner.id, addr, srcAt, v6)) return this.skip('encapsulation-too-deep');
    // L2TP carries PPP, which the path shows as a layer of its own.
    if (name === 'l2tp' && !this.path.enter('ppp', NO_TUNNEL_ID, null, 0, false)) return this.skip('encapsulation-too-deep');
    return this.network(p, b, inner.offset, inner.end, inner.next);
  }

  private ipv4(p: Packet, b: Uint8Array, off: number, wireEnd: number): Segment | null {
    const len = b.length;
    if (off + 20 > len) return this.skip(off + 20 <= wireEnd ? 'truncated-ip-header' : 'malformed-ipv4');
    if (b[off]! >> 4 !== 4) return this.skip('malformed-ipv4');
    const ihl = (b[off]! & 0x0f) * 4;
    if (ihl < 20) return this.skip('malformed-ipv4');
    if (off + ihl > len) return this.skip(off + ihl <= wireEnd ? 'truncated-ip-header' : 'malformed-ipv4');
    let total = (b[off + 2]! << 8) | b[off + 3]!;
    // Zero: segmentation offload left the length to the hardware; the frame holds it all.
    if (total === 0) total = offloadedEnd(len, wireEnd, off) - off;
    else if (total < ihl) return this.skip('malformed-ipv4');
    const protocol = b[off + 9]!;
    if (protocol !== IPPROTO_TCP && !mayTunnel(protocol)) return this.skip('non-tcp');
    // The frame may be longer (Ethernet padding, a trailer) or, if the header lies, shorter.
    const end = Math.min(off + total, wireEnd);

    const flagsAndOffset = (b[off + 6]! << 8) | b[off + 7]!;
    const more = (flagsAndOffset & 0x2000) !== 0;
    const fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
    if (more || fragmentOffset !== 0) return this.ipv4Fragment(p, b, off, ihl, end, fragmentOffset, more);
    if (protocol === IPPROTO_TCP) return this.tcp(p, b, off + ihl, end, b, off + 12, false);
    return this.tunnel(p, b, off + ihl, end, protocol, b, off + 12, false);
  }

  /** Should the datagram whose first fragment holds this payload be reassembled? */
  private fragmentWanted(b: Uint8Array, t: number, protocol: number): boolean {
    if (protocol === IPPROTO_TCP) return this.portsWanted(b, t);
    return protocol !== IPPROTO_UDP || udpTunnelAt(b, t) !== null;
  }

  /**
   * The reassembly key of a fragment: inside a tunnel, fragments belong to
   * that tunnel too (two tenants may use the same inner addresses and ids).
   */
  private fragmentKey(key: string): string {
    return this.path.depth === 0 ? key : `${key}@${this.path.identity()}`;
  }

  private ipv4Fragment(
    p: Packet, b: Uint8Array, off: number, ihl: number, end: number, fragmentOffset: number, more: boolean,
  ): Segment | null {
    const time = p.sec + p.nsec / 1e9;
    this.v4Fragments.expire(time);
    // RFC 791: fragments belong together by source, destination, protocol and identification.
    const src = readU32(b, off + 12);
    const dst = readU32(b, off + 16);
    const id = (b[off + 4]! << 8) | b[off + 5]!;
    const protocol = b[off + 9]!;
    const key = this.fragmentKey(`${src}>${dst}#${id}/${protocol}`);
    const set = this.v4Fragments.setFor(key, time, b.subarray(off + 12, off + 20), protocol);
    const t = off + ihl;
    const captured = Math.min(end, b.length);
    if (fragmentOffset === 0 && set.discard === null && t + 4 <= captured && !this.fragmentWanted(b, t, protocol)) {
      this.v4Fragments.discard(set, protocol === IPPROTO_TCP ? 'other-port' : 'non-tcp');
    }
    const outcome = this.v4Fragments.add(key, set, fragmentOffset, b.subarray(t, captured), end - t, more);
    if (outcome.kind === 'complete') {
      const payload = outcome.payload;
      if (protocol === IPPROTO_TCP) return this.tcp(p, payload, 0, payload.length, outcome.set.addresses, 0, false);
      return this.tunnel(p, payload, 0, payload.length, protocol, outcome.set.addresses, 0, false);
    }
    return this.skipFragment(outcome, 'ipv4-fragment');
  }

  private ipv6(p: Packet, b: Uint8Array, off: number, wireEnd: number): Segment | null {
    const len = b.length;
    if (off + 40 > len) return this.skip(off + 40 <= wireEnd ? 'truncated-ip-header' : 'malformed-ipv6');
    if (b[off]! >> 4 !== 6) return this.skip('malformed-ipv6');
    const payloadLength = (b[off + 4]! << 8) | b[off + 5]!;
    // Zero: a jumbogram or segmentation offload; the frame holds it all.
    const end = payloadLength === 0 ? offloadedEnd(len, wireEnd, off + 40) : Math.min(off + 40 + payloadLength, wireEnd);
    return this.ipv6Headers(p, b, off + 40, b[off + 6]!, end, b, off + 8, false);
  }

  /**
   * Walks the IPv6 header chain from `pos` (whose type is `next`) to TCP.
   * `addr` holds source then destination at `srcAt`; `reassembled` is true
   * for a payload rebuilt from fragments, which must not be fragmented again.
   */
  private ipv6Headers(
    p: Packet, b: Uint8Array, pos: number, next: number, end: number,
    addr: Uint8Array, srcAt: number, reassembled: boolean,
  ): Segment | null {
    for (;;) {
      if (next === IPPROTO_TCP) return this.tcp(p, b, pos, end, addr, srcAt, true);
      let headerLength: number;
      if (isGenericExtension(next) || next === IPV6_AH) {
        if (pos + 8 > end) return this.skip('malformed-ipv6');
        if (pos + 2 > b.length) return this.skip('truncated-ip-header');
        // AH counts its length in 4-octet units less two; the others in 8-octet units less one.
        headerLength = next === IPV6_AH ? (b[pos + 1]! + 2) * 4 : (b[pos + 1]! + 1) * 8;
      } else if (next === IPV6_FRAGMENT) {
        headerLength = 8;
      } else {
        return this.tunnel(p, b, pos, end, next, addr, srcAt, true);
      }
      if (pos + headerLength > end) return this.skip('malformed-ipv6');
      if (pos + headerLength > b.length) return this.skip('truncated-ip-header');

      if (next === IPV6_FRAGMENT) {
        const field = (b[pos + 2]! << 8) | b[pos + 3]!;
        const fragmentOffset = field & 0xfff8;
        const more = (field & 1) !== 0;
        // An atomic fragment (RFC 6946) is a whole datagram: carry on.
        if (fragmentOffset !== 0 || more) {
          if (reassembled) return this.skip('malformed-ipv6');
          return this.ipv6Fragment(p, b, pos, end, addr, srcAt, fragmentOffset, more);
        }
      }
      next = b[pos]!;
      pos += headerLength;
    }
  }

  private ipv6Fragment(
    p: Packet, b: Uint8Array, pos: number, end: number, addr: Uint8Array, srcAt: number,
    fragmentOffset: number, more: boolean,
  ): Segment | null {
    const inner = b[pos]!;
    if (inner !== IPPROTO_TCP && !isGenericExtension(inner) && inner !== IPV6_AH && !mayTunnel(inner)) {
      return this.skip('non-tcp');
    }
    const time = p.sec + p.nsec / 1e9;
    this.v6Fragments.expire(time);
    // RFC 8200 §4.5: fragments belong together by source, destination and identification.
    const addresses = addr.subarray(srcAt, srcAt + 32);
    const key = this.fragmentKey(`${Array.prototype.join.call(addresses, '.')}#${readU32(b, pos + 4)}`);
    const set = this.v6Fragments.setFor(key, time, addresses, inner);
    const t = pos + 8;
    const captured = Math.min(end, b.length);
    if (fragmentOffset === 0 && (inner === IPPROTO_TCP || inner === IPPROTO_UDP) && set.discard === null &&
      t + 4 <= captured && !this.fragmentWanted(b, t, inner)) {
      this.v6Fragments.discard(set, inner === IPPROTO_TCP ? 'other-port' : 'non-tcp');
    }
    const outcome = this.v6Fragments.add(key, set, fragmentOffset, b.subarray(t, captured), end - t, more);
    if (outcome.kind === 'complete') {
      const payload = outcome.payload;
      return this.ipv6Headers(p, payload, 0, outcome.set.protocol, payload.length, outcome.set.addresses, 0, true);
    }
    return this.skipFragment(outcome, 'ipv6-fragment');
  }

  /**
   * The TCP header at `t`, in a datagram that ends at `end` (which may lie
   * past the captured bytes when the snapshot length cut the packet).
   */
  private tcp(
    p: Packet, b: Uint8Array, t: number, end: number, addr: Uint8Array, srcAt: number, v6: boolean,
  ): Segment | null {
    const len = b.length;
    if (t + 20 > end) return this.skip('malformed-tcp');
    if (t + 20 > len) return this.skip('truncated-tcp-header');
    const headerLength = (b[t + 12]! >> 4) * 4;
    if (headerLength < 20 || t + headerLength > end) return this.skip('malformed-tcp');
    if (t + headerLength > len) return this.skip('truncated-tcp-header');
    this.lastFlowLoaded = false;
    const tunnelled = this.path.depth > 0;
    const tunnelNumber = tunnelled ? this.path.numericIdentity() : 0;
    if (!this.portsWanted(b, t)) {
      if (!this.detect) return this.skip('other-port');
      // A candidate for content detection, unless its flow was already judged.
      this.ignored.load(addr, srcAt, v6 ? 16 : 4, b, t, tunnelNumber);
      if (this.ignored.size > 0 && this.ignored.hasLoaded()) {
        // A new SYN starts a connection worth judging again.
        if ((b[t + 13]! & TCP_SYN_ACK_MASK) !== TCP_SYN_ONLY) return this.skip('not-pop3');
        this.ignored.deleteLoaded();
      }
      this.lastFlowLoaded = true;
    }

    const start = t + headerLength;
    const captured = Math.min(end, len);
    return {
      frame: p.frame,
      sec: p.sec,
      nsec: p.nsec,
      src: v6 ? ipv6Text(addr, srcAt) : this.ipv4Texts.text(addr, srcAt),
      dst: v6 ? ipv6Text(addr, srcAt + 16) : this.ipv4Texts.text(addr, srcAt + 4),
      srcPort: (b[t]! << 8) | b[t + 1]!,
      dstPort: (b[t + 2]! << 8) | b[t + 3]!,
      seq: readU32(b, t + 4),
      ack: readU32(b, t + 8),
      flags: b[t + 13]!,
      window: (b[t + 14]! << 8) | b[t + 15]!,
      payload: new Uint8Array(b.buffer, b.byteOffset + start, Math.max(0, captured - start)),
      missing: end - captured,
      encapsulation: tunnelled ? this.path.encapsulation() : null,
      tunnel: tunnelled ? this.path.identity() : '',
      flow: flowHash(addr, srcAt, v6 ? 16 : 4, b, t, tunnelNumber),
    };
  }

  private portsWanted(b: Uint8Array, t: number): boolean {
    return this.wanted((b[t]! << 8) | b[t + 1]!) || this.wanted((b[t + 2]! << 8) | b[t + 3]!);
  }

  /** `wantPort`, asked once per port number and remembered: it runs twice for every TCP packet. */
  private wanted(port: number): boolean {
    let answer = this.portAnswers[port]!;
    if (answer === 0) {
      answer = this.wantPort(port) ? WANTED : NOT_WANTED;
      this.portAnswers[port] = answer;
    }
    return answer === WANTED;
  }

  private skipFragment(outcome: FragmentOutcome, held: string): null {
    return this.skip(outcome.kind === 'discarded' ? outcome.reason : held);
  }

  /** The counts so far; counting starts again from none (each input of an analysis reports its own). */
  takeSkipped(): Record<string, number> {
    const taken = this.skipped;
    this.skipped = {};
    return taken;
  }

  private skip(reason: string): null {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
    return null;
  }

  private unknownLink(linkType: number): string {
    let reason = this.unknownLinkReasons.get(linkType);
    if (reason === undefined) {
      reason = `unknown-link-type:${linkType}`;
      this.unknownLinkReasons.set(linkType, reason);
    }
    return reason;
  }
}
/**
 * Where a datagram whose IP length field is zero (segmentation offload, a
 * jumbogram) ends: all the captured bytes (offload can exceed 64 KiB), but of
 * bytes the record only claims (its original length, which a damaged or hostile
 * record sets to 4 GiB) no more than a 16-bit length field could have said.
 */
function offloadedEnd(captured: number, wireEnd: number, start: number): number {
  return Math.max(captured, Math.min(wireEnd, start + 0xffff));
}
