/**
 * Writes protected TLS records the way a sender does, step by step from the
 * RFCs (RFC 8446 §5.2-5.3 for TLS 1.3; RFC 5288 §3 and RFC 5246 §6.2.3.3 for
 * TLS 1.2 AES-GCM), so decryption tests have real ciphertext with known keys.
 * Only Node's ciphers are used; the framing is written out here, independently
 * of src/tls.
 */
import { createCipheriv, createHmac } from 'node:crypto';

/** RFC 8446 §7.1 HKDF-Expand-Label with an empty context, on Node's HMAC only (RFC 5869 §2.3): independent of src/tls. */
export function hkdfExpandLabel(hash: string, secret: Uint8Array, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`);
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  let t = Buffer.alloc(0);
  const out: Buffer[] = [];
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    t = createHmac(hash, secret).update(Buffer.concat([t, info, Buffer.from([i])])).digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

const CIPHERS13: Record<number, { cipher: string; keyLength: number; hash: string }> = {
  0x1301: { cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  0x1302: { cipher: 'aes-256-gcm', keyLength: 32, hash: 'sha384' },
  0x1303: { cipher: 'chacha20-poly1305', keyLength: 32, hash: 'sha256' },
};

/** One direction of TLS 1.3: seal(type, content) gives a complete record. */
export class Tls13Sealer {
  private seq = 0n;
  private key!: Buffer;
  private iv!: Buffer;
  private secret!: Buffer;

  constructor(private readonly suite: number, secret: Uint8Array) {
    this.rekey(Buffer.from(secret));
  }

  rekey(secret: Buffer): void {
    const c = CIPHERS13[this.suite]!;
    this.secret = secret;
    this.key = hkdfExpandLabel(c.hash, secret, 'key', c.keyLength);
    this.iv = hkdfExpandLabel(c.hash, secret, 'iv', 12);
    this.seq = 0n;
  }

  /** KeyUpdate (RFC 8446 §4.6.3 and §7.2): the record announcing it, then the next secret for what follows. */
  keyUpdate(): Uint8Array {
    const record = this.seal(22, Uint8Array.from([24, 0, 0, 1, 0]));
    const c = CIPHERS13[this.suite]!;
    this.rekey(hkdfExpandLabel(c.hash, this.secret, 'traffic upd', c.hash === 'sha256' ? 32 : 48));
    return record;
  }

  seal(type: number, content: Uint8Array, padding = 0): Uint8Array {
    const c = CIPHERS13[this.suite]!;
    const inner = Buffer.concat([content, Buffer.from([type]), Buffer.alloc(padding)]);
    const header = Buffer.from([23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff]);
    const nonce = Buffer.from(this.iv);
    const seq = Buffer.alloc(8);
    seq.writeBigUInt64BE(this.seq++);
    for (let i = 0; i < 8; i++) nonce[4 + i] ^= seq[i];
    const cipher = createCipheriv(c.cipher as 'aes-128-gcm', this.key, nonce, { authTagLength: 16 });
    cipher.setAAD(header);
    return Buffer.concat([header, cipher.update(inner), cipher.final(), cipher.getAuthTag()]);
  }
}

/** One direction of TLS 1.2 AES-GCM with the keys of a key block. */
export class Tls12GcmSealer {
  private seq = 0n;

  constructor(private readonly key: Uint8Array, private readonly salt: Uint8Array) {}

  seal(type: number, content: Uint8Array): Uint8Array {
    const explicit = Buffer.alloc(8);
    explicit.writeBigUInt64BE(this.seq);
    const aad = Buffer.alloc(13);
    aad.writeBigUInt64BE(this.seq++);
    aad[8] = type; aad[9] = 3; aad[10] = 3; aad.writeUInt16BE(content.length, 11);
    const cipher = createCipheriv(this.key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', this.key, Buffer.concat([this.salt, explicit]));
    cipher.setAAD(aad);
    const body = Buffer.concat([explicit, cipher.update(content), cipher.final(), cipher.getAuthTag()]);
    return Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]), body]);
  }
}

/** The TLS 1.2 key block (RFC 5246 §5 P_hash and §6.3) for an AEAD suite: client key, server key, client salt, server salt. */
export function tls12GcmKeys(hash: 'sha256' | 'sha384', master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, keyLength: number) {
  const seed = Buffer.concat([Buffer.from('key expansion'), serverRandom, clientRandom]);
  const out: Buffer[] = [];
  let a: Buffer = createHmac(hash, master).update(seed).digest();
  while (Buffer.concat(out).length < 2 * keyLength + 8) {
    out.push(createHmac(hash, master).update(Buffer.concat([a, seed])).digest());
    a = createHmac(hash, master).update(a).digest();
  }
  const block = Buffer.concat(out);
  return {
    client: { key: block.subarray(0, keyLength), salt: block.subarray(2 * keyLength, 2 * keyLength + 4) },
    server: { key: block.subarray(keyLength, 2 * keyLength), salt: block.subarray(2 * keyLength + 4, 2 * keyLength + 8) },
  };
}
