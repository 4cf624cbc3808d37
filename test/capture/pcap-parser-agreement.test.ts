/**
 * pcap-parser, an independent reader of classic pcap, must see the same
 * records as the project's reader: timestamps, lengths and bytes, record by
 * record. pcap-parser knows only the microsecond magic, so nanosecond files
 * are given to it with the magic swapped and its "microseconds" read as
 * nanoseconds.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { documentedCaptures } from '../support/tshark.js';
// @ts-expect-error pcap-parser ships no type declarations.
import pcapParser from 'pcap-parser';
import { writePcap } from '../support/capture-writer.js';
import { readBytes } from './collect.js';
import { captureFixtures, fixtureLabel } from './fixture-files.js';

interface ReferenceRecord {
  sec: number;
  fraction: number;
  captured: number;
  original: number;
  data: Buffer;
}

const NANOSECOND_MAGICS: Record<string, string> = { '4d3cb2a1': 'd4c3b2a1', a1b23c4d: 'a1b2c3d4' };

function referenceRead(bytes: Buffer): Promise<{ records: ReferenceRecord[]; nanosecond: boolean }> {
  const magic = bytes.subarray(0, 4).toString('hex');
  const nanosecond = magic in NANOSECOND_MAGICS;
  const input = Buffer.from(bytes);
  if (nanosecond) Buffer.from(NANOSECOND_MAGICS[magic]!, 'hex').copy(input, 0);
  return new Promise((resolve, reject) => {
    const records: ReferenceRecord[] = [];
    const parser = pcapParser.parse(Readable.from([input]));
    parser.on('packet', (p: { header: Record<string, number>; data: Buffer }) => {
      records.push({
        sec: p.header.timestampSeconds!,
        fraction: p.header.timestampMicroseconds!,
        captured: p.header.capturedLength!,
        original: p.header.originalLength!,
        data: Buffer.from(p.data),
      });
    });
    parser.on('error', reject);
    parser.on('end', () => resolve({ records, nanosecond }));
  });
}

async function expectAgreement(bytes: Buffer): Promise<number> {
  const { records, nanosecond } = await referenceRead(bytes);
  const { packets, info } = readBytes(bytes, 4096);
  expect(info.warnings).toEqual([]);
  expect(info.timestampPrecision).toBe(nanosecond ? 'ns' : 'us');
  expect(packets.length).toBe(records.length);
  packets.forEach((p, i) => {
    const r = records[i]!;
    expect(p.frame).toBe(i + 1);
    expect(p.sec).toBe(r.sec);
    expect(p.nsec).toBe(nanosecond ? r.fraction : r.fraction * 1000);
    expect(p.data.length).toBe(r.captured);
    expect(p.origLen).toBe(r.original);
    expect(p.data.equals(r.data)).toBe(true);
  });
  return packets.length;
}

const classic = captureFixtures().filter((f) => {
  const magic = readFileSync(f.path).subarray(0, 4).toString('hex');
  return ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].includes(magic);
});

describe('pcap-parser agrees with the reader', () => {
  it('finds every classic pcap fixtures/README.md documents', () => {
    expect(classic.map((f) => fixtureLabel(f)).sort()).toEqual(documentedCaptures().filter((n) => n.endsWith('.pcap')));
  });

  it.each(classic.map((f) => [fixtureLabel(f), f.path]))('on fixture %s', async (_label, path) => {
    expect(await expectAgreement(readFileSync(path))).toBeGreaterThan(0);
  });

  const packets = Array.from({ length: 40 }, (_, i) => ({
    sec: 1_795_716_289 + i,
    nsec: i * 24_999_999,
    data: Buffer.from(Array.from({ length: (i * 37) % 1500 }, (_, j) => (i + j) & 0xff)),
    origLen: ((i * 37) % 1500) + (i % 3),
  }));
  it.each([
    ['little-endian µs', {}],
    ['big-endian µs', { bigEndian: true }],
    ['little-endian ns', { nanosecond: true }],
    ['big-endian ns', { nanosecond: true, bigEndian: true }],
  ])('on a written %s file', async (_name, options) => {
    expect(await expectAgreement(writePcap(packets, options))).toBe(40);
  });
});
