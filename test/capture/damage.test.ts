/**
 * Damaged and hostile input: each problem gives a warning with a stable code,
 * the byte offset and (where known) the frame, and keeps what came before.
 * Offsets are computed by hand from the file layouts:
 *   pcap:   24-byte file header, then 16-byte record headers + data.
 *   pcapng: SHB 28 bytes, IDB 20 bytes (no options), EPB 32 bytes + data padded to 4.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureInputError } from '../../src/capture/input-error.js';
import { readCapture } from '../../src/capture/input.js';
import type { CaptureWarning } from '../../src/capture/packet.js';
import { writePcap, writePcapng, type PacketToWrite } from '../support/capture-writer.js';
import { keep, readBytes, type KeptPacket } from './collect.js';

const T = 1_795_716_289;
const THREE: PacketToWrite[] = [
  { sec: T, nsec: 1000, data: Buffer.alloc(100, 1) },
  { sec: T + 1, nsec: 2000, data: Buffer.alloc(200, 2) },
  { sec: T + 2, nsec: 3000, data: Buffer.alloc(50, 3) },
];
// pcap: records at 24, 24+16+100 = 140, 140+16+200 = 356; file ends at 356+16+50 = 422.
const PCAP = writePcap(THREE);
// pcapng: EPBs at 28+20 = 48, 48+32+100 = 180, 180+32+200 = 412; ends at 412+32+52 = 496.
const PCAPNG = writePcapng(THREE, { interfaces: [{ linkType: 1 }] });

function only(warnings: CaptureWarning[], code: string): CaptureWarning {
  const found = warnings.filter((w) => w.code === code);
  expect(found, `one '${code}' warning in ${JSON.stringify(warnings)}`).toHaveLength(1);
  return found[0]!;
}

function patched(bytes: Buffer, at: number, value: number, littleEndian = true): Buffer {
  const copy = Buffer.from(bytes);
  if (littleEndian) copy.writeUInt32LE(value, at);
  else copy.writeUInt32BE(value, at);
  return copy;
}

function framesOf(packets: KeptPacket[]): number[] {
  return packets.map((p) => p.frame);
}

describe('the layouts these tests assume', () => {
  it('match the hand-computed sizes', () => {
    expect(PCAP.length).toBe(422);
    expect(PCAPNG.length).toBe(496);
  });
});

describe('inputs that are not captures', () => {
  it('an empty input is fatal: empty-input', () => {
    const { packets, info } = readBytes(Buffer.alloc(0));
    expect(packets).toEqual([]);
    expect(info.warnings).toEqual([{ code: 'empty-input', message: expect.stringContaining('empty'), offset: 0, fatal: true }]);
    expect(info.damaged).toBe(true);
    expect(info.format).toBeNull();
  });

  it.each([
    ['text', Buffer.from('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n'), 'text'],
    ['a PNG image', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'PNG'],
    ['a JPEG image', Buffer.from('ffd8ffe000104a464946', 'hex'), 'JPEG'],
  ])('%s is named in the not-a-capture message', (_name, bytes, word) => {
    const { packets, info } = readBytes(bytes);
    expect(packets).toEqual([]);
    const w = only(info.warnings, 'not-a-capture');
    expect(w).toMatchObject({ offset: 0, fatal: true });
    expect(w.message).toContain(word);
    expect(info.damaged).toBe(true);
  });

  it('unrecognised binary is still not-a-capture, showing its first bytes', () => {
    const { info } = readBytes(Buffer.from('0001020304050607', 'hex'));
    expect(only(info.warnings, 'not-a-capture').message).toContain('00 01 02 03');
  });
});

describe('truncated file headers', () => {
  it.each([
    ['a pcap header cut at 10 bytes', PCAP.subarray(0, 10)],
    ['a pcap magic cut at 2 bytes', PCAP.subarray(0, 2)],
    ['a pcapng section header cut at 20 bytes', PCAPNG.subarray(0, 20)],
  ])('%s is fatal: truncated-header', (_name, bytes) => {
    for (const chunk of [bytes.length, 1]) {
      const { packets, info } = readBytes(bytes, chunk);
      expect(packets).toEqual([]);
      expect(only(info.warnings, 'truncated-header')).toMatchObject({ offset: 0, fatal: true });
      expect(info.damaged).toBe(true);
    }
  });
});

describe('a truncated last record', () => {
  it.each([
    ['pcap, inside the data', PCAP.subarray(0, 417), 356],
    ['pcap, inside the record header', PCAP.subarray(0, 366), 356],
    ['pcapng, inside the block', PCAPNG.subarray(0, 493), 412],
    ['pcapng, inside the block header', PCAPNG.subarray(0, 420), 412],
  ])('%s warns truncated-record at the record start and keeps frames 1-2', (_name, bytes, offset) => {
    for (const chunk of [bytes.length, 64, 1]) {
      const { packets, info } = readBytes(bytes, chunk);
      expect(framesOf(packets)).toEqual([1, 2]);
      expect(packets[1]!.data.equals(THREE[1]!.data)).toBe(true);
      const w = only(info.warnings, 'truncated-record');
      expect(w).toMatchObject({ offset, frame: 3 });
      expect(w.fatal).toBeUndefined();
      expect(info.damaged).toBe(true);
    }
  });

  it('a file cut exactly between records is not damaged', () => {
    const { packets, info } = readBytes(PCAP.subarray(0, 356));
    expect(framesOf(packets)).toEqual([1, 2]);
    expect(info.warnings).toEqual([]);
    expect(info.damaged).toBe(false);
  });
});

describe('lengths that cannot be trusted', () => {
  it('a pcap record longer than 262144 bytes is fatal: record-too-long', () => {
    const bytes = patched(PCAP, 140 + 8, 262_145);
    const { packets, info } = readBytes(bytes, 100);
    expect(framesOf(packets)).toEqual([1]);
    expect(only(info.warnings, 'record-too-long')).toMatchObject({ offset: 140, frame: 2, fatal: true });
    expect(info.damaged).toBe(true);
  });

  it('a record of exactly 262144 bytes is read', () => {
    const big = { sec: T, nsec: 0, data: Buffer.alloc(262_144, 9) };
    const { packets, info } = readBytes(writePcap([big, THREE[0]!]), 100_000);
    expect(packets.map((p) => p.data.length)).toEqual([262_144, 100]);
    expect(info.warnings).toEqual([]);
  });

  it('a record longer than the snapshot length is kept, with record-exceeds-snaplen', () => {
    const { packets, info } = readBytes(writePcap(THREE, { snaplen: 150 }));
    expect(framesOf(packets)).toEqual([1, 2, 3]);
    expect(packets[1]!.data.length).toBe(200);
    expect(only(info.warnings, 'record-exceeds-snaplen')).toMatchObject({ offset: 140, frame: 2 });
    expect(info.damaged).toBe(false);
  });

  it('a captured length above the original length is kept, with captured-exceeds-original', () => {
    const bytes = writePcap([THREE[0]!, { ...THREE[1]!, origLen: 150 }, THREE[2]!]);
    const { packets, info } = readBytes(bytes);
    expect(framesOf(packets)).toEqual([1, 2, 3]);
    expect(only(info.warnings, 'captured-exceeds-original')).toMatchObject({ offset: 140, frame: 2 });
  });

  it('lists a repeated warning 20 times and counts the rest', () => {
    const many = Array.from({ length: 30 }, () => THREE[1]!);
    const { packets, info } = readBytes(writePcap(many, { snaplen: 150 }));
    expect(packets).toHaveLength(30);
    const listed = info.warnings.filter((w) => w.code === 'record-exceeds-snaplen');
    expect(listed).toHaveLength(21);
    expect(listed[20]!.message).toContain('10 more');
  });
});

describe('pcapng block damage', () => {
  it.each([
    ['below 12 bytes', 180 + 4, 8],
    ['not a multiple of 4', 180 + 4, 230],
    ['different from its trailing copy', 180 + 232 - 4, 236],
  ])('a block length %s is fatal: bad-block-length', (_name, at, value) => {
    const { packets, info } = readBytes(patched(PCAPNG, at, value), 97);
    expect(framesOf(packets)).toEqual([1]);
    expect(only(info.warnings, 'bad-block-length')).toMatchObject({ offset: 180, frame: 2, fatal: true });
    expect(info.damaged).toBe(true);
  });

  it('an EPB captured length above 262144 is fatal: record-too-long', () => {
    const bytes = writePcapng([THREE[0]!, { sec: T, nsec: 0, data: Buffer.alloc(262_145) }, THREE[2]!], { interfaces: [{ linkType: 1 }] });
    const { packets, info } = readBytes(bytes, 65_536);
    expect(framesOf(packets)).toEqual([1]);
    expect(only(info.warnings, 'record-too-long')).toMatchObject({ offset: 180, frame: 2, fatal: true });
  });

  it('an EPB on an undefined interface is skipped with undefined-interface; later frames go on', () => {
    const bytes = writePcapng([THREE[0]!, { ...THREE[1]!, interface: 3 }, THREE[2]!], { interfaces: [{ linkType: 1 }] });
    const { packets, info } = readBytes(bytes);
    expect(framesOf(packets)).toEqual([1, 3]);
    expect(only(info.warnings, 'undefined-interface')).toMatchObject({ offset: 180, frame: 2 });
    expect(only(info.warnings, 'undefined-interface').fatal).toBeUndefined();
    expect(info.skipped).toEqual({ 'pcapng-block:enhanced-packet': 1 });
    expect(info.damaged).toBe(true);
  });

  it('an EPB whose captured length runs past its block is skipped with bad-packet-length', () => {
    // EPB 2's captured length (at block offset 20) claims 201 bytes in a block that holds 200.
    const { packets, info } = readBytes(patched(PCAPNG, 180 + 20, 201));
    expect(framesOf(packets)).toEqual([1, 3]);
    expect(only(info.warnings, 'bad-packet-length')).toMatchObject({ offset: 180, frame: 2 });
  });

  it('a section header with a bad byte-order magic is fatal', () => {
    const { packets, info } = readBytes(patched(PCAPNG, 8, 0x12345678));
    expect(packets).toEqual([]);
    expect(only(info.warnings, 'bad-byte-order-magic')).toMatchObject({ offset: 8, fatal: true });
  });

  it('a pcapng major version other than 1 is fatal', () => {
    const bytes = Buffer.from(PCAPNG);
    bytes.writeUInt16LE(2, 12);
    const { info } = readBytes(bytes);
    expect(only(info.warnings, 'unsupported-version')).toMatchObject({ offset: 12, fatal: true });
  });
});

async function readStream(bytes: Buffer, options = {}): Promise<{ packets: KeptPacket[]; info: Awaited<ReturnType<typeof readCapture>> }> {
  const packets: KeptPacket[] = [];
  const info = await readCapture(Readable.from([bytes]), { packet: (p) => packets.push(keep(p)) }, options);
  return { packets, info };
}

describe('gzip damage', () => {
  const many: PacketToWrite[] = Array.from({ length: 400 }, (_, i) => ({
    sec: T + i,
    nsec: 0,
    data: Buffer.from(Array.from({ length: 600 }, (_, j) => (i * 31 + j * 7) & 0xff)),
  }));
  const pcap = writePcap(many);

  it('a gzip stream cut short warns truncated-gzip and keeps what inflated', async () => {
    const gz = gzipSync(pcap);
    const { packets, info } = await readStream(gz.subarray(0, Math.floor(gz.length / 2)));
    expect(info.compression).toBe('gzip');
    const w = only(info.warnings, 'truncated-gzip');
    expect(w.fatal).toBeUndefined();
    expect(w.offset).toBe(info.bytes);
    expect(info.damaged).toBe(true);
    expect(packets.length).toBeGreaterThan(0);
    expect(packets.length).toBeLessThan(400);
    packets.forEach((p, i) => expect(p.data.equals(many[i]!.data)).toBe(true));
  });

  it('expansion beyond the configured ratio is fatal: gzip-expansion-limit', async () => {
    const zeros = writePcap(Array.from({ length: 2000 }, () => ({ sec: T, nsec: 0, data: Buffer.alloc(1500) })));
    const gz = gzipSync(zeros);
    const { packets, info } = await readStream(gz, { gzipMaxRatio: 10, gzipRatioFloor: 100_000 });
    expect(only(info.warnings, 'gzip-expansion-limit')).toMatchObject({ fatal: true });
    expect(packets.length).toBeLessThan(2000);
    expect(info.damaged).toBe(true);
  });

  it('the default bound lets an ordinary compressed capture through', async () => {
    const { packets, info } = await readStream(gzipSync(pcap));
    expect(packets).toHaveLength(400);
    expect(info.warnings).toEqual([]);
  });

  it('corrupt deflate data is fatal: gzip-error, keeping what came before', async () => {
    const gz = Buffer.from(gzipSync(pcap));
    for (let i = Math.floor(gz.length * 0.6); i < gz.length - 8; i += 7) gz[i] ^= 0x5a;
    const { packets, info } = await readStream(gz);
    expect(only(info.warnings, 'gzip-error')).toMatchObject({ fatal: true });
    expect(packets.length).toBeLessThan(400);
    packets.slice(0, 10).forEach((p, i) => expect(p.data.equals(many[i]!.data)).toBe(true));
  });
});

describe('unreadable inputs reject with a one-line CaptureInputError', () => {
  const sink = { packet: (): void => {} };

  it('a missing file: ENOENT', async () => {
    const err = await readCapture('/nonexistent/pop3.pcap', sink).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureInputError);
    expect(err).toMatchObject({ code: 'ENOENT', path: '/nonexistent/pop3.pcap' });
    expect((err as Error).message).toBe("cannot read '/nonexistent/pop3.pcap': no such file or directory");
  });

  it('a directory: EISDIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-capture-'));
    const err = await readCapture(dir, sink).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EISDIR' });
    expect((err as Error).message).toContain(dir);
    expect((err as Error).message).not.toContain('\n');
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission: EACCES', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-capture-'));
    const path = join(dir, 'secret.pcap');
    writeFileSync(path, PCAP, { mode: 0o000 });
    await expect(readCapture(path, sink)).rejects.toMatchObject({ code: 'EACCES' });
  });

  it('a damaged file resolves (it does not reject) and names the damage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-capture-'));
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, PCAP.subarray(0, 417));
    const packets: KeptPacket[] = [];
    const info = await readCapture(path, { packet: (p) => packets.push(keep(p)) }, { blockSize: 64 });
    expect(info.path).toBe(path);
    expect(framesOf(packets)).toEqual([1, 2]);
    expect(only(info.warnings, 'truncated-record')).toMatchObject({ offset: 356, frame: 3 });
  });
});
