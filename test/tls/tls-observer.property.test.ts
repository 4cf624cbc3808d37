import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TlsObserver } from '../../src/tls/tls-observer.js';
import { alpnExtension, bytes, clientHelloBody, clientVersionsExtension, handshake, record, sniExtension } from './tls-bytes.js';

const hello = record(22, 0x0301, handshake(1, clientHelloBody({
  version: 0x0303, suites: [0x1301], extensions: [sniExtension('pop.example.net'), alpnExtension('pop3'), clientVersionsExtension(0x0304)],
})));
const stream = bytes(hello, record(23, 0x0303, new Uint8Array(300)), record(23, 0x0303, new Uint8Array(40)));

/** Cuts `data` at the given offsets. */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, data.length]) {
    out.push(data.subarray(from, p));
    from = p;
  }
  return out;
}

describe('TlsObserver under arbitrary input', () => {
  it('never throws on random bytes, random chunks and random gaps', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 5000 })), { maxLength: 30 }),
      fc.boolean(),
      (events, server) => {
        const tls = new TlsObserver((f) => f);
        const dir = server ? 'server' : 'client';
        let fed = 0;
        for (const e of events) {
          if (typeof e === 'number') tls.gap(dir, e);
          else tls.data(dir, e, 1);
          fed += typeof e === 'number' ? e : e.length;
        }
        const info = tls.result();
        // Application data is counted from what arrived or was lost in this direction, never more, and never in the other.
        expect(Number.isInteger(info.encryptedBytes[dir])).toBe(true);
        expect(info.encryptedBytes[dir]).toBeLessThanOrEqual(fed);
        expect(info.encryptedBytes[server ? 'client' : 'server']).toBe(0);
        expect(info.alerts.length).toBeLessThanOrEqual(8);
        if (fed === 0) expect(info.startFrame).toBeNull();
      },
    ), { numRuns: 300 });
  });

  it('reports the same handshake and byte counts however the stream is cut', () => {
    // Hand count: 300 + 40 application-data octets follow the ClientHello.
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
      const tls = new TlsObserver((f) => f);
      for (const chunk of split(stream, cuts)) tls.data('client', chunk, 1);
      const info = tls.result();
      expect(info.sni).toBe('pop.example.net');
      expect(info.alpn).toEqual(['pop3']);
      expect(info.clientVersions).toEqual(['TLS 1.3']);
      expect(info.encryptedBytes.client).toBe(340);
    }), { numRuns: 200 });
  });
});
