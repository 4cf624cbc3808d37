/**
 * Handshake messages of one direction (RFC 8446 §4, RFC 5246 §7.4): a message
 * may span several records and a record may hold several messages. Messages
 * larger than the cap (certificate chains) are skipped without being buffered,
 * since only the hellos are read.
 */

export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
}

export const HANDSHAKE_CLIENT_HELLO = 1;
export const HANDSHAKE_SERVER_HELLO = 2;

/** Larger than any ClientHello seen in practice (post-quantum key shares stay under 2 KiB). */
const MAX_BUFFERED_MESSAGE = 65536;

export class HandshakeFramer {
  private pending: Uint8Array = new Uint8Array(0);
  private skip = 0;

  constructor(private readonly onMessage: (message: HandshakeMessage) => void) {}

  push(fragment: Uint8Array): void {
    let data = fragment;
    if (this.skip > 0) {
      const n = Math.min(this.skip, data.length);
      this.skip -= n;
      data = data.subarray(n);
    }
    if (data.length === 0) return;
    let buf = this.pending.length === 0 ? data : concat(this.pending, data);
    while (buf.length >= 4) {
      const length = (buf[1] << 16) | (buf[2] << 8) | buf[3];
      if (length > MAX_BUFFERED_MESSAGE) {
        const available = Math.min(buf.length - 4, length);
        this.skip = length - available;
        buf = buf.subarray(4 + available);
        continue;
      }
      if (buf.length < 4 + length) break;
      this.onMessage({ type: buf[0], body: buf.subarray(4, 4 + length) });
      buf = buf.subarray(4 + length);
    }
    // Keep only the unfinished tail, as a copy: the caller may reuse its buffer.
    this.pending = buf.length === 0 ? new Uint8Array(0) : buf.slice();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
