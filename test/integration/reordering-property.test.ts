/**
 * A property at capture level: take a real fixture, shuffle and duplicate the
 * data segments each side sent before the other side spoke again (what a
 * network can do to them), write the capture again, and the transcript stays
 * the same, with no gap and no conflict.
 *
 * The fixture's packets are read here by hand from the classic pcap format
 * (pcap-savefile(5): 24-octet file header, 16-octet record headers; Ethernet,
 * IPv4, TCP), not by the reader under test.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionOut } from '../../src/model.js';
import { writePcap, type PacketToWrite } from '../support/capture-writer.js';
import { fixturePath } from '../support/tshark.js';
import { analyzeBytes } from './analyze-buffer.js';

interface Rec extends PacketToWrite {
  /** The sender's TCP port; the server's is 110. */
  fromServer: boolean;
  payloadLength: number;
  /** SYN or RST set (a FIN with data is shuffled like any data segment). */
  control: boolean;
  fin: boolean;
}

function readPcapLE(path: string): Rec[] {
  const b = readFileSync(path);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4 || b.readUInt32LE(20) !== 1) throw new Error('expects a µs Ethernet pcap');
  const out: Rec[] = [];
  for (let at = 24; at + 16 <= b.length;) {
    const caplen = b.readUInt32LE(at + 8);
    const data = b.subarray(at + 16, at + 16 + caplen);
    const ip = 14;
    const ihl = (data[ip]! & 0x0f) * 4;
    const total = data.readUInt16BE(ip + 2);
    const tcp = ip + ihl;
    const doff = (data[tcp + 12]! >> 4) * 4;
    const flags = data[tcp + 13]!;
    out.push({
      sec: b.readUInt32LE(at), nsec: b.readUInt32LE(at + 4) * 1000, data, origLen: b.readUInt32LE(at + 12),
      fromServer: data.readUInt16BE(tcp) === 110,
      payloadLength: total - ihl - doff,
      control: (flags & 0x06) !== 0,
      fin: (flags & 0x01) !== 0,
    });
    at += 16 + caplen;
  }
  return out;
}

/**
 * The packets without pure ACKs (an ACK moved before the data it covers would
 * rightly declare a gap), and the runs: indexes of consecutive data segments of one side.
 */
function runsOf(recs: Rec[]): { kept: Rec[]; runs: number[][] } {
  const kept = recs.filter((r) => r.control || r.fin || r.payloadLength > 0);
  const runs: number[][] = [];
  let prev: boolean | null = null;
  kept.forEach((r, i) => {
    if (r.control || r.payloadLength === 0) {
      prev = null;
      return;
    }
    if (prev === r.fromServer) runs[runs.length - 1]!.push(i);
    else runs.push([i]);
    prev = r.fromServer;
  });
  return { kept, runs };
}

/** A transcript without what depends on packet order (frames, times). */
function shape(s: SessionOut) {
  return s.transcript.map(({ frame: _f, frames: _fs, time: _t, ...rest }) => ({
    ...rest,
    ...(rest.data ? { data: { ...rest.data, firstFrame: 0, lastFrame: 0 } } : {}),
  }));
}

/** A way to disturb one run: a permutation and some duplicates (which copy, where). */
const disturbance = (n: number) => fc.record({
  order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  dups: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n })), { maxLength: 3 }),
});

for (const [capture, numRuns] of [['pipelined-burst.pcap', 20], ['user-pass-retr-dele-quit.pcap', 10]] as const) {
  describe(`${capture}: reordered and duplicated segments`, () => {
    const { kept, runs } = runsOf(readPcapLE(fixturePath(capture)));
    const times = kept.map((r) => ({ sec: r.sec, nsec: r.nsec }));
    const rebuild = (plan: { order: number[]; dups: [number, number][] }[]): PacketToWrite[] => {
      const out: Rec[] = [];
      let r = 0;
      for (let i = 0; i < kept.length;) {
        const run = runs[r];
        if (run && run[0] === i) {
          const { order, dups } = plan[r]!;
          const seq = order.map((k) => kept[run[k]!]!);
          for (const [which, where] of dups) seq.splice(Math.min(where, seq.length), 0, kept[run[which]!]!);
          out.push(...seq);
          i += run.length;
          r++;
        } else out.push(kept[i++]!);
      }
      // Times stay in file order; duplicates get the time of their neighbour.
      return out.map((p, i) => ({ ...p, ...times[Math.min(i, times.length - 1)]! }));
    };

    it('has runs of several segments to shuffle', () => {
      expect(Math.max(...runs.map((x) => x.length))).toBeGreaterThanOrEqual(3);
    });

    it('any shuffle and duplication within runs gives the same transcript', async () => {
      const baseline = (await analyzeBytes(writePcap(kept), { showSecrets: true })).sessions;
      expect(baseline.length).toBe(1);
      expect(baseline[0]!.gaps).toEqual([]);
      const expected = shape(baseline[0]!);
      await fc.assert(
        fc.asyncProperty(fc.tuple(...runs.map((run) => disturbance(run.length))), async (plan) => {
          const r = await analyzeBytes(writePcap(rebuild(plan)), { showSecrets: true });
          expect(r.sessions.length).toBe(1);
          const s = r.sessions[0]!;
          expect(s.gaps).toEqual([]);
          expect(s.anomalies.filter((a) => a.kind === 'conflicting-overlap')).toEqual([]);
          expect(shape(s)).toEqual(expected);
        }),
        { numRuns },
      );
    });
  });
}
