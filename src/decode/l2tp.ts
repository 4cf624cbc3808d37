/**
 * L2TPv2 data messages (RFC 2661 §3.1) on UDP 1701: flags and version 2,
 * then the optional length (L), tunnel and session ids, optional Ns/Nr (S),
 * optional offset size and padding (O), then a PPP frame. Control messages
 * (T) carry no user traffic. Tunnel and session ids are the receiver's, so
 * they differ by direction and do not identify the tunnel; the outer
 * addresses do.
 */
import { NEXT_PPP } from './link-layer.js';
import { missingHeader, readU16, type TunnelInner } from './tunnel-header.js';
import { NO_TUNNEL_ID } from './tunnel-path.js';

export const L2TP_PORT = 1701;

const TYPE_CONTROL = 0x8000;
const LENGTH_PRESENT = 0x4000;
const SEQUENCE_PRESENT = 0x0800;
const OFFSET_PRESENT = 0x0200;

export function readL2tp(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  let short = missingHeader(b, at, 2, end, 'malformed-l2tp');
  if (short !== null) return short;
  const flags = readU16(b, at);
  if ((flags & 0x000f) !== 2) return 'unsupported-l2tp';
  if (flags & TYPE_CONTROL) return 'l2tp-control';
  let length = 2 + 4 + (flags & LENGTH_PRESENT ? 2 : 0) + (flags & SEQUENCE_PRESENT ? 4 : 0);
  const offsetAt = at + length;
  if (flags & OFFSET_PRESENT) length += 2;
  short = missingHeader(b, at, length, end, 'malformed-l2tp');
  if (short !== null) return short;
  if (flags & OFFSET_PRESENT) {
    length += readU16(b, offsetAt);
    short = missingHeader(b, at, length, end, 'malformed-l2tp');
    if (short !== null) return short;
  }
  let messageEnd = end;
  if (flags & LENGTH_PRESENT) {
    const total = readU16(b, at + 2);
    if (total < length || at + total > end) return 'malformed-l2tp';
    messageEnd = at + total;
  }
  out.offset = at + length;
  out.end = messageEnd;
  out.next = NEXT_PPP;
  out.id = NO_TUNNEL_ID;
  return null;
}
