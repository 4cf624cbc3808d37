/**
 * Captures made from scratch: hostile POP3 conversations, cut into segments at
 * arbitrary bytes, with TCP damage (packets reordered, duplicated, dropped,
 * sequence numbers and flags changed), written as pcap or pcapng. Every one
 * must keep the invariants of test/fuzz/invariants.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writePcap, writePcapng, type PacketToWrite } from '../support/capture-writer.js';
import { conversation } from '../support/conversation.js';
import { analyze } from '../../src/analyze.js';
import { Readable } from 'node:stream';
import { analyzeAndCheck } from './invariants.js';
import { hostileTurns, splitTurns } from './hostile-lines.js';

const SEED = 1126;

/** TCP-level damage to the packet list. */
const damage = fc.array(
  fc.record({ kind: fc.constantFrom('swap', 'dup', 'drop', 'seq', 'flags'), at: fc.nat(), to: fc.nat(), v: fc.nat({ max: 0xffffffff }) }),
  { maxLength: 4 },
);

function applyDamage(packets: PacketToWrite[], ops: { kind: string; at: number; to: number; v: number }[]): PacketToWrite[] {
  const out = packets.map((p) => ({ ...p, data: Uint8Array.from(p.data) }));
  for (const op of ops) {
    if (out.length === 0) break;
    const i = op.at % out.length;
    const j = op.to % out.length;
    // Ethernet (14) + IPv4 without options (20): the TCP header.
    const tcp = 34;
    if (op.kind === 'swap') [out[i], out[j]] = [out[j]!, out[i]!];
    else if (op.kind === 'dup') out.splice(j, 0, out[i]!);
    else if (op.kind === 'drop') out.splice(i, 1);
    else if (op.kind === 'seq') new DataView(out[i]!.data.buffer).setUint32(tcp + 4, op.v);
    else out[i]!.data[tcp + 13] = op.v & 0xff;
  }
  return out;
}

describe('generated hostile captures keep every invariant', () => {
  it('conversations with hostile lines, arbitrary segmentation and TCP damage', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileTurns, fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }), damage, fc.boolean(), fc.constantFrom(110, 995),
        async (turns, cuts, ops, ng, port) => {
          const packets = applyDamage(conversation(splitTurns(turns, cuts), { serverPort: port }), ops);
          const file = ng ? writePcapng(packets, { interfaces: [{ linkType: 1 }] }) : writePcap(packets);
          const { problems } = await analyzeAndCheck(file);
          expect(problems).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a script split at every byte gives the commands of the script, in order', async () => {
    const script = [
      { from: 'server' as const, data: '+OK ready <9.9@x>\r\n' },
      { from: 'client' as const, data: 'USER alice\r\n' },
      { from: 'server' as const, data: '+OK\r\n' },
      { from: 'client' as const, data: 'PASS secret\r\n' },
      { from: 'server' as const, data: '+OK in\r\n' },
      { from: 'client' as const, data: 'RETR 1\r\n' },
      { from: 'server' as const, data: '+OK\r\nSubject: hi\r\n\r\n..dot\r\n.\r\n' },
      { from: 'client' as const, data: 'QUIT\r\n' },
      { from: 'server' as const, data: '+OK bye\r\n' },
    ];
    const file = writePcap(conversation(splitTurns(script, [1])));
    const { problems, result } = await analyzeAndCheck(file);
    expect(problems).toEqual([]);
    const s = result!.sessions[0]!;
    expect(s.transcript.filter((e) => e.from === 'client').map((e) => e.command)).toEqual(['USER', 'PASS', 'RETR', 'QUIT']);
    // The RETR reply: "..dot" unstuffs to ".dot" (RFC 1939 §3): (11 + 2) + (0 + 2) + (4 + 2) = 21 octets over 3 lines.
    const retr = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(retr.data).toMatchObject({ lines: 3, octets: 21, complete: true, headers: { subject: 'hi' } });
    // One byte per segment: the frame list of a line stays bounded.
    for (const e of s.transcript) expect((e.frames ?? []).length).toBeLessThanOrEqual(64);
  });

  it('a line sent one byte per segment lists at most 64 frames', async () => {
    const file = writePcap(conversation(splitTurns([{ from: 'server', data: `+OK ${'x'.repeat(200)}\r\n` }], [1])));
    const r = await analyze(Readable.from([file]));
    const g = r.sessions[0]!.transcript[0]!;
    expect(g.frames).toHaveLength(64);
    // Handshake is frames 1-3; the 206 bytes are frames 4..209: the last listed is the one that ended the line.
    expect(g.frame).toBe(209);
    expect(g.frames![63]).toBe(209);
    expect(g.frames![0]).toBe(4);
  });
});
