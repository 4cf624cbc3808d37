/**
 * GRE (RFC 2784, with RFC 2890's key and sequence number): the flags say
 * which optional words follow the 4-byte header; the protocol type says what
 * is carried: IPv4, IPv6, Ethernet (transparent bridging, 0x6558: gretap),
 * MPLS, or ERSPAN (0x88BE type I/II, 0x22EB type III).
 *
 * The key tells tunnels between the same two hosts apart. Version 1 (PPTP's
 * enhanced GRE) and RFC 1701 source routing are not read.
 */
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST, NEXT_MPLS } from './link-layer.js';
import {
  NEXT_ERSPAN_II, NEXT_ERSPAN_III, NEXT_ETHERNET, missingHeader, readU16, readU32, type TunnelInner,
} from './tunnel-header.js';
import { NO_TUNNEL_ID } from './tunnel-path.js';

export const IPPROTO_GRE = 47;
const GRE_TRANSPARENT_ETHERNET = 0x6558;
const GRE_ERSPAN_I_II = 0x88be;
const GRE_ERSPAN_III = 0x22eb;

const CHECKSUM_PRESENT = 0x80;
const ROUTING_PRESENT = 0x40;
const KEY_PRESENT = 0x20;
const SEQUENCE_PRESENT = 0x10;

export function readGre(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  const short = missingHeader(b, at, 4, end, 'malformed-gre');
  if (short !== null) return short;
  const flags = b[at]!;
  if ((b[at + 1]! & 0x07) !== 0 || (flags & ROUTING_PRESENT) !== 0) return 'unsupported-gre';
  let length = 4;
  if (flags & CHECKSUM_PRESENT) length += 4; // checksum and reserved1
  const keyAt = at + length;
  if (flags & KEY_PRESENT) length += 4;
  const sequenced = (flags & SEQUENCE_PRESENT) !== 0;
  if (sequenced) length += 4;
  const cut = missingHeader(b, at, length, end, 'malformed-gre');
  if (cut !== null) return cut;

  const protocol = readU16(b, at + 2);
  if (protocol === ETHERTYPE_IPV4) out.next = 4;
  else if (protocol === ETHERTYPE_IPV6) out.next = 6;
  else if (protocol === GRE_TRANSPARENT_ETHERNET) out.next = NEXT_ETHERNET;
  else if (protocol === ETHERTYPE_MPLS || protocol === ETHERTYPE_MPLS_MULTICAST) out.next = NEXT_MPLS;
  // ERSPAN type I has no sequence number and no header of its own: Ethernet follows.
  else if (protocol === GRE_ERSPAN_I_II) out.next = sequenced ? NEXT_ERSPAN_II : NEXT_ETHERNET;
  else if (protocol === GRE_ERSPAN_III) out.next = NEXT_ERSPAN_III;
  else return 'non-ip';
  out.offset = at + length;
  out.end = end;
  out.id = flags & KEY_PRESENT ? readU32(b, keyAt) : NO_TUNNEL_ID;
  return null;
}
