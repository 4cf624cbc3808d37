/**
 * The TLS record layer of one direction (RFC 8446 §5.1, RFC 5246 §6.2.1):
 * cuts the byte stream into records without copying the bodies it does not
 * need. Only the 5-byte header and the bodies of handshake, alert and
 * change_cipher_spec records are buffered, each bounded by the largest record
 * the RFCs allow; application data is counted and skipped, unless it is to be
 * decrypted.
 *
 * A gap inside a record body keeps the framing (the header said how long the
 * body is), so only that record is lost. A gap that covers a header, or bytes
 * that are not a plausible record header, end the parsing of this direction:
 * guessing where the next record starts in ciphertext would invent records.
 */

export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;
const CONTENT_HEARTBEAT = 24;

/** RFC 5246 §6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 octets. */
export const MAX_RECORD_BODY = 16384 + 2048;
const HEADER_LENGTH = 5;

/** Pseudo content types for a first message in SSL 2.0 framing (RFC 6101 §E.1, RFC 5246 §E.2). */
export const SSL2_CLIENT_HELLO = 0x101;
export const SSL2_SERVER_HELLO = 0x104;

export interface TlsRecord {
  /** Content type, or one of the SSL2_* pseudo types. */
  type: number;
  /** The record's protocol version; for SSL 2.0 messages, the version the message carries (0x0002 for SSL 2.0 itself). */
  version: number;
  /** The body, or null when part of it was never captured. */
  body: Uint8Array | null;
}

export type RecordLayerFailure = 'not-tls' | 'gap';

export class RecordLayer {
  private readonly header = new Uint8Array(HEADER_LENGTH);
  private headerFilled = 0;
  private current: { type: number; version: number; remaining: number; body: Uint8Array | null; filled: number; damaged: boolean } | null = null;
  private failed: RecordLayerFailure | null = null;
  /** Body octets of application_data records (content type 23), captured or not. */
  applicationDataBytes = 0;
  recordCount = 0;

  /** `keepApplicationData`: hand application_data bodies on too (for decryption); otherwise they are only counted. */
  constructor(private readonly onRecord: (record: TlsRecord) => void, private readonly keepApplicationData = false) {}

  /** Why this direction stopped being parsed, or null while it is still in step. */
  get failure(): RecordLayerFailure | null {
    return this.failed;
  }

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length && this.failed === null) {
      if (this.current === null) {
        const n = Math.min(HEADER_LENGTH - this.headerFilled, bytes.length - i);
        this.header.set(bytes.subarray(i, i + n), this.headerFilled);
        this.headerFilled += n;
        i += n;
        if (this.headerFilled === HEADER_LENGTH) this.startRecord();
        continue;
      }
      const rec = this.current;
      const n = Math.min(rec.remaining, bytes.length - i);
      if (rec.body !== null) rec.body.set(bytes.subarray(i, i + n), rec.filled);
      rec.filled += n;
      rec.remaining -= n;
      if (rec.type === CONTENT_APPLICATION_DATA) this.applicationDataBytes += n;
      i += n;
      if (rec.remaining === 0) this.finishRecord();
    }
  }

  /** `length` octets the capture lacks at the current position. */
  gap(length: number): void {
    if (this.failed !== null || length <= 0) return;
    const rec = this.current;
    if (rec === null || length > rec.remaining) {
      this.failed = 'gap';
      return;
    }
    rec.remaining -= length;
    rec.filled += length;
    rec.damaged = true;
    if (rec.type === CONTENT_APPLICATION_DATA) this.applicationDataBytes += length;
    if (rec.remaining === 0) this.finishRecord();
  }

  private startRecord(): void {
    const h = this.header;
    this.headerFilled = 0;
    if (this.recordCount === 0 && (h[0] & 0x80) !== 0 && this.startSsl2Message()) return;
    const type = h[0];
    const version = (h[1] << 8) | h[2];
    const length = (h[3] << 8) | h[4];
    // Plausible header: a known content type, major version 3, a legal length.
    if (type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_HEARTBEAT || h[1] !== 3 || h[2] > 4 || length > MAX_RECORD_BODY) {
      this.failed = 'not-tls';
      return;
    }
    const keep = type === CONTENT_APPLICATION_DATA ? this.keepApplicationData : type !== CONTENT_HEARTBEAT;
    this.current = { type, version, remaining: length, body: keep ? new Uint8Array(length) : null, filled: 0, damaged: false };
    if (length === 0) this.finishRecord();
  }

  /**
   * A first message with the high bit set is SSL 2.0 framing: a 2-octet length,
   * then the message type. Old clients send their ClientHello this way even
   * when they offer TLS (RFC 5246 §E.2); an SSL 2.0 server answers the same way.
   * Only that first message is read; what follows it must be TLS records.
   */
  private startSsl2Message(): boolean {
    const h = this.header;
    const length = ((h[0] & 0x7f) << 8) | h[1];
    // ClientHello: type 1, then the version. ServerHello: type 4, session-id-hit, certificate type, then the version.
    if (h[2] === 1 && length >= 9) {
      this.current = { type: SSL2_CLIENT_HELLO, version: (h[3] << 8) | h[4], remaining: length - 3, body: null, filled: 0, damaged: false };
      return true;
    }
    if (h[2] === 4 && length >= 11) {
      this.current = { type: SSL2_SERVER_HELLO, version: 0, remaining: length - 3, body: new Uint8Array(length - 3), filled: 0, damaged: false };
      return true;
    }
    return false;
  }

  private finishRecord(): void {
    const rec = this.current;
    if (rec === null) return;
    this.current = null;
    this.recordCount++;
    if (rec.type === SSL2_SERVER_HELLO && rec.body !== null && !rec.damaged) rec.version = (rec.body[0]! << 8) | rec.body[1]!;
    this.onRecord({ type: rec.type, version: rec.version, body: rec.damaged ? null : rec.body });
  }
}
