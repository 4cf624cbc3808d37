/**
 * Property tests for TCP reassembly (fast-check, fixed seeds): whatever order,
 * duplication and interleaving the segments of two random byte streams arrive
 * in, the consumer gets exactly the bytes that were sent; a lost segment becomes
 * exactly one gap of its length at its position.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_FIN, TCP_SYN } from '../../src/decode/segment.js';
import type { Segment } from '../../src/decode/segment.js';
import { TcpAssembler } from '../../src/tcp/assembler.js';
import type { Direction } from '../../src/tcp/stream.js';
import { Recorder, inChunk, pop3Ports, seg, streamBytes } from './harness.js';

const TWO_32 = 2 ** 32;

/** Any ISN, with extra weight just below 2^32 so the streams wrap. */
const isn = fc.oneof(fc.integer({ min: 0, max: TWO_32 - 1 }), fc.integer({ min: TWO_32 - 4000, max: TWO_32 - 1 }));

interface Piece {
  dir: Direction;
  start: number;
  end: number;
}

/** Cut [0, len) at the given points into consecutive, non-empty pieces. */
function cut(dir: Direction, len: number, points: number[]): Piece[] {
  const at = [...new Set(points.map((p) => (len === 0 ? 0 : p % len)))].filter((p) => p > 0).sort((a, b) => a - b);
  const bounds = [0, ...at, len];
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) if (bounds[i]! < bounds[i + 1]!) pieces.push({ dir, start: bounds[i]!, end: bounds[i + 1]! });
  return pieces;
}

/** Arbitrary sub-ranges of [0, len): retransmissions, whole or partial, of the same bytes. */
function duplicates(dir: Direction, len: number, ranges: Array<[number, number]>): Piece[] {
  if (len === 0) return [];
  return ranges.map(([a, b]) => {
    const x = a % len;
    const y = b % len;
    return { dir, start: Math.min(x, y), end: Math.max(x, y) + 1 };
  });
}

interface Streams {
  isn: Record<Direction, number>;
  data: Record<Direction, Uint8Array>;
}

/** Handshake (frames 1, 2), then the pieces in the order given, frames from 3 on. */
function segmentsFor(s: Streams, order: Piece[], extraFlags: (p: Piece) => number = () => 0): { segments: Segment[]; frameOf: Map<number, Piece> } {
  const segments: Segment[] = [
    owned(seg({ from: 'client', seq: s.isn.client, flags: TCP_SYN, frame: 1 })),
    owned(seg({ from: 'server', seq: s.isn.server, ack: (s.isn.client + 1) % TWO_32, flags: TCP_SYN | TCP_ACK, frame: 2 })),
  ];
  const frameOf = new Map<number, Piece>();
  order.forEach((p, i) => {
    const frame = i + 3;
    frameOf.set(frame, p);
    segments.push(owned(
      seg({
        from: p.dir,
        seq: (s.isn[p.dir] + 1 + p.start) % TWO_32,
        flags: extraFlags(p),
        payload: s.data[p.dir].subarray(p.start, p.end),
        frame,
      })),
    );
  });
  return { segments, frameOf };
}

/** A segment built ahead of time keeps its own copy of the payload (the builder's chunk is reused). */
function owned(s: Segment): Segment {
  return { ...s, payload: s.payload.slice() };
}

/** Feed segments one by one (each payload a view into a chunk that the next segment overwrites). */
function run(build: () => Segment[]): { rec: Recorder; asm: TcpAssembler } {
  const rec = new Recorder();
  const asm = new TcpAssembler(rec, pop3Ports);
  for (const s of build()) asm.segment({ ...s, payload: inChunk(s.payload) });
  asm.finish();
  return { rec, asm };
}

const streams = fc.record({
  isn: fc.record({ client: isn, server: isn }),
  data: fc.record({
    client: fc.uint8Array({ minLength: 0, maxLength: 2000 }),
    server: fc.uint8Array({ minLength: 0, maxLength: 6000 }),
  }),
});

describe('reassembly properties', () => {
  it('any permutation, duplication and interleaving of the segments gives back both streams exactly', () => {
    const arb = fc
      .record({
        s: streams,
        cuts: fc.record({ client: fc.array(fc.nat(), { maxLength: 30 }), server: fc.array(fc.nat(), { maxLength: 40 }) }),
        dups: fc.record({
          client: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
          server: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 }),
        }),
      })
      .chain(({ s, cuts, dups }) => {
        const pieces = (['client', 'server'] as const).flatMap((d) => [
          ...cut(d, s.data[d].length, cuts[d]),
          ...duplicates(d, s.data[d].length, dups[d]),
        ]);
        return fc.shuffledSubarray(pieces, { minLength: pieces.length, maxLength: pieces.length }).map((order) => ({ s, order }));
      });

    fc.assert(
      fc.property(arb, ({ s, order }) => {
        let frameOf = new Map<number, Piece>();
        const { rec } = run(() => {
          const built = segmentsFor(s, order);
          frameOf = built.frameOf;
          return built.segments;
        });
        expect(rec.connections).toHaveLength(1);
        const [c] = rec.connections;
        expect(c!.closes).toBe(1);
        for (const d of ['client', 'server'] as const) {
          expect(Buffer.from(streamBytes(c!, d)).equals(Buffer.from(s.data[d]))).toBe(true);
          // Each data call names the one segment its bytes came from.
          let pos = 0;
          for (const e of c!.events) {
            if (e.dir !== d || e.kind !== 'data') continue;
            expect(e.firstFrame).toBe(e.lastFrame);
            const p = frameOf.get(e.firstFrame)!;
            expect(p.dir).toBe(d);
            expect(p.start <= pos && pos + e.bytes.length <= p.end).toBe(true);
            pos += e.bytes.length;
          }
        }
        expect(c!.summary).toMatchObject({
          gaps: [],
          anomalies: [],
          ended: 'capture-end',
          bytes: { client: s.data.client.length, server: s.data.server.length },
        });
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('dropping one segment gives exactly one gap of its length at its position, all other bytes intact', () => {
    const arb = fc
      .record({
        s: streams.filter((s) => s.data.client.length > 0 && s.data.server.length > 0),
        cuts: fc.record({ client: fc.array(fc.nat(), { maxLength: 20 }), server: fc.array(fc.nat(), { maxLength: 30 }) }),
        lose: fc.record({ dir: fc.constantFrom<Direction>('client', 'server'), index: fc.nat() }),
      })
      .chain(({ s, cuts, lose }) => {
        const pieces = (['client', 'server'] as const).flatMap((d) => cut(d, s.data[d].length, cuts[d]));
        const candidates = pieces.filter((p) => p.dir === lose.dir);
        const lost = candidates[lose.index % candidates.length]!;
        const kept = pieces.filter((p) => p !== lost);
        return fc.shuffledSubarray(kept, { minLength: kept.length, maxLength: kept.length }).map((order) => ({ s, order, lost }));
      });

    fc.assert(
      fc.property(arb, ({ s, order, lost }) => {
        let lastFrame = 0;
        const { rec } = run(() => {
          const { segments } = segmentsFor(s, order);
          // Each direction ends with a FIN, so a hole at the very end has a known length.
          for (const d of ['client', 'server'] as const) {
            segments.push(owned(seg({ from: d, seq: (s.isn[d] + 1 + s.data[d].length) % TWO_32, flags: TCP_FIN, frame: segments.length + 1 })));
          }
          lastFrame = segments.length;
          return segments;
        });
        const [c] = rec.connections;
        expect(c!.closes).toBe(1);
        expect(c!.summary!.ended).toBe('fin');
        expect(c!.summary!.gaps).toEqual([{ direction: lost.dir, offset: lost.start, length: lost.end - lost.start, frame: lastFrame }]);
        const other: Direction = lost.dir === 'client' ? 'server' : 'client';
        expect(Buffer.from(streamBytes(c!, other)).equals(Buffer.from(s.data[other]))).toBe(true);
        const d = s.data[lost.dir];
        const expected = Buffer.concat([d.subarray(0, lost.start), d.subarray(lost.end)]);
        expect(Buffer.from(streamBytes(c!, lost.dir)).equals(expected)).toBe(true);
        // The gap event sits exactly between the bytes before and after the hole.
        let pos = 0;
        for (const e of c!.events) {
          if (e.dir !== lost.dir) continue;
          if (e.kind === 'gap') {
            expect(pos).toBe(lost.start);
            expect(e.length).toBe(lost.end - lost.start);
          } else pos += e.bytes.length;
        }
        expect(c!.summary!.anomalies).toEqual([]);
      }),
      { seed: 4711, numRuns: 300 },
    );
  });

  it('streams whose sequence numbers wrap past 2^32 reassemble under any order', () => {
    const arb = fc
      .record({
        start: fc.integer({ min: TWO_32 - 3000, max: TWO_32 - 1 }),
        data: fc.uint8Array({ minLength: 1, maxLength: 6000 }),
        cuts: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
      })
      .chain(({ start, data, cuts }) => {
        const pieces = cut('server', data.length, cuts);
        return fc.shuffledSubarray(pieces, { minLength: pieces.length, maxLength: pieces.length }).map((order) => ({ start, data, order }));
      });
    fc.assert(
      fc.property(arb, ({ start, data, order }) => {
        const s: Streams = { isn: { client: 1, server: start }, data: { client: new Uint8Array(0), server: data } };
        const { rec } = run(() => segmentsFor(s, order).segments);
        const [c] = rec.connections;
        expect(Buffer.from(streamBytes(c!, 'server')).equals(Buffer.from(data))).toBe(true);
        expect(c!.summary!.gaps).toEqual([]);
      }),
      { seed: 99, numRuns: 200 },
    );
  });
});
