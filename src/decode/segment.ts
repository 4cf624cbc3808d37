/**
 * What the decode layer hands up: one TCP segment, with the IP endpoints as text.
 * Only segments on ports the caller cares about are ever built.
 */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export interface Segment {
  frame: number;
  sec: number;
  nsec: number;
  /** IP addresses as text: dotted quad, or RFC 5952 compressed IPv6. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Unsigned 32-bit sequence and acknowledgement numbers. */
  seq: number;
  ack: number;
  /** TCP flag bits (TCP_SYN | TCP_ACK …). */
  flags: number;
  window: number;
  /** Captured TCP payload (a view; copy it to keep it). */
  payload: Uint8Array;
  /** Payload bytes the IP length promises but the capture does not hold (snapshot length). */
  missing: number;
  /** Tunnel layers outside the innermost IP header, outermost first; null when not tunnelled. */
  encapsulation?: readonly string[] | null;
  /** Identity of the tunnel (same both ways, different between tunnels); '' when not tunnelled. */
  tunnel?: string;
  /**
   * A number for the flow (see flow-hash.ts): the same both ways, and different between
   * flows but for rare collisions, so a table can find the connection without a text key
   * and then compare the endpoints.
   */
  flow?: number;
}
