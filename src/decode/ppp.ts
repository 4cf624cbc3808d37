/**
 * A PPP frame (RFC 1661) as links and tunnels carry it: the HDLC-like
 * address and control bytes FF 03 may be there or not (RFC 1662 §3.2
 * address-and-control-field compression), and the protocol field is one
 * byte when its first byte is odd (§6.5 protocol-field compression), two
 * otherwise. IPv4, IPv6 and MPLS are read; LCP, IPCP and the other control
 * protocols carry no TCP.
 */
import { NEXT_MPLS } from './link-layer.js';
import { missingHeader, type TunnelInner } from './tunnel-header.js';
import { NO_TUNNEL_ID } from './tunnel-path.js';

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS = 0x0281;

export function readPpp(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null {
  let pos = at;
  let short = missingHeader(b, pos, 2, end, 'malformed-ppp');
  if (short !== null) return short;
  if (b[pos] === 0xff && b[pos + 1] === 0x03) {
    pos += 2;
    short = missingHeader(b, pos, 1, end, 'malformed-ppp');
    if (short !== null) return short;
  }
  let protocol: number;
  if (b[pos]! & 0x01) {
    protocol = b[pos]!;
    pos += 1;
  } else {
    short = missingHeader(b, pos, 2, end, 'malformed-ppp');
    if (short !== null) return short;
    protocol = (b[pos]! << 8) | b[pos + 1]!;
    pos += 2;
  }
  if (protocol === PPP_IPV4) out.next = 4;
  else if (protocol === PPP_IPV6) out.next = 6;
  else if (protocol === PPP_MPLS) out.next = NEXT_MPLS;
  else return 'non-ip';
  out.offset = pos;
  out.end = end;
  out.id = NO_TUNNEL_ID;
  return null;
}
