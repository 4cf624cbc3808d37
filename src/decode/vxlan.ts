/**
 * VXLAN (RFC 7348) on UDP 4789: an 8-byte header whose I flag says the
 * 24-bit VNI is valid, then an Ethernet frame. The VNI is the tenant.
 */
import { NEXT_ETHERNET, missingHeader, type TunnelInner } from './tunnel-header.js';

export const VXLAN_PORT = 4789;
const VNI_VALID = 0x08;

export function readVxlan(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  const short = missingHeader(b, at, 8, end, 'malformed-vxlan');
  if (short !== null) return short;
  if ((b[at]! & VNI_VALID) === 0) return 'malformed-vxlan';
  out.offset = at + 8;
  out.end = end;
  out.next = NEXT_ETHERNET;
  out.id = (b[at + 4]! << 16) | (b[at + 5]! << 8) | b[at + 6]!;
  return null;
}
