/**
 * GTP-U (3GPP TS 29.281) on UDP 2152: version 1, protocol type 1, message
 * type 255 (G-PDU, user data; echo and error messages carry none), the
 * length of what follows the 8-byte header, the TEID, then when any of the
 * E, S, PN flags is set 4 more bytes (sequence, N-PDU, next extension type)
 * and the chain of extension headers (length in 4-byte words, content, next
 * type). The user's IP packet follows. TEIDs are chosen by each receiver,
 * so they differ by direction; the outer addresses identify the tunnel.
 */
import { missingHeader, readU16, type TunnelInner } from './tunnel-header.js';
import { NO_TUNNEL_ID } from './tunnel-path.js';

export const GTP_U_PORT = 2152;
const G_PDU = 0xff;
const EXTENSION_FLAG = 0x04;
const OPTIONAL_FIELDS = 0x07;

export function readGtpU(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  let short = missingHeader(b, at, 8, end, 'malformed-gtp-u');
  if (short !== null) return short;
  const flags = b[at]!;
  if (flags >> 5 !== 1 || (flags & 0x10) === 0) return 'malformed-gtp-u';
  if (b[at + 1] !== G_PDU) return 'gtp-u-signalling';
  const messageEnd = at + 8 + readU16(b, at + 2);
  if (messageEnd > end) return 'malformed-gtp-u';
  let pos = at + 8;
  if (flags & OPTIONAL_FIELDS) {
    short = missingHeader(b, pos, 4, messageEnd, 'malformed-gtp-u');
    if (short !== null) return short;
    let next = flags & EXTENSION_FLAG ? b[pos + 3]! : 0;
    pos += 4;
    // Each extension is at least 4 bytes, so the chain ends within the message.
    while (next !== 0) {
      short = missingHeader(b, pos, 1, messageEnd, 'malformed-gtp-u');
      if (short !== null) return short;
      const length = b[pos]! * 4;
      if (length === 0) return 'malformed-gtp-u';
      short = missingHeader(b, pos, length, messageEnd, 'malformed-gtp-u');
      if (short !== null) return short;
      next = b[pos + length - 1]!;
      pos += length;
    }
  }
  out.offset = pos;
  out.end = messageEnd;
  out.next = 0;
  out.id = NO_TUNNEL_ID;
  return null;
}
