/**
 * TLS 1.2 keys and record protection: the PRF against the published TLS 1.2
 * SHA-256 PRF test vector, AEAD opening against the GCM specification's test
 * case 4 and RFC 8439 §2.8.2 (ChaCha20-Poly1305), and records sealed here by
 * following RFC 5288 / RFC 7905 / RFC 5246 §6.2.3.2 / RFC 7366 step by step.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tls12KeyBlock, tls12Prf } from '../../src/tls/tls12-key-block.js';
import { aeadOpen, Tls12AeadOpener, Tls12CbcOpener } from '../../src/tls/record-protection.js';
import { decryptionSuite } from '../../src/tls/decryption-suites.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function header(seq: number, type: number, length: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeBigUInt64BE(BigInt(seq), 0);
  b[8] = type; b.writeUInt16BE(0x0303, 9); b.writeUInt16BE(length, 11);
  return b;
}

describe('TLS 1.2 PRF and key block (RFC 5246 §5, §6.3)', () => {
  it('matches the TLS 1.2 PRF (SHA-256) test vector', () => {
    const out = tls12Prf('sha256', hex('9bbe436ba940f017b17652849a71db35'), 'test label', hex('a0ba9f936cda311827a6f796ffd5198c'), 100);
    expect(out.toString('hex')).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa0'
      + '22f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66');
  });

  it('cuts the key block in the order MAC keys, keys, IVs, client first', () => {
    const suite = decryptionSuite(0xc013)!; // AES-128-CBC-SHA: 20-octet MACs, 16-octet keys, no fixed IV
    const master = Buffer.alloc(48, 7);
    const cr = Buffer.alloc(32, 1);
    const sr = Buffer.alloc(32, 2);
    const block = tls12Prf('sha256', master, 'key expansion', Buffer.concat([sr, cr]), 72);
    const keys = tls12KeyBlock(suite, master, cr, sr);
    expect(keys.client.macKey).toEqual(block.subarray(0, 20));
    expect(keys.server.macKey).toEqual(block.subarray(20, 40));
    expect(keys.client.key).toEqual(block.subarray(40, 56));
    expect(keys.server.key).toEqual(block.subarray(56, 72));
  });
});

describe('AEAD opening with published vectors', () => {
  it('AES-128-GCM: the GCM specification, test case 4', () => {
    const suite = decryptionSuite(0xc02f)!;
    const plain = aeadOpen(suite, hex('feffe9928665731c6d6a8f9467308308'), hex('cafebabefacedbaddecaf888'),
      hex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
      hex('42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091'),
      hex('5bc94fbc3221a5db94fae95ae7121a47'));
    expect(plain?.toString('hex')).toBe('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
  });

  it('ChaCha20-Poly1305: RFC 8439 §2.8.2 (the tag the RFC prints verifies)', () => {
    const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hex('070000004041424344454647');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const text = Buffer.from("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    c.setAAD(aad);
    const ciphertext = Buffer.concat([c.update(text), c.final()]);
    expect(ciphertext.subarray(0, 16).toString('hex')).toBe('d31a8d34648e60db7b86afbc53ef7ec2');
    const plain = aeadOpen(decryptionSuite(0xcca8)!, key, nonce, aad, ciphertext, hex('1ae10b594f09e26a7e902ecbd0600691'));
    expect(plain?.toString()).toBe(text.toString());
    expect(aeadOpen(decryptionSuite(0xcca8)!, key, nonce, aad, ciphertext, hex('1ae10b594f09e26a7e902ecbd0600692'))).toBeNull();
  });
});

describe('TLS 1.2 records', () => {
  const key16 = Buffer.alloc(16, 0x11);
  const key32 = Buffer.alloc(32, 0x22);
  const text = Buffer.from('+OK Dovecot ready.\r\n');

  it('AES-GCM: salt from the key block, explicit nonce in the record (RFC 5288 §3)', () => {
    const salt = hex('01020304');
    const opener = new Tls12AeadOpener(decryptionSuite(0xc02f)!, key16, salt);
    for (let seq = 0; seq < 3; seq++) {
      const explicit = Buffer.alloc(8);
      explicit.writeBigUInt64BE(BigInt(seq + 100)); // any value: the record carries it
      const c = createCipheriv('aes-128-gcm', key16, Buffer.concat([salt, explicit]));
      c.setAAD(header(seq, 23, text.length));
      const body = Buffer.concat([explicit, c.update(text), c.final(), c.getAuthTag()]);
      const opened = opener.open(23, 0x0303, body);
      expect(opened).toEqual({ ok: true, type: 23, plaintext: text });
    }
  });

  it('ChaCha20-Poly1305: nonce = IV xor the sequence number, no explicit nonce (RFC 7905 §2)', () => {
    const iv = hex('a0a1a2a3a4a5a6a7a8a9aaab');
    const opener = new Tls12AeadOpener(decryptionSuite(0xcca8)!, key32, iv);
    for (let seq = 0; seq < 3; seq++) {
      const nonce = Buffer.from(iv);
      for (let i = 0; i < 8; i++) nonce[4 + i] ^= Number((BigInt(seq) >> BigInt(8 * (7 - i))) & 0xffn);
      const c = createCipheriv('chacha20-poly1305', key32, nonce, { authTagLength: 16 });
      c.setAAD(header(seq, 23, text.length));
      const body = Buffer.concat([c.update(text), c.final(), c.getAuthTag()]);
      expect(opener.open(23, 0x0303, body)).toEqual({ ok: true, type: 23, plaintext: text });
    }
  });

  function cbcRecord(seq: number, macKey: Buffer, key: Buffer, hash: string, etm: boolean, corruptPadding = false): Buffer {
    const iv = Buffer.alloc(16, seq + 5);
    const macLength = createHmac(hash, macKey).digest().length;
    const inner = etm ? text : Buffer.concat([text, createHmac(hash, macKey).update(header(seq, 23, text.length)).update(text).digest()]);
    const pad = 15 - (inner.length % 16);
    const padding = Buffer.alloc(pad + 1, pad);
    if (corruptPadding) padding[0] ^= 1;
    const c = createCipheriv(key.length === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv).setAutoPadding(false);
    const encrypted = Buffer.concat([iv, c.update(Buffer.concat([inner, padding])), c.final()]);
    if (!etm) return encrypted;
    const mac = createHmac(hash, macKey).update(header(seq, 23, encrypted.length)).update(encrypted).digest();
    expect(mac.length).toBe(macLength);
    return Buffer.concat([encrypted, mac]);
  }

  for (const [id, hash, keyLength] of [[0xc013, 'sha1', 16], [0xc027, 'sha256', 16], [0xc028, 'sha384', 32]] as const) {
    for (const etm of [false, true]) {
      it(`AES-CBC + HMAC-${hash.toUpperCase()}, ${etm ? 'encrypt-then-MAC (RFC 7366)' : 'MAC-then-encrypt'}`, () => {
        const macKey = Buffer.alloc(hash === 'sha1' ? 20 : hash === 'sha256' ? 32 : 48, 0x33);
        const key = keyLength === 16 ? key16 : key32;
        const opener = new Tls12CbcOpener(decryptionSuite(id)!, key, macKey, etm);
        for (let seq = 0; seq < 3; seq++) {
          expect(opener.open(23, 0x0303, cbcRecord(seq, macKey, key, hash, etm))).toEqual({ ok: true, type: 23, plaintext: text });
        }
        const wrong = new Tls12CbcOpener(decryptionSuite(id)!, key, Buffer.alloc(macKey.length, 0x34), etm);
        expect(wrong.open(23, 0x0303, cbcRecord(0, macKey, key, hash, etm)).ok).toBe(false);
        const badPadding = new Tls12CbcOpener(decryptionSuite(id)!, key, macKey, etm);
        expect(badPadding.open(23, 0x0303, cbcRecord(0, macKey, key, hash, etm, true)).ok).toBe(false);
      });
    }
  }
});
