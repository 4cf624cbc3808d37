/**
 * The pcapng layouts that Wireshark 4.0 on little-endian x86-64 never writes,
 * each written by a tool that is not ours from the same recorded session
 * (fixtures/pcapng-variants/, record-pcapng-variants.sh): big-endian (s390x
 * editcap), Simple Packet Blocks (editcap 4.4) and if_tsoffset (dpkt).
 * References: tshark's reading stored beside each file, the recording's own
 * tshark files and truth, and the file's raw bytes read here without our reader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { readTsv } from '../support/tshark.js';
import { asLines, normalise, type Truth } from '../support/truth.js';
import { readBytes } from './collect.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const DIR = join(FIXTURES, 'pcapng-variants');
const SOURCE = join(FIXTURES, 'captures', 'ipv6-loopback.pcap');

const BIG_ENDIAN = 'big-endian-editcap-s390x.pcapng';
const SPB = 'simple-packet-blocks-editcap-4.4.pcapng';
const TSOFFSET = 'if-tsoffset-dpkt.pcapng';
const VARIANTS = [BIG_ENDIAN, SPB, TSOFFSET];

const SHB = 0x0a0d0d0a;
const IDB = 1;
const SPB_TYPE = 3;
const EPB = 6;

const bytesOf = (name: string) => readFileSync(join(DIR, name));
const tsharkFrames = (name: string) => readTsv(join(DIR, 'tshark', name.replace(/\.pcapng$/, '.frames.tsv')));
const sourceFrames = readTsv(join(FIXTURES, 'tshark', 'ipv6-loopback.frames.tsv'));
const truth = JSON.parse(readFileSync(join(FIXTURES, 'truth', 'ipv6-loopback.json'), 'utf8')) as Truth;

interface RawBlock {
  type: number;
  body: Buffer;
}

/** The file's blocks as the pcapng spec lays them out, in the byte order its one SHB names (independent of src/capture). */
function rawBlocks(bytes: Buffer): { bigEndian: boolean; blocks: RawBlock[] } {
  const bigEndian = bytes.readUInt32BE(8) === 0x1a2b3c4d;
  const u32 = (at: number) => (bigEndian ? bytes.readUInt32BE(at) : bytes.readUInt32LE(at));
  const blocks: RawBlock[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = u32(at + 4);
    expect(u32(at + length - 4), `trailing length of the block at ${at}`).toBe(length);
    blocks.push({ type: u32(at), body: bytes.subarray(at + 8, at + length - 4) });
    at += length;
  }
  return { bigEndian, blocks };
}

/** Options after `fixed` bytes of a block body: code -> value bytes. */
function options(body: Buffer, fixed: number, bigEndian: boolean): Map<number, Buffer> {
  const u16 = (at: number) => (bigEndian ? body.readUInt16BE(at) : body.readUInt16LE(at));
  const found = new Map<number, Buffer>();
  for (let at = fixed; at + 4 <= body.length; ) {
    const [code, length] = [u16(at), u16(at + 2)];
    if (code === 0) break;
    found.set(code, body.subarray(at + 4, at + 4 + length));
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return found;
}

const epoch = (p: { sec: number; nsec: number }) => `${p.sec}.${String(p.nsec).padStart(9, '0')}`;

describe('pcapng written by other tools (fixtures/pcapng-variants/)', () => {
  it('holds the three variants and their tshark readings', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.pcapng')).sort()).toEqual([...VARIANTS].sort());
    for (const name of VARIANTS) expect(tsharkFrames(name)).toHaveLength(sourceFrames.length);
    expect(sourceFrames).toHaveLength(24);
  });

  it.each(VARIANTS)('%s: every packet with the lengths tshark reads, no damage', (name) => {
    const { packets, info } = readBytes(bytesOf(name));
    const frames = tsharkFrames(name);
    expect(packets).toHaveLength(frames.length);
    packets.forEach((p, i) => {
      expect(p.frame).toBe(Number(frames[i]!['frame.number']));
      expect(p.origLen).toBe(Number(frames[i]!['frame.len']));
      expect(p.data.length).toBe(Number(frames[i]!['frame.cap_len']));
      expect(p.linkType).toBe(1);
    });
    expect(info).toMatchObject({ format: 'pcapng', damaged: false, linkTypes: ['ETHERNET'], timestampPrecision: 'us' });
    // Only the packets without a time of their own are worth a word.
    expect(info.warnings.map((w) => w.code)).toEqual(name === SPB ? ['no-timestamps'] : []);
  });

  it.each([BIG_ENDIAN, TSOFFSET])('%s: the times tshark reads, which are the recording\'s', (name) => {
    const { packets } = readBytes(bytesOf(name));
    expect(packets.map(epoch)).toEqual(tsharkFrames(name).map((f) => f['frame.time_epoch']));
    expect(packets.map(epoch)).toEqual(sourceFrames.map((f) => f['frame.time_epoch']));
  });

  it.each(VARIANTS)('%s: the session the recording\'s client logged, as in the little-endian original', async (name) => {
    const variant = await analyze(join(DIR, name), { showSecrets: true });
    const original = await analyze(SOURCE, { showSecrets: true });
    expect(variant.sessions).toHaveLength(1);
    const lines = asLines(variant.sessions[0]!).map(normalise);
    expect(lines).toEqual(truth.sessions[0]!.lines.map(normalise));
    expect(lines).toEqual(asLines(original.sessions[0]!).map(normalise));
    expect(variant.sessions[0]!.messages).toEqual(original.sessions[0]!.messages);
    expect(variant.findings.map((f) => f.fingerprint).sort()).toEqual(original.findings.map((f) => f.fingerprint).sort());
    // tshark reads the same POP3 rows in both.
    expect(readFileSync(join(DIR, 'tshark', name.replace(/\.pcapng$/, '.pop.tsv')), 'utf8')).toBe(readFileSync(join(FIXTURES, 'tshark', 'ipv6-loopback.pop.tsv'), 'utf8'));
  });
});

describe('big-endian pcapng from editcap on s390x', () => {
  const bytes = bytesOf(BIG_ENDIAN);

  it('starts with an SHB whose byte-order magic is stored 1a 2b 3c 4d, and every block reads big-endian', () => {
    expect(bytes.subarray(0, 4).toString('hex')).toBe('0a0d0d0a');
    expect(bytes.subarray(8, 12).toString('hex')).toBe('1a2b3c4d');
    const { bigEndian, blocks } = rawBlocks(bytes);
    expect(bigEndian).toBe(true);
    expect(blocks.map((b) => b.type)).toEqual([SHB, IDB, ...Array<number>(24).fill(EPB)]);
  });

  it('was written by Wireshark 4.0.17\'s editcap (shb_userappl)', () => {
    const { blocks } = rawBlocks(bytes);
    expect(options(blocks[0]!.body, 16, true).get(4)?.toString()).toMatch(/^Editcap \(Wireshark\) 4\.0\.17 /);
  });
});

describe('Simple Packet Blocks from editcap 4.4', () => {
  const bytes = bytesOf(SPB);

  it('holds one SPB per packet after the SHB and IDB, little-endian', () => {
    const { bigEndian, blocks } = rawBlocks(bytes);
    expect(bigEndian).toBe(false);
    expect(blocks.map((b) => b.type)).toEqual([SHB, IDB, ...Array<number>(24).fill(SPB_TYPE)]);
    expect(options(blocks[0]!.body, 16, false).get(4)?.toString()).toBe('Editcap (Wireshark) 4.4.19');
  });

  it('SPBs carry no time (pcapng spec): tshark shows none, we give the time 0, as before any timestamp', () => {
    expect(tsharkFrames(SPB).map((f) => f['frame.time_epoch'])).toEqual(Array<string>(24).fill(''));
    const { packets, info } = readBytes(bytes);
    expect(packets.map(epoch)).toEqual(Array<string>(24).fill('0.000000000'));
    expect(info.first).toBe('1970-01-01T00:00:00.000000Z');
    // Said once, at the first SPB (frame 1, right after the SHB and the IDB), not per packet.
    const { blocks } = rawBlocks(bytes);
    const firstSpbAt = blocks[0]!.body.length + 12 + blocks[1]!.body.length + 12;
    expect(info.warnings).toEqual([expect.objectContaining({ code: 'no-timestamps', frame: 1, offset: firstSpbAt })]);
    expect(info.warnings[0]!.message).toContain('carries no time');
  });
});

describe('if_tsoffset from dpkt', () => {
  const bytes = bytesOf(TSOFFSET);
  const { blocks } = rawBlocks(bytes);
  const offset = options(blocks[1]!.body, 8, false).get(14)!;
  const firstSource = sourceFrames[0]!['frame.time_epoch']!;

  it('its IDB carries if_tsoffset (option 14): the first packet\'s whole second', () => {
    expect(blocks.map((b) => b.type)).toEqual([SHB, IDB, ...Array<number>(24).fill(EPB)]);
    expect(offset).toHaveLength(8);
    expect(offset.readBigInt64LE(0)).toBe(BigInt(firstSource.split('.')[0]!));
  });

  it('its EPB times are relative to the offset: time = if_tsoffset + timestamp (µs here)', () => {
    const epb = blocks[2]!.body;
    const ticks = (BigInt(epb.readUInt32LE(4)) << 32n) | BigInt(epb.readUInt32LE(8));
    expect(ticks).toBeLessThan(1_000_000n);
    expect(`${offset.readBigInt64LE(0)}.${String(ticks).padStart(6, '0')}000`).toBe(firstSource);
  });
});
