/**
 * Link layers: where the IP header starts in a captured frame, and which IP
 * version the link header announces. No allocation: the answer is written
 * into a caller-owned `NetworkLocation`.
 */

import {
  LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW_12, LINKTYPE_RAW_14, LINKTYPE_RAW, LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2,
} from '../capture/link-types.js';

// The link-type numbers are the capture layer's table; re-exported for this layer's readers.
export {
  LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW_12, LINKTYPE_RAW_14, LINKTYPE_RAW, LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2,
};

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q customer tag, 802.1ad service tag, and the pre-standard QinQ tag. */
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;

/** BSD address families seen in NULL/LOOP headers; IPv6 differs between the BSDs. */
const AF_INET = 2;
const AF_INET6_NETBSD_OPENBSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/** Where the network layer starts; `version` 0 means "read the version nibble". */
export interface NetworkLocation {
  offset: number;
  version: 0 | 4 | 6;
}

/**
 * Fills `out` and returns null, or returns the skip reason
 * (`unknown-link-type`, `non-ip`, `malformed-<link>`). The caller appends the
 * link type number to `unknown-link-type`.
 */
export function locateNetwork(linkType: number, b: Uint8Array, out: NetworkLocation): string | null {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (b.length < 14) return 'malformed-ethernet';
      return afterEthertype(b, 12, 'malformed-ethernet', out);
    case LINKTYPE_LINUX_SLL:
      // packet type, ARPHRD type, address length, 8 address bytes, protocol.
      if (b.length < 16) return 'malformed-sll';
      return afterEthertype(b, 14, 'malformed-sll', out);
    case LINKTYPE_LINUX_SLL2:
      // protocol first, then reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes.
      if (b.length < 20) return 'malformed-sll2';
      return ethertypeToVersion((b[0]! << 8) | b[1]!, 20, out);
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_12:
    case LINKTYPE_RAW_14:
      out.offset = 0;
      out.version = 0;
      return null;
    case LINKTYPE_IPV4:
      out.offset = 0;
      out.version = 4;
      return null;
    case LINKTYPE_IPV6:
      out.offset = 0;
      out.version = 6;
      return null;
    case LINKTYPE_NULL: {
      if (b.length < 4) return 'malformed-loopback';
      // Host byte order of the machine that captured: the family is small,
      // so whichever end holds the non-zero bytes tells the order.
      const family = b[0] === 0 && b[1] === 0 ? (b[2]! << 8) | b[3]! : b[0]! | (b[1]! << 8);
      return familyToVersion(family, out);
    }
    case LINKTYPE_LOOP: {
      if (b.length < 4) return 'malformed-loopback';
      return familyToVersion(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, out);
    }
    default:
      return 'unknown-link-type';
  }
}

/** Reads the EtherType at `at`, stepping over any stack of VLAN tags. */
function afterEthertype(b: Uint8Array, at: number, malformed: string, out: NetworkLocation): string | null {
  let type = (b[at]! << 8) | b[at + 1]!;
  let next = at + 2;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    // Tag control information (2 bytes), then the inner EtherType.
    if (next + 4 > b.length) return malformed;
    type = (b[next + 2]! << 8) | b[next + 3]!;
    next += 4;
  }
  return ethertypeToVersion(type, next, out);
}

function ethertypeToVersion(type: number, offset: number, out: NetworkLocation): string | null {
  if (type === ETHERTYPE_IPV4) out.version = 4;
  else if (type === ETHERTYPE_IPV6) out.version = 6;
  else return 'non-ip';
  out.offset = offset;
  return null;
}

function familyToVersion(family: number, out: NetworkLocation): string | null {
  if (family === AF_INET) out.version = 4;
  else if (
    family === AF_INET6_NETBSD_OPENBSD ||
    family === AF_INET6_FREEBSD ||
    family === AF_INET6_DARWIN
  ) out.version = 6;
  else return 'non-ip';
  out.offset = 4;
  return null;
}
