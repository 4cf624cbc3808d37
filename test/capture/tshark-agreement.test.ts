/**
 * Every capture fixture read by the project's reader must match what tshark
 * and capinfos recorded beside it (fixtures/tshark/NAME.frames.tsv and
 * NAME.capinfos.txt): frame count, frame numbers, timestamps to the
 * nanosecond, frame and captured lengths, link types, precision.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/input.js';
import { keep, type KeptPacket } from './collect.js';
import { captureFixtures, fixtureLabel, TSHARK_DIR, type Fixture } from './fixture-files.js';

/** Wireshark's WTAP_ENCAP numbers (frame.encap_type) to the LINKTYPE values a file stores. */
const WTAP_TO_LINKTYPES: Record<string, number[]> = {
  '1': [1], // Ethernet
  '7': [12, 14, 101, 228, 229], // raw IP
  '15': [0], // BSD null
  '25': [113], // Linux cooked (SLL)
  '210': [276], // Linux cooked v2 (SLL2)
};

/** capinfos' short encapsulation names to the LINKTYPE names the tool reports. */
const CAPINFOS_TO_LINKTYPE_NAME: Record<string, string> = {
  ether: 'ETHERNET',
  null: 'NULL',
  loop: 'LOOP',
  rawip: 'RAW',
  rawip4: 'IPV4',
  rawip6: 'IPV6',
  'linux-sll': 'LINUX_SLL',
  'linux-sll2': 'LINUX_SLL2',
};

const CAPINFOS_PRECISION: Record<string, string> = { microseconds: 'us', nanoseconds: 'ns', milliseconds: 'ms', seconds: 's' };

interface TsharkFrame {
  number: number;
  sec: number;
  nsec: number;
  len: number;
  capLen: number;
  encap: string;
}

function framesTsv(name: string): TsharkFrame[] {
  const [header, ...rows] = readFileSync(join(TSHARK_DIR, `${name}.frames.tsv`), 'utf8').split('\n').filter((l) => l !== '');
  const columns = header!.split('\t');
  const col = (row: string[], field: string): string => {
    const i = columns.indexOf(field);
    expect(i, `column ${field} in ${name}.frames.tsv`).toBeGreaterThanOrEqual(0);
    return row[i]!;
  };
  return rows.map((line) => {
    const row = line.split('\t');
    const [sec, fraction = ''] = col(row, 'frame.time_epoch').split('.');
    return {
      number: Number(col(row, 'frame.number')),
      sec: Number(sec),
      nsec: Number(fraction.padEnd(9, '0')),
      len: Number(col(row, 'frame.len')),
      capLen: Number(col(row, 'frame.cap_len')),
      encap: col(row, 'frame.encap_type'),
    };
  });
}

interface Capinfos {
  packets: number;
  precision: string | undefined;
  linkTypes: string[];
  first: string | undefined;
  last: string | undefined;
}

function capinfos(name: string): Capinfos {
  const text = readFileSync(join(TSHARK_DIR, `${name}.capinfos.txt`), 'utf8');
  const field = (label: string): string | undefined => new RegExp(`^${label}:\\s+(.*)$`, 'm').exec(text)?.[1]?.trim();
  const linkTypes: string[] = [];
  for (const m of text.matchAll(/Encapsulation = .*\(\d+ - ([\w-]+)\)/g)) {
    const mapped = CAPINFOS_TO_LINKTYPE_NAME[m[1]!] ?? `unmapped capinfos encapsulation ${m[1]}`;
    if (!linkTypes.includes(mapped)) linkTypes.push(mapped);
  }
  const precisionWord = field('File timestamp precision')?.split(' ')[0];
  return {
    packets: Number(field('Number of packets')),
    precision: precisionWord === undefined ? undefined : CAPINFOS_PRECISION[precisionWord],
    linkTypes,
    first: field('First packet time'),
    last: field('Last packet time'),
  };
}

/** capinfos prints `2026-11-26 18:04:49.947702` (UTC here); the tool prints ISO-8601 with a Z. */
function asIso(capinfosTime: string | undefined): string | undefined {
  return capinfosTime === undefined ? undefined : capinfosTime.replace(' ', 'T') + 'Z';
}

const fixtures = captureFixtures();

describe('capture fixtures have tshark reference output', () => {
  it('the fixtures directory holds captures', () => {
    // Fails loudly if the fixtures were lost, instead of every test below vanishing.
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((f) => [fixtureLabel(f), f]))('%s has NAME.frames.tsv and NAME.capinfos.txt', (_label, f: Fixture) => {
    expect(existsSync(join(TSHARK_DIR, `${f.name}.frames.tsv`)), `${f.name}.frames.tsv`).toBe(true);
    expect(existsSync(join(TSHARK_DIR, `${f.name}.capinfos.txt`)), `${f.name}.capinfos.txt`).toBe(true);
  });
});

describe('the reader agrees with tshark', () => {
  const withReference = fixtures.filter((f) => existsSync(join(TSHARK_DIR, `${f.name}.frames.tsv`)) && existsSync(join(TSHARK_DIR, `${f.name}.capinfos.txt`)));

  it('has fixtures with reference output to compare against', () => {
    expect(withReference.length).toBeGreaterThan(0);
  });

  it.each(withReference.map((f) => [fixtureLabel(f), f]))('%s: frames, timestamps, lengths, link types', async (_label, f: Fixture) => {
    const packets: KeptPacket[] = [];
    const info = await readCapture(f.path, { packet: (p) => packets.push(keep(p)) });
    const frames = framesTsv(f.name);
    const summary = capinfos(f.name);

    expect(info.warnings).toEqual([]);
    expect(info.damaged).toBe(false);
    expect(packets.length).toBe(frames.length);
    expect(info.packets).toBe(summary.packets);
    packets.forEach((p, i) => {
      const t = frames[i]!;
      const where = `${f.name} frame ${t.number}`;
      expect(p.frame, where).toBe(t.number);
      expect([p.sec, p.nsec], where).toEqual([t.sec, t.nsec]);
      expect(p.origLen, where).toBe(t.len);
      expect(p.data.length, where).toBe(t.capLen);
      expect(WTAP_TO_LINKTYPES[t.encap] ?? [`unmapped WTAP encapsulation ${t.encap}`], where).toContain(p.linkType);
    });
    expect(info.linkTypes).toEqual(summary.linkTypes);
    expect(info.timestampPrecision).toBe(summary.precision);
    expect(info.first).toBe(asIso(summary.first));
    expect(info.last).toBe(asIso(summary.last));
  });
});
