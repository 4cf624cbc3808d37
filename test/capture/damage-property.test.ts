/**
 * Property tests over damaged input (seeded, so a failure reproduces):
 * random truncations and byte flips of written captures and of the real
 * fixtures never throw, always end, and whenever the input is reported
 * damaged a warning says where.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentedCaptures } from '../support/tshark.js';
import { readCapture } from '../../src/capture/input.js';
import type { CaptureInfo } from '../../src/capture/packet.js';
import { writePcap, writePcapng, type PacketToWrite } from '../support/capture-writer.js';
import { readBytes, type KeptPacket } from './collect.js';
import { captureFixtures } from './fixture-files.js';

const SEED = 20_261_126;

const packetArb: fc.Arbitrary<PacketToWrite> = fc.record({
  sec: fc.integer({ min: 0, max: 0xffff_ffff }),
  nsec: fc.integer({ min: 0, max: 999_999_999 }),
  data: fc.uint8Array({ maxLength: 300 }),
});

type Layout = 'pcap' | 'pcap-ns-be' | 'pcapng' | 'pcapng-ns-be';

function write(layout: Layout, packets: PacketToWrite[]): Buffer {
  switch (layout) {
    case 'pcap': return writePcap(packets);
    case 'pcap-ns-be': return writePcap(packets, { nanosecond: true, bigEndian: true });
    case 'pcapng': return writePcapng(packets, { interfaces: [{ linkType: 1 }] });
    case 'pcapng-ns-be': return writePcapng(packets, { interfaces: [{ linkType: 276, tsresol: 9 }], bigEndian: true });
  }
}

const captureArb = fc.record({
  layout: fc.constantFrom<Layout>('pcap', 'pcap-ns-be', 'pcapng', 'pcapng-ns-be'),
  packets: fc.array(packetArb, { maxLength: 8 }),
});

/** What holds for any input, damaged or not. */
function expectSane(bytes: Uint8Array, packets: KeptPacket[], info: CaptureInfo): void {
  for (const w of info.warnings) {
    expect(typeof w.code).toBe('string');
    expect(w.message.length).toBeGreaterThan(0);
    if (w.offset !== undefined) {
      expect(Number.isInteger(w.offset)).toBe(true);
      expect(w.offset).toBeGreaterThanOrEqual(0);
      expect(w.offset).toBeLessThanOrEqual(bytes.length);
    }
  }
  if (info.damaged) expect(info.warnings.some((w) => w.offset !== undefined)).toBe(true);
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i]!;
    expect(p.data.length).toBeLessThanOrEqual(262_144);
    expect(p.nsec).toBeGreaterThanOrEqual(0);
    expect(p.nsec).toBeLessThan(1_000_000_000);
    if (i > 0) expect(p.frame).toBeGreaterThan(packets[i - 1]!.frame);
  }
  expect(info.packets).toBe(packets.length);
}

describe('truncated captures', () => {
  it('keep every whole record and report the cut at the start of the broken one', () => {
    fc.assert(
      fc.property(captureArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 700 }), ({ layout, packets }, where, chunkSize) => {
        const bytes = write(layout, packets);
        // Record boundaries from the writer alone: the file length with the first k packets.
        const boundaries = packets.map((_, k) => write(layout, packets.slice(0, k)).length);
        boundaries.push(bytes.length);
        const cut = Math.floor(where * bytes.length);
        const { packets: read, info } = readBytes(bytes.subarray(0, cut), chunkSize);
        expectSane(bytes, read, info);
        const whole = boundaries.filter((b) => b <= cut).length - 1;
        if (cut === 0) {
          expect(info.warnings.map((w) => w.code)).toEqual(['empty-input']);
        } else if (whole < 0) {
          expect(info.damaged).toBe(true);
          expect(read).toEqual([]);
        } else if (boundaries[whole] === cut) {
          expect(info.damaged).toBe(false);
          expect(read.length).toBe(whole);
        } else {
          expect(info.damaged).toBe(true);
          expect(read.length).toBe(whole);
          expect(info.warnings).toContainEqual(expect.objectContaining({ code: 'truncated-record', offset: boundaries[whole], frame: whole + 1 }));
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('byte flips', () => {
  it('never throw, and damage is reported with an offset', () => {
    fc.assert(
      fc.property(
        captureArb,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 700 }),
        ({ layout, packets }, flips, chunkSize) => {
          const bytes = Buffer.from(write(layout, packets));
          for (const [where, mask] of flips) bytes[Math.floor(where * (bytes.length - 1))]! ^= mask;
          const { packets: read, info } = readBytes(bytes, chunkSize);
          expectSane(bytes, read, info);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('damaged real fixtures', () => {
  const fixtures = captureFixtures().map((f) => readFileSync(f.path));

  it('has every documented capture to damage', () => expect(fixtures).toHaveLength(documentedCaptures().length));

  it('never throw when cut or flipped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Math.max(0, fixtures.length - 1) }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }),
        (which, where, flips) => {
          const original = fixtures[which]!;
          const bytes = Buffer.from(original.subarray(0, Math.floor(where * original.length)));
          for (const [at, mask] of flips) if (bytes.length > 0) bytes[Math.floor(at * (bytes.length - 1))]! ^= mask;
          const { packets, info } = readBytes(bytes, 4096);
          expectSane(bytes, packets, info);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('cut gzip streams', () => {
  it('never reject, and a cut stream is reported damaged with an offset', async () => {
    await fc.assert(
      fc.asyncProperty(captureArb, fc.double({ min: 0, max: 1, noNaN: true }), async ({ layout, packets }, where) => {
        const gz = gzipSync(write(layout, packets));
        const cut = Math.floor(where * gz.length);
        let delivered = 0;
        const info = await readCapture(Readable.from([gz.subarray(0, cut)]), { packet: () => void (delivered += 1) });
        expect(info.packets).toBe(delivered);
        if (cut < gz.length) {
          expect(info.damaged).toBe(true);
          expect(info.warnings.some((w) => w.offset !== undefined)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
