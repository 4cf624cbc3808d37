/**
 * Hitting a cap is reported, never a crash: result.limits counts it and the
 * last capture carries one `limit:<cap>` warning (docs/limits.md). Expected
 * counts are worked out by hand from the traffic each test builds.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOptions } from '../../src/analyze.js';
import { writePcap } from '../support/capture-writer.js';
import { conversation, type Turn } from '../support/conversation.js';
import { resultProblems } from './invariants.js';

async function run(bytes: Uint8Array, options: AnalyzeOptions = {}) {
  const r = await analyze(Readable.from([Buffer.from(bytes)]), options);
  expect(resultProblems(r)).toEqual([]);
  return r;
}

const LOGIN: Turn[] = [
  { from: 'server', data: '+OK ready\r\n' },
  { from: 'client', data: 'USER a\r\n' }, { from: 'server', data: '+OK\r\n' },
  { from: 'client', data: 'PASS b\r\n' }, { from: 'server', data: '+OK\r\n' },
];

describe('caps hit are counted and warned', () => {
  it('1100 pipelined NOOPs before any reply: 100 over the 1000 pending commands', async () => {
    const r = await run(writePcap(conversation([...LOGIN, { from: 'client', data: 'NOOP\r\n'.repeat(1100) }])));
    expect(r.limits['pending-commands']).toBe(100);
    expect(r.captures[0]!.warnings.map((w) => w.code)).toEqual(['limit:pending-commands']);
    expect(r.captures[0]!.warnings[0]!.message).toMatch(/^limit reached 100 times: .*pending-command limit/);
  });

  it('a transcript capped at 50 entries: greeting + 4 login lines + 100 NOOPs = 105 entries, 55 dropped', async () => {
    const r = await run(writePcap(conversation([...LOGIN, { from: 'client', data: 'NOOP\r\n'.repeat(100) }])), {
      limits: { maxTranscriptEntries: 50 },
    });
    expect(r.sessions[0]!.transcript).toHaveLength(50);
    expect(r.limits['transcript-entries']).toBe(55);
  });

  it('a header block longer than maxHeaderBytes: the cap is counted once for the message', async () => {
    const turns: Turn[] = [...LOGIN, { from: 'client', data: 'RETR 1\r\n' }, { from: 'server', data: `+OK\r\nSubject: ${'s'.repeat(40)}\r\n\r\nbody\r\n.\r\n` }];
    const r = await run(writePcap(conversation(turns)), { limits: { maxHeaderBytes: 20 } });
    expect(r.limits['header-bytes']).toBe(1);
    expect(r.sessions[0]!.messages.retrieved[0]!.subject).toBeUndefined();
  });

  it('a gzip bomb: reading stops at the expansion limit, counted and fatal', async () => {
    // A pcap header then 4 MiB of zeros (empty 16-byte records) compresses about 1000 times.
    const header = Buffer.from('d4c3b2a102000400000000000000000000000400' + '01000000', 'hex');
    const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(4 << 20)]));
    const r = await run(bomb, { limits: { gzipMaxRatio: 100, gzipRatioFloor: 1 << 20 } });
    expect(r.limits['gzip-expansion']).toBe(1);
    expect(r.captures[0]!.warnings.find((w) => w.code === 'gzip-expansion-limit')?.fatal).toBe(true);
    expect(r.captures[0]!.warnings.some((w) => w.code === 'limit:gzip-expansion')).toBe(true);
  });

  it('nothing hit, nothing reported', async () => {
    const r = await run(writePcap(conversation([...LOGIN, { from: 'client', data: 'QUIT\r\n' }, { from: 'server', data: '+OK\r\n' }])));
    expect(r.limits).toEqual({});
    expect(r.captures[0]!.warnings).toEqual([]);
    expect(r.connections).toEqual({ total: 1, empty: 0 });
  });
});
