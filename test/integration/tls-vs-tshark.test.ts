/**
 * Every STLS and POP3S session of the real fixtures: the handshake facts and the encrypted
 * byte counts equal what tshark showed (fixtures/tshark/NAME.tls.tsv, stored at recording).
 * Application-data bytes are the lengths of type-23 records: in TLS 1.3 tshark shows those
 * records without a content_type (they are opaque to it), after the clear ones of the frame.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { analyze } from '../../src/analyze.js';
import { fixtureCaptures, fixturePath, readTsv, tsharkFile } from '../support/tshark.js';

interface TsharkTls {
  version: string | null;
  cipher: number | null;
  sni: string | null;
  encrypted: { client: number; server: number };
}

const VERSIONS: Record<string, string> = { '0x0304': 'TLS 1.3', '0x0303': 'TLS 1.2', '0x0302': 'TLS 1.1', '0x0301': 'TLS 1.0', '0x0300': 'SSL 3.0' };

function tsharkTls(capture: string, serverPorts: Map<number, number>): Map<number, TsharkTls> {
  const out = new Map<number, TsharkTls>();
  for (const row of readTsv(tsharkFile(capture, 'tls.tsv'))) {
    const stream = Number(row['tcp.stream']);
    const t = out.get(stream) ?? { version: null, cipher: null, sni: null, encrypted: { client: 0, server: 0 } };
    out.set(stream, t);
    const fromServer = Number(row['tcp.srcport']) === serverPorts.get(stream);
    const types = row['tls.record.content_type'] ? row['tls.record.content_type'].split('|') : [];
    const lengths = row['tls.record.length'] ? row['tls.record.length'].split('|').map(Number) : [];
    lengths.forEach((len, k) => {
      if (k >= types.length || types[k] === '23') t.encrypted[fromServer ? 'server' : 'client'] += len;
    });
    const hs = row['tls.handshake.type'].split('|');
    if (hs.includes('1') && row['tls.handshake.extensions_server_name']) t.sni = row['tls.handshake.extensions_server_name'];
    if (hs.includes('2')) {
      const sv = row['tls.handshake.extensions.supported_version'].split('|');
      t.version = VERSIONS[sv[sv.length - 1]] ?? null;
      t.cipher = Number(row['tls.handshake.ciphersuite'].split('|')[0]);
    }
  }
  return out;
}

describe('TLS facts agree with tshark', () => {
  const withTls = fixtureCaptures().filter((c) => existsSync(tsharkFile(c, 'tls.tsv')) && readTsv(tsharkFile(c, 'tls.tsv')).length > 0);
  it('has TLS fixtures', () => {
    expect(withTls.length).toBeGreaterThanOrEqual(4);
  });
  for (const capture of withTls) {
    it(capture, async () => {
      const result = await analyze(fixturePath(capture));
      const servers = new Map(result.sessions.map((s) => [Number(s.id) - 1, s.server.port]));
      const expected = tsharkTls(capture, servers);
      for (const [stream, t] of expected) {
        const s = result.sessions[stream];
        expect(s.tls, `session ${s.id}`).not.toBeNull();
        expect(s.tls!.version).toBe(t.version);
        expect(s.tls!.cipherSuiteId).toBe(t.cipher);
        expect(s.tls!.sni).toBe(t.sni);
        expect(s.tls!.encryptedBytes).toEqual(t.encrypted);
      }
    });
  }
});
