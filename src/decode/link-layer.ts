/**
 * Link layers: where the IP header starts in a captured frame, and which IP
 * version the link header announces (or which layer below IP comes first:
 * MPLS, PPPoE, PPP). No allocation: the answer is written into a
 * caller-owned `NetworkLocation`.
 */

import {
  LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW_12, LINKTYPE_RAW_14, LINKTYPE_RAW, LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2,
  LINKTYPE_PPP, LINKTYPE_PPP_HDLC, LINKTYPE_PPP_ETHER, LINKTYPE_C_HDLC, LINKTYPE_PPP_WITH_DIR,
} from '../capture/link-types.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q customer tag, 802.1ad service tag, and the pre-standard QinQ tag. */
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
/** MPLS unicast and multicast (RFC 3032), PPPoE session stage (RFC 2516). */
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const ETHERTYPE_PPPOE_SESSION = 0x8864;

/** What starts at `NetworkLocation.offset` besides IPv4 (4) and IPv6 (6); 0 means "read the IP version nibble". */
export const NEXT_MPLS = 10;
export const NEXT_PPPOE = 11;
/** A PPP frame, with or without the FF 03 address and control bytes. */
export const NEXT_PPP = 12;
export type NextLayer = 0 | 4 | 6 | typeof NEXT_MPLS | typeof NEXT_PPPOE | typeof NEXT_PPP;

/** BSD address families seen in NULL/LOOP headers; IPv6 differs between the BSDs. */
const AF_INET = 2;
const AF_INET6_NETBSD_OPENBSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/** Where the network layer starts; `version` 0 means "read the version nibble", 10 and up a layer below IP. */
export interface NetworkLocation {
  offset: number;
  version: NextLayer;
}

/**
 * Fills `out` and returns null, or returns the skip reason
 * (`unknown-link-type`, `non-ip`, `malformed-<link>`). The caller appends the
 * link type number to `unknown-link-type`. The frame is `b[start, end)` (a
 * packet view, or a record still inside the capture's block); `out.offset` is
 * an index into `b`.
 */
export function locateNetwork(linkType: number, b: Uint8Array, out: NetworkLocation, start = 0, end = b.length): string | null {
  const length = end - start;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (length < 14) return 'malformed-ethernet';
      return afterEthertype(b, start + 12, end, 'malformed-ethernet', out);
    case LINKTYPE_LINUX_SLL:
      // packet type, ARPHRD type, address length, 8 address bytes, protocol.
      if (length < 16) return 'malformed-sll';
      return afterEthertype(b, start + 14, end, 'malformed-sll', out);
    case LINKTYPE_LINUX_SLL2:
      // protocol first, then reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes.
      if (length < 20) return 'malformed-sll2';
      return ethertypeToVersion((b[start]! << 8) | b[start + 1]!, start + 20, out);
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_12:
    case LINKTYPE_RAW_14:
      out.offset = start;
      out.version = 0;
      return null;
    case LINKTYPE_IPV4:
      out.offset = start;
      out.version = 4;
      return null;
    case LINKTYPE_IPV6:
      out.offset = start;
      out.version = 6;
      return null;
    case LINKTYPE_NULL: {
      if (length < 4) return 'malformed-loopback';
      // Host byte order of the machine that captured: the family is small,
      // so whichever end holds the non-zero bytes tells the order.
      const family = b[start] === 0 && b[start + 1] === 0 ? (b[start + 2]! << 8) | b[start + 3]! : b[start]! | (b[start + 1]! << 8);
      return familyToVersion(family, start + 4, out);
    }
    case LINKTYPE_LOOP: {
      if (length < 4) return 'malformed-loopback';
      return familyToVersion(((b[start]! << 24) | (b[start + 1]! << 16) | (b[start + 2]! << 8) | b[start + 3]!) >>> 0, start + 4, out);
    }
    case LINKTYPE_PPP:
      out.offset = start;
      out.version = NEXT_PPP;
      return null;
    case LINKTYPE_PPP_WITH_DIR:
      // One direction byte, then PPP.
      out.offset = start + 1;
      out.version = NEXT_PPP;
      return null;
    case LINKTYPE_PPP_HDLC:
    case LINKTYPE_C_HDLC:
      // RFC 1662 framing starts FF 03; Cisco HDLC (RFC 1547 §4.3.1) 0F or 8F, 00, then an EtherType.
      if (length < 4) return 'malformed-ppp';
      if (b[start] === 0x0f || b[start] === 0x8f) return ethertypeToVersion((b[start + 2]! << 8) | b[start + 3]!, start + 4, out);
      out.offset = start;
      out.version = NEXT_PPP;
      return null;
    case LINKTYPE_PPP_ETHER:
      out.offset = start;
      out.version = NEXT_PPPOE;
      return null;
    default:
      return 'unknown-link-type';
  }
}

/** Reads the EtherType at `at`, stepping over any stack of VLAN tags (the frame ends at `end`). */
function afterEthertype(b: Uint8Array, at: number, end: number, malformed: string, out: NetworkLocation): string | null {
  let type = (b[at]! << 8) | b[at + 1]!;
  let next = at + 2;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    // Tag control information (2 bytes), then the inner EtherType.
    if (next + 4 > end) return malformed;
    type = (b[next + 2]! << 8) | b[next + 3]!;
    next += 4;
  }
  return ethertypeToVersion(type, next, out);
}

/** An Ethernet header inside a tunnel (GRE 0x6558, VXLAN, Geneve, ERSPAN) at `at`, ending at `end`. */
export function locateInEthernet(b: Uint8Array, at: number, end: number, out: NetworkLocation): string | null {
  if (at + 14 > Math.min(end, b.length)) return 'malformed-ethernet';
  return afterEthertype(b, at + 12, b.length, 'malformed-ethernet', out);
}

export function ethertypeToVersion(type: number, offset: number, out: NetworkLocation): string | null {
  if (type === ETHERTYPE_IPV4) out.version = 4;
  else if (type === ETHERTYPE_IPV6) out.version = 6;
  else if (type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MULTICAST) out.version = NEXT_MPLS;
  else if (type === ETHERTYPE_PPPOE_SESSION) out.version = NEXT_PPPOE;
  else return 'non-ip';
  out.offset = offset;
  return null;
}

function familyToVersion(family: number, offset: number, out: NetworkLocation): string | null {
  if (family === AF_INET) out.version = 4;
  else if (
    family === AF_INET6_NETBSD_OPENBSD ||
    family === AF_INET6_FREEBSD ||
    family === AF_INET6_DARWIN
  ) out.version = 6;
  else return 'non-ip';
  out.offset = offset;
  return null;
}
