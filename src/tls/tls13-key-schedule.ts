/**
 * The TLS 1.3 key schedule pieces a key log leaves to compute (RFC 8446 §7):
 * traffic keys and IVs from a traffic secret (§7.3) and the next secret after a
 * KeyUpdate (§7.2). HKDF-Expand (RFC 5869 §2.3) is HMAC from node:crypto; the
 * extract step is never needed because the key log gives the secrets.
 */
import { createHmac } from 'node:crypto';
import { HASH_LENGTH } from './decryption-suites.js';

export type HkdfHash = 'sha256' | 'sha384';

/** HKDF-Expand (RFC 5869 §2.3). */
export function hkdfExpand(hash: HkdfHash, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous: Buffer = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Uint8Array.of(i)).digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label (RFC 8446 §7.1): the label is prefixed with "tls13 ". */
function hkdfExpandLabel(hash: HkdfHash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.alloc(2 + 1 + fullLabel.length + 1 + context.length);
  info.writeUInt16BE(length, 0);
  info[2] = fullLabel.length;
  fullLabel.copy(info, 3);
  info[3 + fullLabel.length] = context.length;
  info.set(context, 4 + fullLabel.length);
  return hkdfExpand(hash, secret, info, length);
}

export interface TrafficKeys {
  key: Buffer;
  iv: Buffer;
}

/** [sender]_write_key and [sender]_write_iv from a traffic secret (RFC 8446 §7.3). */
export function trafficKeys(hash: HkdfHash, secret: Uint8Array, keyLength: number, ivLength = 12): TrafficKeys {
  const none = new Uint8Array(0);
  return { key: hkdfExpandLabel(hash, secret, 'key', none, keyLength), iv: hkdfExpandLabel(hash, secret, 'iv', none, ivLength) };
}

/** application_traffic_secret_N+1 after a KeyUpdate (RFC 8446 §7.2). */
export function nextTrafficSecret(hash: HkdfHash, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), HASH_LENGTH[hash]);
}
