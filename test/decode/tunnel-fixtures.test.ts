/**
 * Every tunnel fixture (fixtures/tunnels/) against two references:
 *
 * - tshark's reading stored beside it (tshark/NAME.frames.tsv): tshark decoded
 *   the tunnel layers of every frame, and for each frame where it found TCP we
 *   make a segment with the same ports and payload length, and none elsewhere;
 * - the same traffic without the tunnel: the capture it was made from (the
 *   synthetic ones) or the capture taken inside the tunnel at the same time (the
 *   ones recorded in network namespaces, `NAME.inner.pcap`). Sessions,
 *   transcripts and findings must be the same; only `encapsulation` is added.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Packet } from '../../src/capture/packet.js';
import { readCapture } from '../../src/capture/input.js';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult } from '../../src/model.js';
import { readTsv } from '../support/tshark.js';
import { TUNNEL_BASE_CAPTURE, TUNNEL_FIXTURES } from '../support/tunnel-fixtures.js';
import { RECORDED_TUNNELS } from '../support/recorded-tunnels.js';

const DIR = new URL('../../fixtures/tunnels/', import.meta.url).pathname;
const TSHARK = join(DIR, 'tshark');

interface Expectation {
  name: string;
  encapsulation: string[] | null;
  tsharkChain: string;
  /** The same traffic without the tunnel. */
  reference: string;
  /** Recorded separately: frame numbers and times differ from the reference's. */
  separateRecording: boolean;
}

const expectations: Expectation[] = [
  ...TUNNEL_FIXTURES.map((f) => ({
    name: f.name, encapsulation: f.encapsulation, tsharkChain: f.tsharkChain,
    reference: f.base ?? TUNNEL_BASE_CAPTURE, separateRecording: false,
  })),
  ...RECORDED_TUNNELS.map((r) => ({
    name: r.name, encapsulation: r.encapsulation, tsharkChain: r.tsharkChain,
    reference: join(DIR, `${r.name}.inner.pcap`), separateRecording: true,
  })),
];

const present = new Set(existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.pcap$/.test(f) && !f.endsWith('.inner.pcap')) : []);

describe('every tunnel fixture has its expectation, tshark reading and reference', () => {
  it('no capture in fixtures/tunnels/ is left untested', () => {
    expect([...present].sort()).toEqual(expectations.map((e) => `${e.name}.pcap`).sort());
  });
});

/** Keys that name where and when, which differ between two recordings of the same traffic. */
const PLACE_AND_TIME = new Set(['frame', 'frames', 'time', 'start', 'end', 'firstFrame', 'lastFrame', 'startFrame', 'encapsulation']);

function withoutPlaceAndTime(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaceAndTime);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !PLACE_AND_TIME.has(k)).map(([k, v]) => [k, withoutPlaceAndTime(v)]));
}

function comparable(r: AnalysisResult, separate: boolean): unknown {
  const sessions = r.sessions.map((s) => {
    const { encapsulation: _, ...rest } = s;
    return rest;
  });
  // Finding messages name frames; a separate recording numbers them differently.
  const findings = r.findings.map((f) => (separate ? { rule: f.rule, severity: f.severity, session: f.session } : f));
  const body = { sessions, findings };
  return separate ? withoutPlaceAndTime(body) : body;
}

for (const e of expectations) {
  describe(`${e.name}.pcap`, () => {
    const path = join(DIR, `${e.name}.pcap`);
    const rows = () => readTsv(join(TSHARK, `${e.name}.frames.tsv`));

    it('tshark decoded the tunnel in every frame and found the POP3 session inside', () => {
      const all = rows();
      expect(all.length).toBeGreaterThan(0);
      const tcpRows = all.filter((r) => r['tcp.srcport'] !== '');
      expect(tcpRows.length).toBeGreaterThan(0);
      for (const r of tcpRows) {
        expect(`:${r['frame.protocols']}:`, `frame ${r['frame.number']}`).toContain(`:${e.tsharkChain}:`);
      }
      expect(readTsv(join(TSHARK, `${e.name}.pop.tsv`)).length).toBeGreaterThan(0);
    });

    it('gives the segments tshark found, frame by frame, and accounts for every other packet', async () => {
      const decoder = new PacketDecoder({ wantPort: (port) => port === 110 || port === 995 });
      const ours = new Map<number, { src: number; dst: number; len: number; encapsulation: readonly string[] | null | undefined }>();
      let packets = 0;
      await readCapture(path, {
        packet(p: Packet) {
          packets++;
          const s = decoder.decode(p);
          if (s) ours.set(p.frame, { src: s.srcPort, dst: s.dstPort, len: s.payload.length, encapsulation: s.encapsulation });
        },
      });
      decoder.finish();
      const theirs = rows().filter((r) => ['110', '995'].includes(r['tcp.srcport']!) || ['110', '995'].includes(r['tcp.dstport']!));
      expect([...ours.keys()]).toEqual(theirs.map((r) => Number(r['frame.number'])));
      for (const r of theirs) {
        const s = ours.get(Number(r['frame.number']))!;
        expect({ src: s.src, dst: s.dst, len: s.len }).toEqual({
          src: Number(r['tcp.srcport']), dst: Number(r['tcp.dstport']), len: Number(r['tcp.len']),
        });
        expect(s.encapsulation).toEqual(e.encapsulation);
      }
      const skipped = Object.values(decoder.skipped).reduce((a, b) => a + b, 0);
      expect(ours.size + skipped).toBe(packets);
    });

    it('gives the sessions, transcripts and findings of the same traffic without the tunnel', async () => {
      const tunnelled = await analyze(path, { showSecrets: true });
      const plain = await analyze(e.reference, { showSecrets: true });
      expect(plain.sessions.length).toBeGreaterThan(0);
      for (const s of tunnelled.sessions) {
        if (e.encapsulation === null) expect(s.encapsulation).toBeUndefined();
        else expect(s.encapsulation).toEqual(e.encapsulation);
      }
      expect(comparable(tunnelled, e.separateRecording)).toEqual(comparable(plain, e.separateRecording));
    });
  });
}
