/**
 * The decoder against real captures recorded from a real POP3 server, with
 * tshark's per-frame TCP ports and lengths (fixtures/tshark/NAME.frames.tsv)
 * as the reference.
 */
import { describe, it, expect } from 'vitest';
import { documentedCaptures } from '../support/tshark.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Packet } from '../../src/capture/packet.js';
import { readCapture } from '../../src/capture/input.js';
import { PacketDecoder } from '../../src/decode/decoder.js';
import type { Segment } from '../../src/decode/segment.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const CAPTURES = join(FIXTURES, 'captures');
const TSHARK = join(FIXTURES, 'tshark');

interface TsharkFrame {
  frame: number;
  srcPort: number | null;
  dstPort: number | null;
  tcpLen: number | null;
}

function tsharkFrames(name: string): TsharkFrame[] {
  const [head, ...rows] = readFileSync(join(TSHARK, `${name}.frames.tsv`), 'utf8').trimEnd().split('\n');
  const cols = head!.split('\t');
  const at = (field: string): number => {
    const i = cols.indexOf(field);
    if (i < 0) throw new Error(`${name}.frames.tsv has no ${field} column`);
    return i;
  };
  const [fNo, fSrc, fDst, fLen] = [at('frame.number'), at('tcp.srcport'), at('tcp.dstport'), at('tcp.len')];
  const num = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));
  return rows.map((r) => {
    const c = r.split('\t');
    return { frame: Number(c[fNo]), srcPort: num(c[fSrc]), dstPort: num(c[fDst]), tcpLen: num(c[fLen]) };
  });
}

const names = readdirSync(CAPTURES)
  .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
  .map((f) => ({ file: f, name: f.replace(/\.(pcap|pcapng)(\.gz)?$/, '') }))
  .filter(({ name }) => existsSync(join(TSHARK, `${name}.frames.tsv`)));

async function decodeAll(file: string, wantPort: (port: number) => boolean) {
  const decoder = new PacketDecoder({ wantPort });
  const segments = new Map<number, Segment>();
  let packets = 0;
  await readCapture(join(CAPTURES, file), {
    packet(p: Packet) {
      packets++;
      const s = decoder.decode(p);
      if (s !== null) segments.set(s.frame, { ...s, payload: s.payload.slice() });
    },
  });
  decoder.finish();
  return { segments, packets, skipped: decoder.skipped };
}

describe('recorded captures decode as tshark dissects them', () => {
  it('finds every capture fixtures/README.md documents, each with its tshark frames', () => {
    expect(names.map((n) => n.file).sort()).toEqual(documentedCaptures().filter((n) => n !== 'sample.pcapng'));
  });

  for (const { file, name } of names) {
    it(`${file}: every frame's ports and TCP length`, async () => {
      const reference = tsharkFrames(name);
      const { segments, packets } = await decodeAll(file, () => true);
      expect(packets).toBe(reference.length);
      for (const t of reference) {
        const s = segments.get(t.frame);
        if (t.srcPort === null) {
          expect(s, `frame ${t.frame} is not TCP for tshark`).toBeUndefined();
          continue;
        }
        expect(s, `frame ${t.frame}`).toBeDefined();
        expect([t.frame, s!.srcPort, s!.dstPort, s!.payload.length + s!.missing])
          .toEqual([t.frame, t.srcPort, t.dstPort, t.tcpLen]);
      }
    });

    it(`${file}: only POP3 ports are kept, the rest counted`, async () => {
      const pop3 = (port: number): boolean => port === 110 || port === 995;
      const reference = tsharkFrames(name);
      const { segments, skipped } = await decodeAll(file, pop3);
      const wanted = reference.filter((t) => t.srcPort !== null && (pop3(t.srcPort) || pop3(t.dstPort!)));
      expect(segments.size).toBe(wanted.length);
      const otherTcp = reference.filter((t) => t.srcPort !== null).length - wanted.length;
      expect(skipped['other-port'] ?? 0).toBe(otherTcp);
    });
  }
});
