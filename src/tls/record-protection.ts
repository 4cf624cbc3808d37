/**
 * Opening protected records (one direction, one set of keys), every tag or MAC
 * checked, with node:crypto doing all the cryptography:
 *
 * - TLS 1.3 AEAD (RFC 8446 §5.2-5.3): nonce = IV xor the record sequence
 *   number, the record header as additional data, then the inner content type
 *   after the zero padding.
 * - TLS 1.2 AES-GCM (RFC 5288 §3): 4-octet salt + 8-octet explicit nonce in
 *   the record; ChaCha20-Poly1305 (RFC 7905 §2): IV xor sequence number; both
 *   with seq_num + type + version + plaintext length as additional data
 *   (RFC 5246 §6.2.3.3).
 * - TLS 1.2 AES-CBC + HMAC (RFC 5246 §6.2.3.2): explicit IV, padding, then the
 *   MAC over seq_num + header + plaintext (MAC-then-encrypt), or over the IV and
 *   ciphertext when encrypt-then-MAC was agreed (RFC 7366 §3).
 */
import { createDecipheriv, createHmac, timingSafeEqual, type CipherCCMTypes, type CipherGCMTypes } from 'node:crypto';
import { HASH_LENGTH, type DecryptionSuite } from './decryption-suites.js';

export type OpenedRecord =
  | { ok: true; type: number; plaintext: Uint8Array }
  | { ok: false; reason: string };

export interface RecordOpener {
  /** Opens the next record of this direction (the sequence number advances). */
  open(type: number, version: number, body: Uint8Array): OpenedRecord;
}

/** RFC 8446 §5.2: TLSInnerPlaintext is at most 2^14 + 1 octets; the ciphertext at most 2^14 + 256. */
export const MAX_CIPHERTEXT = 16384 + 256;
/** RFC 5246 §6.2.3: a TLS 1.2 TLSCiphertext fragment is at most 2^14 + 2048 octets. */
const MAX_CIPHERTEXT_TLS12 = 16384 + 2048;

/** The 64-bit sequence number, big-endian, into `out` at `offset`. */
function writeSequence(out: Uint8Array, offset: number, seq: number): void {
  const high = Math.floor(seq / 2 ** 32);
  const low = seq >>> 0;
  out[offset] = high >>> 24; out[offset + 1] = (high >>> 16) & 0xff; out[offset + 2] = (high >>> 8) & 0xff; out[offset + 3] = high & 0xff;
  out[offset + 4] = low >>> 24; out[offset + 5] = (low >>> 16) & 0xff; out[offset + 6] = (low >>> 8) & 0xff; out[offset + 7] = low & 0xff;
}

/** The per-record nonce: the IV with the sequence number xored into its last 8 octets (RFC 8446 §5.3, RFC 7905 §2). */
function xorNonce(iv: Uint8Array, seq: number): Buffer {
  const nonce = Buffer.alloc(iv.length);
  writeSequence(nonce, iv.length - 8, seq);
  for (let i = 0; i < iv.length; i++) nonce[i] ^= iv[i];
  return nonce;
}

/** AEAD open with Node (the suite's cipher and tag length); null when the tag does not verify. */
export function aeadOpen(suite: DecryptionSuite, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Buffer | null {
  try {
    if (suite.cipher === 'aes-128-ccm') {
      const d = createDecipheriv(suite.cipher as CipherCCMTypes, key, nonce, { authTagLength: suite.tagLength });
      d.setAuthTag(tag);
      d.setAAD(aad, { plaintextLength: ciphertext.length });
      const out = d.update(ciphertext);
      d.final();
      return out;
    }
    const d = createDecipheriv(suite.cipher as CipherGCMTypes, key, nonce, { authTagLength: suite.tagLength });
    d.setAAD(aad);
    d.setAuthTag(tag);
    const first = d.update(ciphertext);
    const last = d.final();
    return last.length === 0 ? first : Buffer.concat([first, last]);
  } catch {
    return null;
  }
}

const AUTH_FAILED = 'a record did not authenticate (wrong key log entry, or corrupted data)';

export class Tls13RecordOpener implements RecordOpener {
  private seq = 0;
  private readonly aad = new Uint8Array(5);

  constructor(private readonly suite: DecryptionSuite, private readonly key: Uint8Array, private readonly iv: Uint8Array) {}

  open(type: number, version: number, body: Uint8Array): OpenedRecord {
    if (body.length > MAX_CIPHERTEXT) return { ok: false, reason: `a record of ${body.length} octets of ciphertext (at most ${MAX_CIPHERTEXT} allowed)` };
    if (body.length < this.suite.tagLength + 1) return { ok: false, reason: `a protected record of ${body.length} octets is shorter than its tag` };
    const aad = this.aad;
    aad[0] = type; aad[1] = version >> 8; aad[2] = version & 0xff; aad[3] = body.length >> 8; aad[4] = body.length & 0xff;
    const cut = body.length - this.suite.tagLength;
    const plain = aeadOpen(this.suite, this.key, xorNonce(this.iv, this.seq), aad, body.subarray(0, cut), body.subarray(cut));
    // A record that does not open was not sent under these keys (0-RTT data tried by the caller): the sequence stays.
    if (plain === null) return { ok: false, reason: AUTH_FAILED };
    this.seq++;
    // TLSInnerPlaintext: content, the real type, then zero padding (RFC 8446 §5.2).
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) return { ok: false, reason: 'a decrypted record holds only padding (no content type)' };
    return { ok: true, type: plain[end], plaintext: plain.subarray(0, end) };
  }
}

/** seq_num + type + version + length (RFC 5246 §6.2.3.1 and §6.2.3.3). */
function tls12Header(seq: number, type: number, version: number, length: number): Buffer {
  const out = Buffer.alloc(13);
  writeSequence(out, 0, seq);
  out[8] = type; out[9] = version >> 8; out[10] = version & 0xff; out[11] = length >> 8; out[12] = length & 0xff;
  return out;
}

export class Tls12AeadOpener implements RecordOpener {
  private seq = 0;

  constructor(private readonly suite: DecryptionSuite, private readonly key: Uint8Array, private readonly fixedIv: Uint8Array) {}

  open(type: number, version: number, body: Uint8Array): OpenedRecord {
    if (body.length > MAX_CIPHERTEXT_TLS12) return { ok: false, reason: `a record of ${body.length} octets of ciphertext (at most ${MAX_CIPHERTEXT_TLS12} allowed)` };
    const explicit = this.suite.cipher === 'chacha20-poly1305' ? 0 : 8;
    if (body.length < explicit + this.suite.tagLength) return { ok: false, reason: `a protected record of ${body.length} octets is shorter than its nonce and tag` };
    const nonce = explicit === 0 ? xorNonce(this.fixedIv, this.seq) : Buffer.concat([this.fixedIv, body.subarray(0, explicit)]);
    const cut = body.length - this.suite.tagLength;
    const ciphertext = body.subarray(explicit, cut);
    const plain = aeadOpen(this.suite, this.key, nonce, tls12Header(this.seq, type, version, ciphertext.length), ciphertext, body.subarray(cut));
    this.seq++;
    if (plain === null) return { ok: false, reason: AUTH_FAILED };
    return { ok: true, type, plaintext: plain };
  }
}

export class Tls12CbcOpener implements RecordOpener {
  private seq = 0;
  private readonly macLength: number;

  constructor(
    private readonly suite: DecryptionSuite,
    private readonly key: Uint8Array,
    private readonly macKey: Uint8Array,
    private readonly encryptThenMac: boolean,
  ) {
    this.macLength = suite.macHash === null ? 0 : HASH_LENGTH[suite.macHash];
  }

  open(type: number, version: number, body: Uint8Array): OpenedRecord {
    if (body.length > MAX_CIPHERTEXT_TLS12) return { ok: false, reason: `a record of ${body.length} octets of ciphertext (at most ${MAX_CIPHERTEXT_TLS12} allowed)` };
    const seq = this.seq++;
    const mac = this.encryptThenMac ? this.macLength : 0;
    const encrypted = body.length - mac - 16;
    if (encrypted < 16 || encrypted % 16 !== 0) return { ok: false, reason: `a CBC record of ${body.length} octets is not whole blocks` };
    const hmac = () => createHmac(this.suite.macHash!, this.macKey);
    if (this.encryptThenMac) {
      const expected = hmac().update(tls12Header(seq, type, version, body.length - mac)).update(body.subarray(0, body.length - mac)).digest();
      if (!timingSafeEqual(expected, body.subarray(body.length - mac))) return { ok: false, reason: AUTH_FAILED };
    }
    const d = createDecipheriv(this.suite.cipher, this.key, body.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([d.update(body.subarray(16, 16 + encrypted)), d.final()]);
    const padding = plain[plain.length - 1];
    const content = plain.length - padding - 1 - (this.encryptThenMac ? 0 : this.macLength);
    if (content < 0) return { ok: false, reason: AUTH_FAILED };
    for (let i = plain.length - padding - 1; i < plain.length; i++) if (plain[i] !== padding) return { ok: false, reason: AUTH_FAILED };
    const plaintext = plain.subarray(0, content);
    if (!this.encryptThenMac) {
      const expected = hmac().update(tls12Header(seq, type, version, content)).update(plaintext).digest();
      if (!timingSafeEqual(expected, plain.subarray(content, content + this.macLength))) return { ok: false, reason: AUTH_FAILED };
    }
    return { ok: true, type, plaintext };
  }
}
