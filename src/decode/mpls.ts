/**
 * An MPLS label stack (RFC 3032): 4-byte entries until the one with the
 * bottom-of-stack bit, then the payload, recognised by its first nibble
 * (4 IPv4, 6 IPv6; a pseudowire control word or anything else is not read).
 * Labels are hop-local and differ by direction, so they do not identify a
 * tunnel.
 */
import { missingHeader, type TunnelInner } from './tunnel-header.js';
import { NO_TUNNEL_ID } from './tunnel-path.js';

/** MPLS-in-IP (RFC 4023). */
export const IPPROTO_MPLS = 137;

export function readMpls(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  let pos = at;
  for (;;) {
    const short = missingHeader(b, pos, 4, end, 'malformed-mpls');
    if (short !== null) return short;
    const bottom = (b[pos + 2]! & 0x01) !== 0;
    pos += 4;
    if (bottom) break;
  }
  const short = missingHeader(b, pos, 1, end, 'malformed-mpls');
  if (short !== null) return short;
  const nibble = b[pos]! >> 4;
  if (nibble !== 4 && nibble !== 6) return 'non-ip';
  out.offset = pos;
  out.end = end;
  out.next = nibble;
  out.id = NO_TUNNEL_ID;
  return null;
}
