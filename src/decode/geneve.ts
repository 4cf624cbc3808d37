/**
 * Geneve (RFC 8926) on UDP 6081: an 8-byte header (version 0, options
 * length in 4-byte words, protocol type, 24-bit VNI), then variable-length
 * options, each (class, type, length) followed by its data, which must fill
 * the options length exactly. Carries Ethernet (0x6558), IPv4 or IPv6.
 */
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './link-layer.js';
import { NEXT_ETHERNET, missingHeader, readU16, type TunnelInner } from './tunnel-header.js';

export const GENEVE_PORT = 6081;
const GENEVE_ETHERNET = 0x6558;

export function readGeneve(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  const short = missingHeader(b, at, 8, end, 'malformed-geneve');
  if (short !== null) return short;
  if (b[at]! >> 6 !== 0) return 'malformed-geneve';
  const optionsEnd = at + 8 + (b[at]! & 0x3f) * 4;
  const cut = missingHeader(b, at, optionsEnd - at, end, 'malformed-geneve');
  if (cut !== null) return cut;
  // Each option: class (2), type (1), 3 reserved bits and a 5-bit length in words, then the data.
  let pos = at + 8;
  while (pos < optionsEnd) {
    if (pos + 4 > optionsEnd) return 'malformed-geneve';
    pos += 4 + (b[pos + 3]! & 0x1f) * 4;
  }
  if (pos !== optionsEnd) return 'malformed-geneve';

  const protocol = readU16(b, at + 2);
  if (protocol === GENEVE_ETHERNET) out.next = NEXT_ETHERNET;
  else if (protocol === ETHERTYPE_IPV4) out.next = 4;
  else if (protocol === ETHERTYPE_IPV6) out.next = 6;
  else return 'non-ip';
  out.offset = optionsEnd;
  out.end = end;
  out.id = (b[at + 4]! << 16) | (b[at + 5]! << 8) | b[at + 6]!;
  return null;
}
