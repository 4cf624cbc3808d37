import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { ipv4Fragments, ipv6Fragments, LINK_TYPE, packetOf, tcpFrame, type LinkKind } from '../support/frames.js';

// Captured bytes are attacker-controlled: nothing may throw, and what comes out must be sane.
const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147];
const anyPort = (): boolean => true;

function checkSegment(s: ReturnType<PacketDecoder['decode']>, data: Uint8Array): void {
  if (s === null) return;
  expect(s.missing).toBeGreaterThanOrEqual(0);
  expect(Number.isInteger(s.seq) && s.seq >= 0 && s.seq <= 0xffffffff).toBe(true);
  expect(Number.isInteger(s.ack) && s.ack >= 0 && s.ack <= 0xffffffff).toBe(true);
  // The payload is the captured bytes of one datagram; with what the capture lacks (`missing`) it is at most
  // what a 16-bit IP length can say (65,535 octets), whatever original length the record claims.
  expect(s.payload.length).toBeLessThanOrEqual(data.length);
  expect(s.payload.length + s.missing).toBeLessThanOrEqual(65535);
}

describe('hostile input', () => {
  it('random bytes under every link type never throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LINK_TYPES),
        fc.uint8Array({ maxLength: 200 }),
        fc.nat({ max: 70000 }),
        (linkType, data, extra) => {
          const d = new PacketDecoder({ wantPort: anyPort });
          const s = d.decode(packetOf(data, linkType, { origLen: data.length + extra }));
          checkSegment(s, data);
          d.finish();
          const counted = Object.values(d.skipped).reduce((a, b) => a + b, 0);
          // A packet is either handed on as a segment or counted as skipped, never both, never neither.
          if (s === null) expect(counted).toBeGreaterThanOrEqual(1);
          else expect(counted).toBe(0);
        },
      ),
      { seed: 1995, numRuns: 3000 },
    );
  });

  const links = Object.keys(LINK_TYPE) as LinkKind[];
  const frameArb = fc.record({
    link: fc.constantFrom(...links),
    ipv6: fc.boolean(),
    payload: fc.uint8Array({ maxLength: 64 }),
    vlan: fc.array(fc.integer({ min: 0, max: 4095 }), { maxLength: 3 }),
  }).map(({ link, ipv6, payload, vlan }) => ({
    link,
    bytes: tcpFrame({
      src: ipv6 ? '2001:db8::1' : '10.0.0.1', dst: ipv6 ? '2001:db8::2' : '10.0.0.2',
      srcPort: 110, dstPort: 50000, payload, link, vlan: link === 'ethernet' || link === 'sll' ? vlan : [],
      ipv6Extensions: ipv6 ? [{ type: 0 }, { type: 60 }] : undefined,
    }),
  }));

  it('valid frames with bytes overwritten or cut never throw', () => {
    fc.assert(
      fc.property(
        frameArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat()),
        ({ link, bytes }, writes, cut) => {
          const data = bytes.slice();
          for (const [at, v] of writes) data[at % data.length] = v;
          const kept = cut === null ? data : data.subarray(0, cut % (data.length + 1));
          const d = new PacketDecoder({ wantPort: anyPort });
          checkSegment(d.decode(packetOf(kept, link, { origLen: data.length })), kept);
        },
      ),
      { seed: 110, numRuns: 3000 },
    );
  });

  it('a stream of damaged fragments never throws and never holds more datagrams than allowed', () => {
    const seg = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 110, dstPort: 40000, payload: 'x'.repeat(60) };
    const pool = [
      ...[1, 2, 3].flatMap((ipId) => ipv4Fragments({ ...seg, ipId }, { size: 16 })),
      ...ipv6Fragments({ ...seg, src: '2001:db8::1', dst: '2001:db8::2' }, { size: 24 }),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: pool.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 100 })), { maxLength: 40 }),
        (steps) => {
          const d = new PacketDecoder({ wantPort: anyPort, maxFragmentSets: 2, fragmentTimeoutSec: 5 });
          for (const [pick, at, v, sec] of steps) {
            const data = pool[pick]!.slice();
            data[at % data.length] = v;
            checkSegment(d.decode(packetOf(data, 'ethernet', { sec })), data);
            expect(d.fragmentsPending).toBeLessThanOrEqual(4);
          }
          d.finish();
          expect(d.fragmentsPending).toBe(0);
        },
      ),
      { seed: 995, numRuns: 500 },
    );
  });

  it('an offloaded IPv4 datagram (total length 0) whose record claims 4 GiB misses at most what 16 bits can say', () => {
    const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 110, dstPort: 50000, payload: '+OK ready\r\n', link: 'ethernet' });
    const data = frame.slice();
    data[14 + 2] = 0;
    data[14 + 3] = 0;
    const d = new PacketDecoder({ wantPort: anyPort });
    const s = d.decode(packetOf(data, 'ethernet', { origLen: 0xfffffff0 }))!;
    expect(new TextDecoder().decode(s.payload)).toBe('+OK ready\r\n');
    // RFC 791: the datagram is at most 65,535 octets, 40 of them IP and TCP headers, 11 captured.
    expect(s.missing).toBe(65535 - 40 - 11);
  });
});
