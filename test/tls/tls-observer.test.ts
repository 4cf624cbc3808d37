import { describe, it, expect } from 'vitest';
import { TlsObserver } from '../../src/tls/tls-observer.js';
import {
  alpnExtension, bytes, clientHelloBody, clientVersionsExtension, handshake, hex, record,
  serverHelloBody, serverVersionExtension, sniExtension,
} from './tls-bytes.js';

const label = (frame: number): number => frame;

// A TLS 1.3 client as browsers and mail clients send it: GREASE first (RFC 8701).
const clientHello13 = record(22, 0x0301, handshake(1, clientHelloBody({
  version: 0x0303,
  suites: [0x0a0a, 0x1301, 0x1302, 0xc02f],
  extensions: [sniExtension('pop.example.net'), alpnExtension('pop3'), clientVersionsExtension(0x7a7a, 0x0304, 0x0303)],
})));
const serverHello13 = record(22, 0x0303, handshake(2, serverHelloBody({
  version: 0x0303, suite: 0x1301, extensions: [serverVersionExtension(0x0304)],
})));

describe('TLS 1.3 handshake', () => {
  it('reports offered versions, SNI, ALPN, and the negotiated version and suite', () => {
    const tls = new TlsObserver(label);
    tls.data('client', clientHello13, 7);
    tls.data('server', serverHello13, 8);
    const info = tls.result();
    expect(info.startFrame).toBe(7);
    expect(info.recordVersion).toBe('TLS 1.0');
    expect(info.clientVersions).toEqual(['TLS 1.3', 'TLS 1.2']);
    expect(info.sni).toBe('pop.example.net');
    expect(info.alpn).toEqual(['pop3']);
    // Legacy version says 1.2; supported_versions says what was chosen (RFC 8446 §4.1.3).
    expect(info.version).toBe('TLS 1.3');
    expect(info.cipherSuiteId).toBe(0x1301);
    expect(info.cipherSuite).toBe('TLS_AES_128_GCM_SHA256'); // RFC 8446 §B.4
    expect(info.alerts).toEqual([]);
  });

  it('gives the same answer when the bytes arrive one at a time', () => {
    const tls = new TlsObserver(label);
    for (const b of clientHello13) tls.data('client', Uint8Array.of(b), 3);
    for (const b of serverHello13) tls.data('server', Uint8Array.of(b), 4);
    expect(tls.result().sni).toBe('pop.example.net');
    expect(tls.result().version).toBe('TLS 1.3');
  });

  it('reassembles a ClientHello split over two records', () => {
    const message = handshake(1, clientHelloBody({ version: 0x0303, suites: [0x1301], extensions: [sniExtension('mx.example')] }));
    const tls = new TlsObserver(label);
    tls.data('client', bytes(record(22, 0x0301, message.subarray(0, 20)), record(22, 0x0301, message.subarray(20))), 1);
    expect(tls.result().sni).toBe('mx.example');
    expect(tls.result().clientVersions).toEqual(['TLS 1.2']);
  });

  it('counts type-23 record bodies as encrypted bytes, headers excluded', () => {
    const tls = new TlsObserver(label);
    tls.data('client', clientHello13, 1);
    tls.data('server', serverHello13, 2);
    // ChangeCipherSpec for middlebox compatibility, then 100 + 50 octets of ciphertext.
    tls.data('server', bytes(record(20, 0x0303, Uint8Array.of(1)), record(23, 0x0303, new Uint8Array(100)), record(23, 0x0303, new Uint8Array(50))), 3);
    tls.data('client', record(23, 0x0303, new Uint8Array(30)), 4);
    expect(tls.result().encryptedBytes).toEqual({ client: 30, server: 150 });
  });
});

describe('TLS 1.2 and older', () => {
  it('reads a hand-written TLS 1.2 ServerHello and ignores the encrypted Finished', () => {
    const server = hex(`
      16 0303 002a                 # handshake record, 42 octets
      02 000026                    # ServerHello, 38 octets
      0303                         # server_version TLS 1.2
      ${'44'.repeat(32)}           # random
      00                           # empty session id
      c030                         # TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
      00                           # no compression, no extensions
      14 0303 0001 01              # ChangeCipherSpec
      16 0303 0028 ${'ff'.repeat(40)}  # encrypted Finished: not a parseable message
      17 0303 0010 ${'ab'.repeat(16)}  # 16 octets of application data
    `);
    const tls = new TlsObserver(label);
    tls.data('server', server, 5);
    const info = tls.result();
    expect(info.version).toBe('TLS 1.2');
    expect(info.cipherSuiteId).toBe(0xc030);
    expect(info.cipherSuite).toBe('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(info.encryptedBytes.server).toBe(16);
    expect(info.clientVersions).toEqual([]);
  });

  it('takes the legacy version when a client offers no supported_versions, and names SSL 3.0 and RC4', () => {
    const tls = new TlsObserver(label);
    tls.data('client', record(22, 0x0300, handshake(1, clientHelloBody({ version: 0x0301, suites: [0x0005, 0x000a] }))), 1);
    tls.data('server', record(22, 0x0300, handshake(2, serverHelloBody({ version: 0x0300, suite: 0x0005 }))), 2);
    const info = tls.result();
    expect(info.recordVersion).toBe('SSL 3.0');
    expect(info.clientVersions).toEqual(['TLS 1.0']);
    expect(info.version).toBe('SSL 3.0');
    expect(info.cipherSuite).toBe('TLS_RSA_WITH_RC4_128_SHA');
    expect(info.sni).toBeNull();
  });

  it('shows an unknown suite as its hex id', () => {
    const tls = new TlsObserver(label);
    tls.data('server', record(22, 0x0303, handshake(2, serverHelloBody({ version: 0x0303, suite: 0xfefe }))), 2);
    expect(tls.result().cipherSuite).toBe('0xfefe');
  });
});

describe('alerts', () => {
  it('lists an alert sent in clear with its sender, level and name', () => {
    const tls = new TlsObserver(label);
    tls.data('client', clientHello13, 1);
    // level 2 = fatal, description 70 = protocol_version (RFC 8446 §6)
    tls.data('server', hex('15 0303 0002 02 46'), 2);
    expect(tls.result().alerts).toEqual(['server: fatal protocol_version']);
    expect(tls.result().version).toBeNull();
  });

  it('does not read alerts after ChangeCipherSpec', () => {
    const tls = new TlsObserver(label);
    tls.data('client', hex('14 0303 0001 01  15 0303 001a' + ' 00'.repeat(26)), 1);
    expect(tls.result().alerts).toEqual([]);
  });
});

describe('damaged or foreign input', () => {
  it('gives up on bytes that are not TLS without throwing', () => {
    const tls = new TlsObserver(label);
    tls.data('server', Buffer.from('+OK POP3 ready\r\n'), 3);
    tls.data('server', record(23, 0x0303, new Uint8Array(10)), 4);
    const info = tls.result();
    expect(info.version).toBeNull();
    expect(info.encryptedBytes.server).toBe(0);
  });

  it('keeps the framing across a gap inside one record body', () => {
    const tls = new TlsObserver(label);
    // A 32-octet record: 10 seen, 12 missing, 10 seen; then a 5-octet record.
    tls.data('server', bytes(hex('17 0303 0020'), new Uint8Array(10)), 1);
    tls.gap('server', 12);
    tls.data('server', bytes(new Uint8Array(10), record(23, 0x0303, new Uint8Array(5))), 2);
    expect(tls.result().encryptedBytes.server).toBe(37);
  });

  it('stops counting after a gap that swallows a record header', () => {
    const tls = new TlsObserver(label);
    tls.data('server', record(23, 0x0303, new Uint8Array(8)), 1);
    tls.gap('server', 20);
    tls.data('server', record(23, 0x0303, new Uint8Array(8)), 2);
    expect(tls.result().encryptedBytes.server).toBe(8);
  });

  it('ignores a ClientHello whose vectors overrun the message', () => {
    // ClientHello of 6 octets whose cipher_suites length (0xffff) runs past the end.
    const tls = new TlsObserver(label);
    tls.data('client', hex('16 0301 000a  01 000006  0303 00 ffff 00'), 1);
    tls.data('client', clientHello13.subarray(0, 3), 2);
    expect(tls.result().clientVersions).toEqual([]);
    expect(tls.result().sni).toBeNull();
  });

  it('skips a handshake message larger than the buffer cap and reads the next one', () => {
    const big = handshake(11, new Uint8Array(70_000)); // a Certificate message
    const hello = handshake(2, serverHelloBody({ version: 0x0303, suite: 0x009c }));
    const stream = bytes(big, hello);
    const records: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 16384) records.push(record(22, 0x0303, stream.subarray(i, i + 16384)));
    const tls = new TlsObserver(label);
    tls.data('server', bytes(...records), 1);
    expect(tls.result().cipherSuite).toBe('TLS_RSA_WITH_AES_128_GCM_SHA256');
  });
});

describe('SSL 2.0 framing (RFC 5246 §E.2, RFC 6101 §E.1)', () => {
  it('reads the offered version from an SSL 2.0-compatible ClientHello and goes on with TLS records', () => {
    const v2Hello = hex(`
      80 1f            # 2-octet length with the high bit set: 31 octets follow
      01               # msg_type client_hello
      0301             # version offered: TLS 1.0
      0006 0000 0010   # cipher_spec_length 6, session_id_length 0, challenge_length 16
      00002f 000035    # two cipher specs, TLS suites in 3-octet form
      ${'5a'.repeat(16)}  # challenge
    `);
    const tls = new TlsObserver(label);
    tls.data('client', bytes(v2Hello, record(23, 0x0301, new Uint8Array(7))), 1);
    tls.data('server', record(22, 0x0301, handshake(2, serverHelloBody({ version: 0x0301, suite: 0x002f }))), 2);
    const info = tls.result();
    expect(info.recordVersion).toBe('SSL 2.0');
    expect(info.clientVersions).toEqual(['TLS 1.0']);
    expect(info.version).toBe('TLS 1.0');
    expect(info.encryptedBytes.client).toBe(7);
  });

  it('reads the version of an SSL 2.0 ServerHello', () => {
    const v2ServerHello = hex(`
      80 1e            # 30 octets follow
      04 00 01         # msg_type server_hello, session_id_hit 0, certificate_type X.509
      0002             # server_version: SSL 2.0
      0000 0003 0010   # certificate_length 0, cipher_specs_length 3, connection_id_length 16
      010080           # SSL_CK_RC4_128_WITH_MD5
      ${'66'.repeat(16)}  # connection id
    `);
    const tls = new TlsObserver(label);
    tls.data('server', v2ServerHello, 2);
    expect(tls.result().version).toBe('SSL 2.0');
  });
});

describe('an alert flood', () => {
  it('keeps the first alerts and counts the rest: 100,000 alerts are not 100,000 strings', () => {
    const tls = new TlsObserver(label);
    // One record of 8,192 alerts (16,384 octets, the largest plaintext record, RFC 8446 §5.1), sent 12 times and a bit.
    const body = new Uint8Array(16384).map((_, i) => (i % 2 === 0 ? 1 : 0)); // warning close_notify
    const rec = bytes([21, 3, 3, 0x40, 0x00], body);
    for (let i = 0; i < 12; i++) tls.data('server', rec, 2 + i);
    tls.data('server', bytes([21, 3, 3, 0x00, 0x02], [2, 70]), 20);
    const info = tls.result();
    expect(info.alerts).toHaveLength(8);
    expect(info.alerts[0]).toBe('server: warning close_notify');
    expect(info.alertsDropped).toBe(12 * 8192 + 1 - 8);
  });
});
