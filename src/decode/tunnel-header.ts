/**
 * What every tunnel header reader hands back: where the carried packet
 * starts and ends, what it is, and the number that tells this tunnel apart
 * (VNI, GRE key, session id) or `NO_TUNNEL_ID`. One object is reused: the
 * decoder copies the fields out before it reads the next header.
 *
 * The readers return a skip reason, or null when `out` is filled. A header
 * longer than the datagram that carries it is `malformed-<name>`; one the
 * snapshot length cut is `truncated-tunnel-header`.
 */
import type { NextLayer } from './link-layer.js';

/** Carried layers that only tunnels hold (besides those a link layer can announce). */
export const NEXT_ETHERNET = 13;
export const NEXT_ERSPAN_II = 14;
export const NEXT_ERSPAN_III = 15;
export type CarriedLayer = NextLayer | typeof NEXT_ETHERNET | typeof NEXT_ERSPAN_II | typeof NEXT_ERSPAN_III;

export interface TunnelInner {
  offset: number;
  /** End of the carried packet on the wire (may lie past the captured bytes). */
  end: number;
  next: CarriedLayer;
  id: number;
}

export const TRUNCATED = 'truncated-tunnel-header';

/**
 * Null when `need` bytes from `at` are there; else the reason: `malformed`
 * past the end the enclosing header promised, truncated past the capture.
 */
export function missingHeader(b: Uint8Array, at: number, need: number, end: number, malformed: string): string | null {
  if (at + need > end) return malformed;
  if (at + need > b.length) return TRUNCATED;
  return null;
}

export function readU16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
