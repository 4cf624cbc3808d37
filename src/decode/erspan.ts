/**
 * ERSPAN headers inside GRE (draft-foschiano-erspan): type II (8 bytes,
 * version 1) and type III (12 bytes, version 2, plus an 8-byte platform
 * subheader when its O flag is set). Both carry a 10-bit session id, which
 * tells mirror sessions apart, then the mirrored Ethernet frame (type III
 * may carry a bare IP packet instead, frame type 2).
 */
import { NEXT_ETHERNET, missingHeader, type TunnelInner } from './tunnel-header.js';

const FRAME_TYPE_ETHERNET = 0;
const FRAME_TYPE_IP = 2;

function sessionId(b: Uint8Array, at: number): number {
  return ((b[at + 2]! & 0x03) << 8) | b[at + 3]!;
}

export function readErspanII(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  const short = missingHeader(b, at, 8, end, 'malformed-erspan');
  if (short !== null) return short;
  if (b[at]! >> 4 !== 1) return 'malformed-erspan';
  out.offset = at + 8;
  out.end = end;
  out.next = NEXT_ETHERNET;
  out.id = sessionId(b, at);
  return null;
}

export function readErspanIII(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  const short = missingHeader(b, at, 12, end, 'malformed-erspan');
  if (short !== null) return short;
  if (b[at]! >> 4 !== 2) return 'malformed-erspan';
  let length = 12;
  if (b[at + 11]! & 0x01) {
    length += 8;
    const cut = missingHeader(b, at, length, end, 'malformed-erspan');
    if (cut !== null) return cut;
  }
  const frameType = (b[at + 10]! >> 2) & 0x1f;
  if (frameType === FRAME_TYPE_ETHERNET) out.next = NEXT_ETHERNET;
  else if (frameType === FRAME_TYPE_IP) out.next = 0;
  else return 'malformed-erspan';
  out.offset = at + length;
  out.end = end;
  out.id = sessionId(b, at);
  return null;
}
