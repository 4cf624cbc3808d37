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
 */
import type { Packet } from '../capture/packet.js';
import type { Segment } from './segment.js';
import { ipv4Text, ipv6Text } from './address-text.js';
import { FragmentReassembler, type FragmentOutcome } from './fragment-reassembly.js';
import { locateNetwork, type NetworkLocation } from './link-layer.js';

export interface DecoderOptions {
  /** True for a TCP port whose segments should be kept (either end may match). Asked once per port: it must always give the same answer. */
  wantPort(port: number): boolean;
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

export class PacketDecoder {
  /** Packets (and, for `*-fragments-incomplete`, datagrams) that gave no segment, by reason. */
  readonly skipped: Record<string, number> = {};

  private readonly wantPort: (port: number) => boolean;
  /** Per port number: 0 not asked yet, WANTED or NOT_WANTED. */
  private readonly portAnswers = new Uint8Array(65536);
  private readonly where: NetworkLocation = { offset: 0, version: 0 };
  private readonly v4Fragments: FragmentReassembler;
  private readonly v6Fragments: FragmentReassembler;
  private readonly unknownLinkReasons = new Map<number, string>();

  constructor(options: DecoderOptions) {
    this.wantPort = options.wantPort;
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
    const reason = locateNetwork(p.linkType, b, this.where);
    if (reason !== null) {
      return this.skip(reason === 'unknown-link-type' ? this.unknownLink(p.linkType) : reason);
    }
    const off = this.where.offset;
    let version: number = this.where.version;
    if (version === 0) {
      // Raw IP: the version nibble says which.
      if (off >= b.length) return this.skip('malformed-ip');
      version = b[off]! >> 4;
      if (version !== 4 && version !== 6) return this.skip('non-ip');
    }
    return version === 4 ? this.ipv4(p, b, off) : this.ipv6(p, b, off);
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

  private ipv4(p: Packet, b: Uint8Array, off: number): Segment | null {
    const len = b.length;
    const wireEnd = Math.max(p.origLen, len);
    if (off + 20 > len) return this.skip(off + 20 <= wireEnd ? 'truncated-ip-header' : 'malformed-ipv4');
    if (b[off]! >> 4 !== 4) return this.skip('malformed-ipv4');
    const ihl = (b[off]! & 0x0f) * 4;
    if (ihl < 20) return this.skip('malformed-ipv4');
    if (off + ihl > len) return this.skip(off + ihl <= wireEnd ? 'truncated-ip-header' : 'malformed-ipv4');
    let total = (b[off + 2]! << 8) | b[off + 3]!;
    // Zero: segmentation offload left the length to the hardware; the frame holds it all.
    if (total === 0) total = offloadedEnd(len, wireEnd, off) - off;
    else if (total < ihl) return this.skip('malformed-ipv4');
    if (b[off + 9] !== IPPROTO_TCP) return this.skip('non-tcp');
    // The frame may be longer (Ethernet padding, a trailer) or, if the header lies, shorter.
    const end = Math.min(off + total, wireEnd);

    const flagsAndOffset = (b[off + 6]! << 8) | b[off + 7]!;
    const more = (flagsAndOffset & 0x2000) !== 0;
    const fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
    if (more || fragmentOffset !== 0) return this.ipv4Fragment(p, b, off, ihl, end, fragmentOffset, more);
    return this.tcp(p, b, off + ihl, end, b, off + 12, false);
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
    const key = `${src}>${dst}#${id}/${b[off + 9]}`;
    const set = this.v4Fragments.setFor(key, time, b.subarray(off + 12, off + 20), b[off + 9]!);
    const t = off + ihl;
    const captured = Math.min(end, b.length);
    if (fragmentOffset === 0 && set.discard === null && t + 4 <= captured && !this.portsWanted(b, t)) {
      this.v4Fragments.discard(set, 'other-port');
    }
    const outcome = this.v4Fragments.add(key, set, fragmentOffset, b.subarray(t, captured), end - t, more);
    if (outcome.kind === 'complete') {
      return this.tcp(p, outcome.payload, 0, outcome.payload.length, outcome.set.addresses, 0, false);
    }
    return this.skipFragment(outcome, 'ipv4-fragment');
  }

  private ipv6(p: Packet, b: Uint8Array, off: number): Segment | null {
    const len = b.length;
    const wireEnd = Math.max(p.origLen, len);
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
        return this.skip('non-tcp');
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
    if (inner !== IPPROTO_TCP && !isGenericExtension(inner) && inner !== IPV6_AH) return this.skip('non-tcp');
    const time = p.sec + p.nsec / 1e9;
    this.v6Fragments.expire(time);
    // RFC 8200 §4.5: fragments belong together by source, destination and identification.
    const addresses = addr.subarray(srcAt, srcAt + 32);
    const key = `${Array.prototype.join.call(addresses, '.')}#${readU32(b, pos + 4)}`;
    const set = this.v6Fragments.setFor(key, time, addresses, inner);
    const t = pos + 8;
    const captured = Math.min(end, b.length);
    if (fragmentOffset === 0 && inner === IPPROTO_TCP && set.discard === null && t + 4 <= captured &&
      !this.portsWanted(b, t)) {
      this.v6Fragments.discard(set, 'other-port');
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
    if (!this.portsWanted(b, t)) return this.skip('other-port');

    const start = t + headerLength;
    const captured = Math.min(end, len);
    return {
      frame: p.frame,
      sec: p.sec,
      nsec: p.nsec,
      src: v6 ? ipv6Text(addr, srcAt) : ipv4Text(addr, srcAt),
      dst: v6 ? ipv6Text(addr, srcAt + 16) : ipv4Text(addr, srcAt + 4),
      srcPort: (b[t]! << 8) | b[t + 1]!,
      dstPort: (b[t + 2]! << 8) | b[t + 3]!,
      seq: readU32(b, t + 4),
      ack: readU32(b, t + 8),
      flags: b[t + 13]!,
      window: (b[t + 14]! << 8) | b[t + 15]!,
      payload: new Uint8Array(b.buffer, b.byteOffset + start, Math.max(0, captured - start)),
      missing: end - captured,
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

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
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
