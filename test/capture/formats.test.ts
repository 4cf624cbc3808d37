/**
 * The same packets written in every supported layout must read back as the
 * same packet sequence: frame numbers, timestamps (at the precision the two
 * layouts share), link type, lengths and bytes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../src/capture/packet.js';
import { readCapture } from '../../src/capture/input.js';
import { CaptureReader } from '../../src/capture/reader.js';
import { pcapngBlock, writePcap, writePcapng, type PacketToWrite } from '../support/capture-writer.js';
import { keep, readBytes, type KeptPacket } from './collect.js';

// 2026-11-26T18:04:49Z, as capinfos prints the first fixture's start (UTC).
const BASE = 1_795_716_289;

/** Deterministic packets of 0 to 1500 bytes; nsec is n µs + 123 ns, so every layout agrees on the microsecond. */
function samplePackets(count: number): PacketToWrite[] {
  let seed = 12345;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  return Array.from({ length: count }, (_, i) => {
    const data = Buffer.alloc(next() % 1501);
    for (let j = 0; j < data.length; j++) data[j] = next() & 0xff;
    return { sec: BASE + i * 3, nsec: (next() % 1_000_000) * 1000 + 123, data };
  });
}

const PACKETS = samplePackets(60);

function micro(p: { nsec: number }): number {
  return Math.floor(p.nsec / 1000);
}

/** `us`/`ns`: the file holds exactly that; `fine`: finer than µs but not decimal ns, so compare the microsecond. */
type Shared = 'us' | 'ns' | 'fine';

function expectSameAs(read: KeptPacket[], written: PacketToWrite[], linkType: number, precision: Shared): void {
  expect(read.length).toBe(written.length);
  read.forEach((p, i) => {
    const w = written[i]!;
    expect(p.frame).toBe(i + 1);
    expect(p.sec).toBe(w.sec);
    if (precision === 'ns') expect(p.nsec).toBe(w.nsec);
    else if (precision === 'us') expect(p.nsec).toBe(micro(w) * 1000);
    else expect(micro(p)).toBe(micro(w));
    expect(p.linkType).toBe(linkType);
    expect(p.origLen).toBe(w.data.length);
    expect(p.data.equals(Buffer.from(w.data))).toBe(true);
  });
}

const LAYOUTS: Array<[string, Buffer, Shared]> = [
  ['pcap, microseconds, little-endian', writePcap(PACKETS), 'us'],
  ['pcap, microseconds, big-endian', writePcap(PACKETS, { bigEndian: true }), 'us'],
  ['pcap, nanoseconds, little-endian', writePcap(PACKETS, { nanosecond: true }), 'ns'],
  ['pcap, nanoseconds, big-endian', writePcap(PACKETS, { nanosecond: true, bigEndian: true }), 'ns'],
  ['pcapng, default (µs) resolution', writePcapng(PACKETS, { interfaces: [{ linkType: 1 }] }), 'us'],
  ['pcapng, if_tsresol 9', writePcapng(PACKETS, { interfaces: [{ linkType: 1, tsresol: 9 }] }), 'ns'],
  ['pcapng, if_tsresol 9, big-endian', writePcapng(PACKETS, { interfaces: [{ linkType: 1, tsresol: 9 }], bigEndian: true }), 'ns'],
  ['pcapng, if_tsresol 7 (100 ns)', writePcapng(PACKETS, { interfaces: [{ linkType: 1, tsresol: 7 }] }), 'fine'],
  ['pcapng, if_tsresol 2^-30', writePcapng(PACKETS, { interfaces: [{ linkType: 1, tsresol: 0x80 | 30 }] }), 'fine'],
  ['pcapng, obsolete Packet Blocks', writePcapng(PACKETS.map((p) => ({ ...p, block: 'pb' as const })), { interfaces: [{ linkType: 1, tsresol: 9 }] }), 'ns'],
  ['pcapng, if_tsoffset', writePcapng(PACKETS, { interfaces: [{ linkType: 1, tsresol: 9, tsoffset: 1_700_000_000 }] }), 'ns'],
];

describe('every layout reads back the same packets', () => {
  it.each(LAYOUTS)('%s', (_name, bytes, precision) => {
    const { packets, info } = readBytes(bytes);
    expectSameAs(packets, PACKETS, 1, precision);
    expect(info.warnings).toEqual([]);
    expect(info.damaged).toBe(false);
    expect(info.linkTypes).toEqual(['ETHERNET']);
    expect(info.bytes).toBe(bytes.length);
  });

  it.each([1, 3, 17, 4096, 65_536])('gives the same records whatever the chunk size (%d bytes)', (chunkSize) => {
    for (const [, bytes, precision] of LAYOUTS) {
      const { packets, info } = readBytes(bytes, chunkSize);
      expectSameAs(packets, PACKETS, 1, precision);
      expect(info.warnings).toEqual([]);
    }
  });

  it('reports packet offsets in the input (record header positions)', () => {
    const { packets } = readBytes(writePcap(PACKETS), 1000);
    let offset = 24;
    packets.forEach((p, i) => {
      expect(p.offset).toBe(offset);
      offset += 16 + PACKETS[i]!.data.length;
    });
  });

  it('names the format, precision, first and last time', () => {
    const us = readBytes(writePcap(PACKETS)).info;
    expect(us.format).toBe('pcap');
    expect(us.timestampPrecision).toBe('us');
    expect(us.packets).toBe(60);
    const ns = readBytes(writePcapng(PACKETS, { interfaces: [{ linkType: 1, tsresol: 9 }] })).info;
    expect(ns.format).toBe('pcapng');
    expect(ns.timestampPrecision).toBe('ns');
    const two = [
      { sec: BASE + 10, nsec: 5, data: Buffer.from('b') },
      { sec: BASE, nsec: 123_456_789, data: Buffer.from('a') },
    ];
    // Earliest and latest, as capinfos reports them, even out of order.
    const info = readBytes(writePcap(two, { nanosecond: true })).info;
    expect(info.first).toBe('2026-11-26T18:04:49.123456789Z');
    expect(info.last).toBe('2026-11-26T18:04:59.000000005Z');
    const infoUs = readBytes(writePcap(two)).info;
    expect(infoUs.first).toBe('2026-11-26T18:04:49.123456Z');
  });
});

describe('gzip input', () => {
  it('is recognised by its magic and reads back the same packets, from a stream', async () => {
    for (const [, bytes, precision] of LAYOUTS.slice(0, 6)) {
      const packets: KeptPacket[] = [];
      const info = await readCapture(Readable.from([gzipSync(bytes)]), { packet: (p) => packets.push(keep(p)) }, { name: 'capture.bin' });
      expectSameAs(packets, PACKETS, 1, precision);
      expect(info.compression).toBe('gzip');
      expect(info.path).toBe('capture.bin');
      expect(info.bytes).toBe(bytes.length);
      expect(info.warnings).toEqual([]);
    }
  });
});

describe('reading files by path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pop3scope-capture-'));
  const pcap = LAYOUTS[2]![1];

  it('recognises gzip by its first bytes, not by the file name', async () => {
    const misnamedGzip = join(dir, 'looks-plain.pcap');
    const misnamedPlain = join(dir, 'looks-compressed.pcap.gz');
    writeFileSync(misnamedGzip, gzipSync(pcap));
    writeFileSync(misnamedPlain, pcap);
    for (const [path, compression] of [[misnamedGzip, 'gzip'], [misnamedPlain, null]] as const) {
      const packets: KeptPacket[] = [];
      const info = await readCapture(path, { packet: (p) => packets.push(keep(p)) }, { blockSize: 1000 });
      expectSameAs(packets, PACKETS, 1, 'ns');
      expect(info).toMatchObject({ path, compression, format: 'pcap', timestampPrecision: 'ns', packets: 60, bytes: pcap.length, damaged: false });
    }
  });

  it('reports progress in input bytes up to the file size', async () => {
    const path = join(dir, 'progress.pcap');
    writeFileSync(path, pcap);
    const calls: Array<[number, number | null]> = [];
    await readCapture(path, { packet: () => {} }, { blockSize: 4096, onProgress: (n, size) => calls.push([n, size]) });
    expect(calls.length).toBe(Math.ceil(pcap.length / 4096));
    expect(calls.at(-1)).toEqual([pcap.length, pcap.length]);
  });
});

describe('pcapng structure', () => {
  it('numbers frames across sections and interfaces and keeps each interface link type', () => {
    const at = (i: number, iface: number): PacketToWrite => ({ ...PACKETS[i]!, interface: iface });
    const bytes = writePcapng([], {
      interfaces: [],
      sections: [
        { interfaces: [{ linkType: 1 }, { linkType: 276, tsresol: 9 }], packets: [at(0, 0), at(1, 1), at(2, 0)] },
        // A second section in the other byte order: interface 0 is now RAW.
        { interfaces: [{ linkType: 101, tsresol: 9 }], packets: [at(3, 0), at(4, 0)], bigEndian: true },
      ],
    });
    const { packets, info } = readBytes(bytes, 50);
    expect(packets.map((p) => [p.frame, p.linkType])).toEqual([[1, 1], [2, 276], [3, 1], [4, 101], [5, 101]]);
    expect(packets[1]!.nsec).toBe(PACKETS[1]!.nsec);
    expect(packets[0]!.nsec).toBe(micro(PACKETS[0]!) * 1000);
    expect(info.linkTypes).toEqual(['ETHERNET', 'LINUX_SLL2', 'RAW']);
    // The first interface's resolution names the file's precision.
    expect(info.timestampPrecision).toBe('us');
    expect(info.warnings).toEqual([]);
  });

  it('gives a Simple Packet Block interface 0 and the previous packet time, cut to the snapshot length', () => {
    const spb: PacketToWrite = { sec: 0, nsec: 0, data: Buffer.alloc(300, 7), block: 'spb' };
    const bytes = writePcapng([PACKETS[0]!, spb], { interfaces: [{ linkType: 1, snaplen: 200, tsresol: 9 }] });
    const { packets } = readBytes(bytes);
    expect(packets).toHaveLength(2);
    expect(packets[1]).toMatchObject({ frame: 2, sec: PACKETS[0]!.sec, nsec: PACKETS[0]!.nsec, origLen: 300, linkType: 1 });
    expect(packets[1]!.data.length).toBe(200);
  });

  it('gives a Simple Packet Block before any timestamp the time 0', () => {
    const bytes = writePcapng([{ sec: 5, nsec: 0, data: Buffer.from('abcde'), block: 'spb' }], { interfaces: [{ linkType: 1 }] });
    const { packets } = readBytes(bytes);
    expect(packets[0]).toMatchObject({ frame: 1, sec: 0, nsec: 0, origLen: 5 });
    // 5 bytes of data are padded to 8 in the block: the padding is not data.
    expect(packets[0]!.data.toString()).toBe('abcde');
  });

  it('skips and counts other block types by name or number', () => {
    const extra = [
      pcapngBlock(4, Buffer.alloc(4)),
      pcapngBlock(5, Buffer.alloc(12)),
      pcapngBlock(5, Buffer.alloc(12)),
      pcapngBlock(0x0a, Buffer.alloc(8)),
      pcapngBlock(0x00000bad, Buffer.alloc(8)),
      pcapngBlock(0x00012345, Buffer.alloc(0)),
    ];
    const bytes = writePcapng([], { interfaces: [], sections: [{ interfaces: [{ linkType: 1 }], packets: PACKETS.slice(0, 3), extraBlocks: extra }] });
    const { packets, info } = readBytes(bytes);
    expect(packets.map((p) => p.frame)).toEqual([1, 2, 3]);
    expect(info.skipped).toEqual({
      'pcapng-block:name-resolution': 1,
      'pcapng-block:interface-statistics': 2,
      'pcapng-block:decryption-secrets': 1,
      'pcapng-block:custom': 1,
      'pcapng-block:0x00012345': 1,
    });
    expect(info.warnings).toEqual([]);
  });
});

describe('pcapng Decryption Secrets Blocks', () => {
  it('hands each block\'s secrets type and data up, in any section, read in small chunks', () => {
    const keyLog = Buffer.from('CLIENT_RANDOM 00 11\n');
    const dsb = (text: Buffer) => {
      const body = Buffer.alloc(8 + Math.ceil(text.length / 4) * 4);
      body.writeUInt32LE(0x544c534b, 0);
      body.writeUInt32LE(text.length, 4);
      text.copy(body, 8);
      return pcapngBlock(0x0a, body);
    };
    const bytes = writePcapng([], {
      interfaces: [],
      sections: [
        { interfaces: [{ linkType: 1 }], packets: PACKETS.slice(0, 1), extraBlocks: [dsb(keyLog)] },
        { interfaces: [{ linkType: 1 }], packets: PACKETS.slice(1, 2), extraBlocks: [dsb(Buffer.from('second'))] },
      ],
    });
    const seen: [number, string][] = [];
    const reader = new CaptureReader({ packet() {}, secrets: (type, data) => seen.push([type, Buffer.from(data).toString()]) });
    for (let i = 0; i < bytes.length; i += 7) reader.push(Uint8Array.from(bytes.subarray(i, i + 7)));
    reader.end();
    expect(seen).toEqual([[0x544c534b, 'CLIENT_RANDOM 00 11\n'], [0x544c534b, 'second']]);
  });

  it('a block whose secrets length overruns it is a warning, not a crash', () => {
    const body = Buffer.alloc(8);
    body.writeUInt32LE(0x544c534b, 0);
    body.writeUInt32LE(1000, 4);
    const bytes = writePcapng([], { interfaces: [], sections: [{ interfaces: [{ linkType: 1 }], packets: PACKETS.slice(0, 1), extraBlocks: [pcapngBlock(0x0a, body)] }] });
    const { info } = readBytes(bytes);
    expect(info.warnings.map((w) => w.code)).toEqual(['bad-decryption-secrets']);
  });
});

describe('zero-copy delivery', () => {
  it('reuses one Packet object and hands out views of the pushed chunk', () => {
    const bytes = writePcap(PACKETS.slice(0, 5));
    const seen: Packet[] = [];
    let viewsOfChunk = 0;
    const reader = new CaptureReader({
      packet: (p) => {
        seen.push(p);
        if (p.data.buffer === bytes.buffer) viewsOfChunk += 1;
      },
    });
    reader.push(bytes);
    reader.end();
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(1);
    expect(viewsOfChunk).toBe(5);
  });

  it('does not keep references to a pushed chunk: the caller may overwrite it', () => {
    const bytes = writePcap(PACKETS.slice(0, 10));
    const chunk = Buffer.alloc(700);
    const kept: KeptPacket[] = [];
    const reader = new CaptureReader({ packet: (p) => kept.push(keep(p)) });
    for (let i = 0; i < bytes.length; i += chunk.length) {
      const n = bytes.copy(chunk, 0, i, i + chunk.length);
      reader.push(chunk.subarray(0, n));
      chunk.fill(0xee);
    }
    reader.end();
    expectSameAs(kept, PACKETS.slice(0, 10), 1, 'us');
  });
});
