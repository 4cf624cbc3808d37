/**
 * Tunnels that ride on UDP, by their registered port: VXLAN 4789, Geneve
 * 6081, L2TP 1701, GTP-U 2152. Either end's port may be the tunnel's (a
 * reply comes from it). Looking a port up allocates nothing, so the UDP
 * traffic of a capture costs two table reads per packet.
 */
import type { EncapsulationName } from './tunnel-path.js';
import type { TunnelInner } from './tunnel-header.js';
import { GENEVE_PORT, readGeneve } from './geneve.js';
import { GTP_U_PORT, readGtpU } from './gtp-u.js';
import { L2TP_PORT, readL2tp } from './l2tp.js';
import { VXLAN_PORT, readVxlan } from './vxlan.js';

export interface UdpTunnel {
  name: EncapsulationName;
  read(b: Uint8Array, at: number, end: number, out: TunnelInner): string | null;
}

export const UDP_TUNNELS: ReadonlyMap<number, UdpTunnel> = new Map<number, UdpTunnel>([
  [VXLAN_PORT, { name: 'vxlan', read: readVxlan }],
  [GENEVE_PORT, { name: 'geneve', read: readGeneve }],
  [L2TP_PORT, { name: 'l2tp', read: readL2tp }],
  [GTP_U_PORT, { name: 'gtp-u', read: readGtpU }],
]);

/** The tunnel of the UDP header at `at` (destination port first), or null. */
export function udpTunnelAt(b: Uint8Array, at: number): UdpTunnel | null {
  return UDP_TUNNELS.get((b[at + 2]! << 8) | b[at + 3]!) ?? UDP_TUNNELS.get((b[at]! << 8) | b[at + 1]!) ?? null;
}
