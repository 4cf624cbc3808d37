/**
 * PPPoE session stage (RFC 2516, EtherType 0x8864): version and type 0x11,
 * code 0, the session id (the same both ways, so it tells sessions apart),
 * the payload length, then a PPP frame without address and control bytes.
 */
import { NEXT_PPP } from './link-layer.js';
import { missingHeader, readU16, type TunnelInner } from './tunnel-header.js';

export function readPppoe(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  const short = missingHeader(b, at, 6, end, 'malformed-pppoe');
  if (short !== null) return short;
  if (b[at] !== 0x11 || b[at + 1] !== 0x00) return 'malformed-pppoe';
  const length = readU16(b, at + 4);
  out.offset = at + 6;
  // Ethernet padding may follow the payload: the length field says where PPP ends.
  out.end = Math.min(end, at + 6 + length);
  out.next = NEXT_PPP;
  out.id = readU16(b, at + 2);
  return null;
}
