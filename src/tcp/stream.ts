/**
 * The interface between TCP reassembly and whatever consumes the byte streams,
 * in the spirit of gopacket's Assembler / StreamFactory / Stream.
 * Nothing here knows about POP3.
 */
import type { Timestamp } from '../capture/packet.js';

/** Who sent the bytes. */
export type Direction = 'client' | 'server';

export interface Endpoint {
  ip: string;
  port: number;
}

export type CloseReason = 'fin' | 'rst' | 'idle' | 'capture-end' | 'evicted';

export interface ConnectionInfo {
  /** 1-based, in order of first packet. */
  id: number;
  client: Endpoint;
  server: Endpoint;
  start: Timestamp;
  /** Frame of the first packet of the connection. */
  firstFrame: number;
  /** The handshake was not in the capture: the stream starts at the first segment seen. */
  midstream: boolean;
  /** Tunnel layers the connection was carried in, outermost first (absent when not tunnelled). */
  encapsulation?: readonly string[];
  /** How the consumer knew the connection was its protocol: by the server port, or by its content. */
  detection?: 'port' | 'content';
  /** The content showed TLS from the first byte (a ClientHello offering the protocol by ALPN). */
  implicitTls?: boolean;
  /** On a port of the consumer's protocol, the content showed it is not that protocol: its first bytes (latin1); nothing to dissect. */
  rejected?: { kind: string; direction: 'client' | 'server'; bytes: number; firstBytes?: string };
}

export interface StreamGap {
  direction: Direction;
  /** Offset in that direction's byte stream where the missing bytes start. */
  offset: number;
  length: number;
  /** Frame at which the gap was declared (the first packet after the hole). */
  frame: number;
}

export interface StreamAnomaly {
  /** e.g. `conflicting-overlap`, `data-after-fin`, `data-after-rst`, `late-retransmission`, `ooo-cap-flush`. */
  kind: string;
  direction: Direction;
  frames: number[];
  message: string;
}

export interface ConnectionSummary {
  end: Timestamp;
  lastFrame: number;
  ended: CloseReason;
  bytes: { client: number; server: number };
  gaps: StreamGap[];
  anomalies: StreamAnomaly[];
}

/** One connection's consumer. The assembler calls these in stream order per direction. */
export interface StreamHandler {
  /** In-order bytes of one direction. `bytes` is only valid during the call. */
  data(dir: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, time: Timestamp): void;
  /** `length` bytes of one direction that the capture never held, at this position. */
  gap(dir: Direction, length: number, frame: number, time: Timestamp): void;
  /** The connection is over; no more calls follow. */
  close(summary: ConnectionSummary): void;
  /**
   * Set by a consumer that found the connection is not its protocol: the
   * assembler then forgets it (no close follows) and ignores its later segments.
   */
  readonly dropped?: boolean;
}

export interface StreamFactory {
  open(conn: ConnectionInfo): StreamHandler;
}
