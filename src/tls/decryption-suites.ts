/**
 * What decrypting each cipher suite takes: the record protection (AEAD or CBC
 * with an HMAC), key and IV sizes, and the hash of the key schedule (TLS 1.3
 * HKDF, RFC 8446 §7.1; TLS 1.2 PRF, RFC 5246 §5). Suites missing here are
 * reported as `unsupported`, by name.
 */

export type RecordCipher = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm' | 'aes-128-cbc' | 'aes-256-cbc';
export type SuiteHash = 'sha1' | 'sha256' | 'sha384';

/** Output octets of each hash: the HMAC length of a CBC suite, the secret length of a TLS 1.3 key schedule. */
export const HASH_LENGTH: Readonly<Record<SuiteHash, number>> = { sha1: 20, sha256: 32, sha384: 48 };

export interface DecryptionSuite {
  /** 0x0304 for the TLS 1.3 suites, 0x0303 for TLS 1.2 ones. */
  version: 0x0303 | 0x0304;
  cipher: RecordCipher;
  keyLength: number;
  /** TLS 1.3 and TLS 1.2 ChaCha20: the whole 12-octet IV; TLS 1.2 GCM: the 4-octet salt (RFC 5288 §3); CBC: 0 (explicit IV per record). */
  fixedIvLength: number;
  /** AEAD tag octets. */
  tagLength: number;
  /** CBC only: the record MAC's hash; null for AEAD suites. */
  macHash: SuiteHash | null;
  /** The key schedule's hash: TLS 1.3 HKDF, TLS 1.2 PRF. */
  prfHash: 'sha256' | 'sha384';
}

function tls13(cipher: RecordCipher, keyLength: number, prfHash: 'sha256' | 'sha384', tagLength = 16): DecryptionSuite {
  return { version: 0x0304, cipher, keyLength, fixedIvLength: 12, tagLength, macHash: null, prfHash };
}
function gcm12(keyLength: 16 | 32): DecryptionSuite {
  return {
    version: 0x0303, cipher: keyLength === 16 ? 'aes-128-gcm' : 'aes-256-gcm', keyLength,
    fixedIvLength: 4, tagLength: 16, macHash: null, prfHash: keyLength === 16 ? 'sha256' : 'sha384',
  };
}
const CHACHA12: DecryptionSuite = {
  version: 0x0303, cipher: 'chacha20-poly1305', keyLength: 32, fixedIvLength: 12, tagLength: 16, macHash: null, prfHash: 'sha256',
};
function cbc12(keyLength: 16 | 32, macHash: SuiteHash): DecryptionSuite {
  return {
    version: 0x0303, cipher: keyLength === 16 ? 'aes-128-cbc' : 'aes-256-cbc', keyLength,
    fixedIvLength: 0, tagLength: 0, macHash, prfHash: macHash === 'sha384' ? 'sha384' : 'sha256',
  };
}

const SUITES: ReadonlyMap<number, DecryptionSuite> = new Map([
  [0x1301, tls13('aes-128-gcm', 16, 'sha256')],
  [0x1302, tls13('aes-256-gcm', 32, 'sha384')],
  [0x1303, tls13('chacha20-poly1305', 32, 'sha256')],
  [0x1304, tls13('aes-128-ccm', 16, 'sha256')],
  [0x1305, tls13('aes-128-ccm', 16, 'sha256', 8)],
  // TLS 1.2 AES-GCM (RFC 5288, RFC 5289)
  ...[0x009c, 0x009e, 0xc02b, 0xc02f].map((id) => [id, gcm12(16)] as const),
  ...[0x009d, 0x009f, 0xc02c, 0xc030].map((id) => [id, gcm12(32)] as const),
  // TLS 1.2 ChaCha20-Poly1305 (RFC 7905)
  ...[0xcca8, 0xcca9, 0xccaa].map((id) => [id, CHACHA12] as const),
  // TLS 1.2 AES-CBC with HMAC (RFC 5246, RFC 4492, RFC 5289)
  ...[0x002f, 0x0033, 0xc009, 0xc013].map((id) => [id, cbc12(16, 'sha1')] as const),
  ...[0x0035, 0x0039, 0xc00a, 0xc014].map((id) => [id, cbc12(32, 'sha1')] as const),
  ...[0x003c, 0x0067, 0xc023, 0xc027].map((id) => [id, cbc12(16, 'sha256')] as const),
  ...[0x003d, 0x006b].map((id) => [id, cbc12(32, 'sha256')] as const),
  ...[0xc024, 0xc028].map((id) => [id, cbc12(32, 'sha384')] as const),
]);

/** How to decrypt this suite, or null when it is not covered. */
export function decryptionSuite(id: number): DecryptionSuite | null {
  return SUITES.get(id) ?? null;
}
