/**
 * TLS 1.3 traffic keys and record protection against RFC 8448 §3 (Simple
 * 1-RTT Handshake): the traffic secrets, keys and IVs printed in the trace,
 * and two complete protected records the trace shows on the wire.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hkdfExpand, nextTrafficSecret, trafficKeys } from '../../src/tls/tls13-key-schedule.js';
import { Tls13RecordOpener } from '../../src/tls/record-protection.js';
import { decryptionSuite } from '../../src/tls/decryption-suites.js';
// Written out in the test support on Node's HMAC alone, not the hkdfExpandLabel under test.
import { hkdfExpandLabel as independentExpandLabel } from '../support/tls-sealer.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 8448 §3, "derive secret tls13 c hs traffic" / "s hs traffic" / "c ap traffic" / "s ap traffic".
const CLIENT_HS = hex('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21');
const SERVER_HS = hex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
const CLIENT_AP = hex('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');
const SERVER_AP = hex('a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643');

describe('TLS 1.3 key schedule (RFC 8448 §3)', () => {
  it('derives the handshake and application keys and IVs of both sides', () => {
    const cases: [Buffer, string, string][] = [
      [SERVER_HS, '3fce516009c21727d0f2e4e86ee403bc', '5d313eb2671276ee13000b30'],
      [CLIENT_HS, 'dbfaa693d1762c5b666af5d950258d01', '5bd3c71b836e0b76bb73265f'],
      [SERVER_AP, '9f02283b6c9c07efc26bb9f2ac92e356', 'cf782b88dd83549aadf1e984'],
      [CLIENT_AP, '17422dda596ed5d9acd890e3c63f5051', '5b78923dee08579033e523d9'],
    ];
    for (const [secret, key, iv] of cases) {
      const keys = trafficKeys('sha256', secret, 16);
      expect(keys.key.toString('hex')).toBe(key);
      expect(keys.iv.toString('hex')).toBe(iv);
    }
  });

  it('HKDF-Expand matches RFC 5869 test case 1 (42 octets, two HMAC blocks)', () => {
    const okm = hkdfExpand('sha256', hex('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5'), hex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(okm.toString('hex')).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('the next secret after KeyUpdate is HKDF-Expand-Label(secret, "traffic upd", "", Hash.length)', () => {
    const next = nextTrafficSecret('sha256', CLIENT_AP);
    expect(Buffer.from(next).toString('hex')).toBe(independentExpandLabel('sha256', CLIENT_AP, 'traffic upd', 32).toString('hex'));
    expect(next.length).toBe(32);
    const secret384 = Buffer.alloc(48, 1);
    const next384 = nextTrafficSecret('sha384', secret384);
    expect(Buffer.from(next384).toString('hex')).toBe(independentExpandLabel('sha384', secret384, 'traffic upd', 48).toString('hex'));
    expect(next384.length).toBe(48);
  });
});

describe('TLS 1.3 record protection (RFC 8448 §3)', () => {
  const suite = decryptionSuite(0x1301)!;

  it("opens the client's Finished record with the client handshake keys", () => {
    // "{client} send handshake record: complete record (58 octets)"
    const record = hex(`17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9
      b9 3c 7a 4b fc 44 d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7 26 c4 05 46`);
    const keys = trafficKeys('sha256', CLIENT_HS, 16);
    const opened = new Tls13RecordOpener(suite, keys.key, keys.iv).open(record[0], 0x0303, record.subarray(5));
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.type).toBe(22); // handshake, from the inner content type
    expect(Buffer.from(opened.plaintext).toString('hex')).toBe('14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61');
  });

  it("opens the client's application data (octets 0x00..0x31) with the client application keys", () => {
    const record = hex(`17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9
      14 aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97
      70 14 bd 1e 3d ea e6 3a ee bb 21 69 49 15 e4`);
    const keys = trafficKeys('sha256', CLIENT_AP, 16);
    const opened = new Tls13RecordOpener(suite, keys.key, keys.iv).open(record[0], 0x0303, record.subarray(5));
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.type).toBe(23);
    expect([...opened.plaintext]).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('says a record whose tag does not verify failed, and a wrong sequence number fails too', () => {
    const record = hex(`17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9
      14 aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97
      70 14 bd 1e 3d ea e6 3a ee bb 21 69 49 15 e4`);
    const keys = trafficKeys('sha256', CLIENT_AP, 16);
    const tampered = Buffer.from(record);
    tampered[20] ^= 1;
    const failed = new Tls13RecordOpener(suite, keys.key, keys.iv).open(23, 0x0303, tampered.subarray(5));
    expect(failed).toEqual({ ok: false, reason: expect.stringContaining('did not authenticate') });
    const opener = new Tls13RecordOpener(suite, keys.key, keys.iv);
    opener.open(23, 0x0303, record.subarray(5));
    expect(opener.open(23, 0x0303, record.subarray(5)).ok).toBe(false); // sequence number 1 now
  });

  it('AES-128-CCM and AES-128-CCM-8: opens what Node seals with the RFC 8446 §5.3 nonce and header', () => {
    for (const [id, tagLength] of [[0x1304, 16], [0x1305, 8]] as const) {
      const keys = trafficKeys('sha256', CLIENT_AP, 16);
      const inner = Buffer.from('USER alice\r\n\x17\0\0', 'latin1'); // content, type 23, two octets of padding
      const header = Buffer.from([23, 3, 3, 0, inner.length + tagLength]);
      const c = createCipheriv('aes-128-ccm', keys.key, keys.iv, { authTagLength: tagLength }); // sequence number 0: nonce = IV
      c.setAAD(header, { plaintextLength: inner.length });
      const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
      const opened = new Tls13RecordOpener(decryptionSuite(id)!, keys.key, keys.iv).open(23, 0x0303, body);
      expect(opened).toEqual({ ok: true, type: 23, plaintext: Buffer.from('USER alice\r\n') });
    }
  });

  it('refuses a record longer than 2^14 + 256 octets of ciphertext', () => {
    const keys = trafficKeys('sha256', CLIENT_AP, 16);
    const opened = new Tls13RecordOpener(suite, keys.key, keys.iv).open(23, 0x0303, new Uint8Array(16384 + 257));
    expect(opened).toEqual({ ok: false, reason: expect.stringContaining('at most 16640') });
  });
});
