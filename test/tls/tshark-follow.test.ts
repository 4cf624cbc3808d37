/**
 * The observer on real handshakes: the bytes of two POP3S sessions recorded
 * by fixtures/record.sh (dovecot on port 995, curl and `openssl s_client`),
 * as tshark's `follow,tcp,raw` printed them. Expected values were read once
 * with tshark 4.x:
 *   tshark -r fixtures/captures/X.pcap -Y 'tls.handshake.type==1 || tls.handshake.type==2' -T fields \
 *     -e tls.handshake.extensions.supported_version -e tls.handshake.ciphersuite \
 *     -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str
 * and the application-data byte counts by summing tls.record.length over the
 * records tshark shows as opaque type 23, per TCP source port.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { TlsObserver } from '../../src/tls/tls-observer.js';
import type { Direction } from '../../src/tcp/stream.js';

const FOLLOW_DIR = new URL('../../fixtures/tshark/', import.meta.url);

/** tshark `follow,tcp,raw`: one hex line per segment run; node 1 (the server) lines start with a tab. */
function followChunks(text: string): { dir: Direction; bytes: Uint8Array }[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Node 1:')) + 1;
  const out: { dir: Direction; bytes: Uint8Array }[] = [];
  for (const line of lines.slice(start)) {
    if (line.startsWith('=====')) break;
    const hex = line.trim();
    if (hex === '') continue;
    out.push({ dir: line.startsWith('\t') ? 'server' : 'client', bytes: Uint8Array.from(Buffer.from(hex, 'hex')) });
  }
  return out;
}

function observe(name: string) {
  const tls = new TlsObserver((f) => f);
  followChunks(readFileSync(new URL(`${name}.follow-0.txt`, FOLLOW_DIR), 'utf8')).forEach((c, i) => tls.data(c.dir, c.bytes, i + 1));
  return tls.result();
}

describe('POP3S handshakes recorded from dovecot', () => {
  it('openssl s_client: TLS 1.3, TLS_AES_256_GCM_SHA384, SNI pop3.fixture.test', () => {
    const info = observe('pop3s-openssl-s-client');
    // tshark: ClientHello supported_versions 0x0304,0x0303,0x0302,0x0301; record version 0x0301.
    expect(info.clientVersions).toEqual(['TLS 1.3', 'TLS 1.2', 'TLS 1.1', 'TLS 1.0']);
    expect(info.recordVersion).toBe('TLS 1.0');
    // tshark: ServerHello supported_version 0x0304, cipher suite 0x1302.
    expect(info.version).toBe('TLS 1.3');
    expect(info.cipherSuiteId).toBe(0x1302);
    expect(info.cipherSuite).toBe('TLS_AES_256_GCM_SHA384');
    expect(info.sni).toBe('pop3.fixture.test');
    expect(info.alpn).toEqual([]);
    expect(info.alerts).toEqual([]);
    // Encrypted byte counts change with every recording: test/integration/tls-vs-tshark.test.ts
    // compares them with tshark's stored record lengths.
  });

  it('curl: TLS 1.3, TLS_AES_256_GCM_SHA384, no SNI for an IP address', () => {
    const info = observe('pop3s-curl');
    expect(info.version).toBe('TLS 1.3');
    expect(info.cipherSuite).toBe('TLS_AES_256_GCM_SHA384');
    expect(info.sni).toBeNull();
  });
});
