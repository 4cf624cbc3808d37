import { describe, it, expect } from 'vitest';
import { cipherSuiteName, cipherSuiteWeaknesses } from '../../src/tls/cipher-suites.js';
import { isGrease, versionName } from '../../src/tls/versions.js';

describe('cipher suite names (IANA TLS Cipher Suites registry)', () => {
  it.each([
    [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
    [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
    [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
    [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
    [0x1302, 'TLS_AES_256_GCM_SHA384'],
    [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
    [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ])('0x%s is %s', (id, name) => {
    expect(cipherSuiteName(id)).toBe(name);
  });

  it('returns null for an unassigned id', () => {
    expect(cipherSuiteName(0xfefe)).toBeNull();
  });
});

describe('weak cipher suites', () => {
  it.each([
    ['TLS_NULL_WITH_NULL_NULL', ['null']],
    ['TLS_RSA_WITH_NULL_SHA256', ['null']],
    ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', ['export', 'rc4']],
    ['TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', ['export', 'des']],
    ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', ['rc4']],
    ['TLS_RSA_WITH_DES_CBC_SHA', ['des']],
    ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', ['3des']],
    ['TLS_DH_anon_WITH_AES_128_CBC_SHA', ['anon']],
    ['TLS_ECDH_anon_WITH_NULL_SHA', ['null', 'anon']],
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', []],
    ['TLS_AES_128_GCM_SHA256', []],
    ['TLS_CHACHA20_POLY1305_SHA256', []],
  ])('%s: %j', (name, expected) => {
    expect(cipherSuiteWeaknesses(name)).toEqual(expected);
  });
});

describe('versions (RFC 8446 §4.2.1, RFC 5246 appendix E)', () => {
  it.each([
    [0x0002, 'SSL 2.0'], [0x0300, 'SSL 3.0'], [0x0301, 'TLS 1.0'], [0x0302, 'TLS 1.1'], [0x0303, 'TLS 1.2'], [0x0304, 'TLS 1.3'],
    [0x7f1c, 'TLS 1.3 draft 28'], [0x1234, '0x1234'],
  ])('0x%s is %s', (v, name) => {
    expect(versionName(v)).toBe(name);
  });

  it('recognises the 16 GREASE values of RFC 8701 and nothing else', () => {
    const grease = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) grease.push(v);
    expect(grease).toEqual([0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca, 0xdada, 0xeaea, 0xfafa]);
  });
});
