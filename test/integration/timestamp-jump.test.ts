/**
 * One packet stamped far from its neighbours must not split a connection (a real
 * dumpcap capture had its SYN-ACK stamped 48 years ahead), while a capture that
 * really goes quiet for days still times out its idle connections. The expected
 * sessions are those of the same recording with its timestamps untouched.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/model.js';
import { writePcap } from '../support/capture-writer.js';
import { conversation } from '../support/conversation.js';
import { fixturePath } from '../support/tshark.js';
import { analyzeBytes, lineOf } from './analyze-buffer.js';

const DAY = 86_400;
const RECORDED = readFileSync(fixturePath('user-pass-retr-dele-quit.pcap'));

/** A copy of a little-endian classic pcap with frame `frame`'s seconds moved by `delta`. */
function shiftFrame(pcap: Buffer, frame: number, delta: number): Buffer {
  const out = Buffer.from(pcap);
  expect(out.readUInt32LE(0)).toBe(0xa1b2c3d4);
  let off = 24;
  for (let n = 1; off + 16 <= out.length; n++) {
    if (n === frame) {
      out.writeUInt32LE(out.readUInt32LE(off) + delta, off);
      return out;
    }
    off += 16 + out.readUInt32LE(off + 8);
  }
  throw new Error(`no frame ${frame}`);
}

function view(r: AnalysisResult) {
  return r.sessions.map((s) => ({
    midstream: s.midstream, ended: s.ended, greeting: s.greeting?.text, user: s.user,
    transcript: s.transcript.map((e) => `${e.frame} ${lineOf(e)}`),
  }));
}

const jumpWarnings = (r: AnalysisResult) => r.captures.flatMap((c) => c.warnings).filter((w) => w.code === 'timestamp-jump');

describe('a packet stamped far from its neighbours', () => {
  it('the SYN-ACK stamped 48 years ahead: one session with its greeting, as in the untouched recording, and one warning', async () => {
    const untouched = await analyzeBytes(RECORDED);
    const r = await analyzeBytes(shiftFrame(RECORDED, 2, 48 * 365 * DAY));
    expect(r.sessions).toHaveLength(1);
    expect(r.connections).toEqual({ total: 1, empty: 0 });
    expect(view(r)).toEqual(view(untouched));
    expect(r.sessions[0]!.midstream).toBe(false);
    const [w, ...more] = jumpWarnings(r);
    expect(more).toEqual([]);
    expect(w!.frame).toBe(2);
    expect(w!.message).toContain('1 packet stamped more than 1 hour');
    expect(r.captures[0]!.damaged).toBe(false);
  });

  it('a packet in the middle stamped a day in the past: the same', async () => {
    const untouched = await analyzeBytes(RECORDED);
    const r = await analyzeBytes(shiftFrame(RECORDED, 20, -DAY));
    expect(view(r)).toEqual(view(untouched));
    expect(jumpWarnings(r).map((w) => w.frame)).toEqual([20]);
  });

  it('several outliers make one warning with their count, naming the first', async () => {
    let pcap = shiftFrame(RECORDED, 5, 10 * DAY);
    pcap = shiftFrame(pcap, 9, -3 * DAY);
    pcap = shiftFrame(pcap, 30, 1000 * DAY);
    const r = await analyzeBytes(pcap);
    expect(view(r)).toEqual(view(await analyzeBytes(RECORDED)));
    const [w, ...more] = jumpWarnings(r);
    expect(more).toEqual([]);
    expect(w!.frame).toBe(5);
    expect(w!.message).toMatch(/^3 packets stamped/);
  });

  it('the untouched recording has no such warning', async () => {
    expect(jumpWarnings(await analyzeBytes(RECORDED))).toEqual([]);
  });
});

describe('a capture that really spans days', () => {
  const T = 1_700_000_000;
  const login = [
    { from: 'server' as const, data: '+OK ready\r\n' },
    { from: 'client' as const, data: 'USER alice\r\n' },
    { from: 'server' as const, data: '+OK\r\n' },
  ];

  it('a connection left open, then two days of quiet, then another: the first ends idle, the second is whole', async () => {
    const packets = [
      ...conversation(login, { start: T, clientPort: 40001, noClose: true }),
      ...conversation(login, { start: T + 2 * DAY, clientPort: 40002 }),
    ];
    const r = await analyzeBytes(writePcap(packets));
    expect(r.sessions.map((s) => [s.client.port, s.ended, s.midstream, s.transcript.length])).toEqual([
      [40001, 'idle', false, 3],
      [40002, 'fin', false, 3],
    ]);
    expect(jumpWarnings(r)).toEqual([]);
  });

  it('after two quiet days, the connection that speaks first goes on whole; one that stays quiet ends idle', async () => {
    const resumed = conversation(login, { start: T, clientPort: 40003 });
    const quiet = conversation(login, { start: T, clientPort: 40004, noClose: true });
    const late = resumed.slice(-3).map((p) => ({ ...p, sec: p.sec + 2 * DAY }));
    const r = await analyzeBytes(writePcap([...resumed.slice(0, -3), ...quiet, ...late]));
    expect(r.sessions.map((s) => [s.client.port, s.ended, s.midstream])).toEqual([[40003, 'fin', false], [40004, 'idle', false]]);
    expect(jumpWarnings(r)).toEqual([]);
  });
});
