/**
 * The TLS 1.2 key block (RFC 5246 §6.3): the master secret from the key log is
 * expanded with the suite's PRF (P_hash of §5, HMAC from node:crypto) over
 * "key expansion" and both hello randoms, then cut into the MAC keys, the
 * encryption keys and the fixed IVs of each side.
 */
import { createHmac } from 'node:crypto';
import { HASH_LENGTH, type DecryptionSuite } from './decryption-suites.js';

/** P_hash (RFC 5246 §5). */
function pHash(hash: string, secret: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  let a: Buffer = createHmac(hash, secret).update(seed).digest();
  while (total < length) {
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.push(block);
    total += block.length;
    a = createHmac(hash, secret).update(a).digest();
  }
  return Buffer.concat(out).subarray(0, length);
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed) (RFC 5246 §5). */
export function tls12Prf(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  return pHash(hash, secret, Buffer.concat([Buffer.from(label, 'latin1'), seed]), length);
}

export interface SideKeys {
  macKey: Buffer;
  key: Buffer;
  iv: Buffer;
}

/** Each side's write keys (RFC 5246 §6.3), client first. */
export function tls12KeyBlock(
  suite: DecryptionSuite, masterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array,
): { client: SideKeys; server: SideKeys } {
  const macLength = suite.macHash === null ? 0 : HASH_LENGTH[suite.macHash];
  const total = 2 * (macLength + suite.keyLength + suite.fixedIvLength);
  const block = tls12Prf(suite.prfHash, masterSecret, 'key expansion', Buffer.concat([serverRandom, clientRandom]), total);
  let pos = 0;
  const take = (n: number) => block.subarray(pos, (pos += n));
  const clientMac = take(macLength);
  const serverMac = take(macLength);
  const clientKey = take(suite.keyLength);
  const serverKey = take(suite.keyLength);
  const clientIv = take(suite.fixedIvLength);
  const serverIv = take(suite.fixedIvLength);
  return {
    client: { macKey: clientMac, key: clientKey, iv: clientIv },
    server: { macKey: serverMac, key: serverKey, iv: serverIv },
  };
}
