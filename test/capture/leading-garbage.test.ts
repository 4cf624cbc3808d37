/**
 * A capture behind junk bytes is found and read from its header, whatever the chunk
 * size; bytes that merely contain a magic number are not taken for a capture. Packet
 * counts come from tshark's reading of the untouched recordings (tshark/*.frames.tsv).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCaptureHeader, HEADER_SEARCH_WINDOW } from '../../src/capture/header-search.js';
import { fixturePath, readTsv, tsharkFile } from '../support/tshark.js';
import { runCli } from '../support/run-cli.js';
import { readBytes } from './collect.js';

const LIMITS = { maxRecordLength: 262_144, maxBlockLength: 16 * 1024 * 1024 };
const BIG = 'user-pass-retr-dele-quit.pcap'; // 230 kB: larger than the search window
const bigBytes = readFileSync(fixturePath(BIG));
const tsharkFrames = (name: string) => readTsv(tsharkFile(name, 'frames.tsv')).length;

describe('a capture header after other bytes', () => {
  for (const chunk of [1, 1000, 65_536, 4 * 1024 * 1024]) {
    it(`is found behind 17 bytes and every packet read, in chunks of ${chunk}`, () => {
      const input = Buffer.concat([Buffer.from('junk before head\n'), bigBytes]);
      const { packets, info } = readBytes(input, chunk);
      expect(packets).toHaveLength(tsharkFrames(BIG));
      expect(packets[0]!.offset).toBe(17 + 24);
      expect(info.warnings.map((w) => [w.code, w.offset])).toEqual([['leading-garbage', 17]]);
      expect(info.damaged).toBe(true);
    });
  }

  it('is looked for only within the window: a header past 64 KiB is not trusted', () => {
    const far = Buffer.concat([Buffer.alloc(HEADER_SEARCH_WINDOW + 1, 0x20), bigBytes]);
    expect(findCaptureHeader(far, LIMITS)).toBe(-1);
    const near = Buffer.concat([Buffer.alloc(HEADER_SEARCH_WINDOW, 0x20), bigBytes]);
    expect(findCaptureHeader(near, LIMITS)).toBe(HEADER_SEARCH_WINDOW);
  });

  it('a magic number followed by a wrong version, an impossible record or a bad block is no header', () => {
    const header = Buffer.from(bigBytes.subarray(0, 24 + 16));
    const with_ = (at: number, f: (b: Buffer) => void) => { const b = Buffer.concat([Buffer.from('xx'), header]); f(b); return findCaptureHeader(b, LIMITS); };
    expect(with_(0, () => {})).toBe(2);
    expect(with_(0, (b) => b.writeUInt16LE(3, 2 + 4))).toBe(-1); // version 3.4
    expect(with_(0, (b) => b.writeUInt32LE(300_000, 2 + 24 + 8))).toBe(-1); // first record over 256 KiB
    expect(with_(0, (b) => b.writeUInt32LE(2_000_000, 2 + 24 + 4))).toBe(-1); // microseconds past a second
    const ng = readFileSync(fixturePath('dumpcap-pcapng.pcapng'));
    const shifted = Buffer.concat([Buffer.from('abc'), ng]);
    expect(findCaptureHeader(shifted, LIMITS)).toBe(3);
    const badTrailer = Buffer.from(shifted);
    const shbLength = ng.readUInt32LE(4);
    badTrailer.writeUInt32LE(shbLength + 4, 3 + shbLength - 4);
    expect(findCaptureHeader(badTrailer, LIMITS)).toBe(-1);
  });

  it('standard input in small pieces: the same analysis as the untouched file, and exit 3 only with --strict', () => {
    const input = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), bigBytes]);
    const plain = runCli(['analyze', '--format', 'json', fixturePath(BIG)]);
    const piped = runCli(['analyze', '--format', 'json', '-'], { input });
    expect(piped.status).toBe(0);
    const a = JSON.parse(plain.stdout), b = JSON.parse(piped.stdout);
    expect(b.sessions.map((s: { transcript: unknown }) => s.transcript)).toEqual(a.sessions.map((s: { transcript: unknown }) => s.transcript));
    expect(b.captures[0].warnings.map((w: { code: string }) => w.code)).toEqual(['leading-garbage']);
    expect(runCli(['analyze', '--strict', '-'], { input }).status).toBe(3);
  });
});
