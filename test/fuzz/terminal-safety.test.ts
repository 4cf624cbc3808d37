/**
 * Captured bytes never reach a terminal raw. Every text output path (analyze,
 * transcript, sessions, follow --format text, check, and the diagnostics on
 * standard error) is run on captures whose greetings, user names, SASL lines,
 * unknown commands, response codes and message Subjects carry escape
 * sequences, C0 and C1 controls, bidi overrides and invalid UTF-8; the output
 * must be valid UTF-8 without any of those characters.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { writePcap, type PacketToWrite } from '../support/capture-writer.js';
import { conversation, type Turn } from '../support/conversation.js';
import { runCli } from '../support/run-cli.js';
import { hostileTurns, NASTY } from './hostile-lines.js';

/** C0 except TAB and LF, DEL, C1, and the Unicode bidi controls (Trojan Source, CVE-2021-42574). */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function unsafeIn(bytes: Buffer): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'invalid UTF-8';
  }
  const m = UNSAFE.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 10))}` : null;
}

const dir = mkdtempSync(path.join(tmpdir(), 'pop3scope-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every nasty byte string in every place a captured byte can be shown. */
function placedConversations(): Turn[][] {
  return NASTY.map((n) => [
    { from: 'server', data: Buffer.concat([Buffer.from('+OK '), n, Buffer.from(' <1.2@x>\r\n')]) },
    { from: 'client', data: 'CAPA\r\n' },
    { from: 'server', data: Buffer.concat([Buffer.from('+OK\r\nSASL PLAIN '), n, Buffer.from('\r\nUSER\r\n.\r\n')]) },
    { from: 'client', data: Buffer.concat([Buffer.from('USER '), n, Buffer.from('\r\n')]) },
    { from: 'server', data: Buffer.concat([Buffer.from('+OK '), n, Buffer.from('\r\n')]) },
    { from: 'client', data: Buffer.concat([Buffer.from('PASS '), n, Buffer.from('\r\n')]) },
    { from: 'server', data: Buffer.concat([Buffer.from('-ERR ['), n, Buffer.from('] no\r\n')]) },
    { from: 'client', data: 'AUTH PLAIN\r\n' },
    { from: 'server', data: '+ \r\n' },
    { from: 'client', data: Buffer.concat([n, Buffer.from('\r\n')]) },
    { from: 'server', data: '-ERR bad\r\n' },
    { from: 'client', data: Buffer.concat([n, Buffer.from('XYZZY '), n, Buffer.from('\r\n')]) },
    { from: 'server', data: Buffer.concat([Buffer.from('-ERR '), n, Buffer.from('\r\n')]) },
    { from: 'client', data: 'RETR 1\r\n' },
    {
      from: 'server',
      data: Buffer.concat([Buffer.from('+OK\r\nSubject: '), n, Buffer.from('\r\nFrom: '), n, Buffer.from('\r\n\r\n'), n, Buffer.from('\r\n.\r\n')]),
    },
    { from: 'client', data: Buffer.concat([Buffer.from('QUIT '), n]) },
  ] as Turn[]);
}

function captureOf(conversations: Turn[][]): Buffer {
  const packets: PacketToWrite[] = [];
  conversations.forEach((turns, i) => packets.push(...conversation(turns, { clientPort: 30000 + i, start: 1_700_000_000 + i })));
  return writePcap(packets);
}

const placed = path.join(dir, 'placed.pcap');
writeFileSync(placed, captureOf(placedConversations()));
const generated = path.join(dir, 'generated.pcap');
writeFileSync(generated, captureOf(fc.sample(hostileTurns, { seed: 4242, numRuns: 40 })));

const COMMANDS: string[][] = [
  ['analyze'],
  ['analyze', '--show-secrets'],
  ['transcript'],
  ['transcript', '--show-secrets', '--explain'],
  ['sessions'],
  ['check'],
  ['follow', '--format', 'text', '--session', '1'],
  ['follow', '--format', 'text', '--session', '5'],
  ['follow', '--format', 'text', '--session', '8'],
];

describe('no raw control, C1 or bidi character reaches the terminal', () => {
  for (const [name, file] of [['every nasty string in every place', placed], ['generated hostile conversations', generated]] as const) {
    for (const args of COMMANDS) {
      it(`${name}: ${args.join(' ')}`, () => {
        const r = runCli([...args, file]);
        expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
        expect(r.stdoutBytes.length).toBeGreaterThan(0);
        expect(unsafeIn(r.stdoutBytes)).toBeNull();
        expect(unsafeIn(Buffer.from(r.stderr, 'utf8'))).toBeNull();
        // The hostile text is shown escaped, not dropped: its printable parts are still there.
        if (file === placed && args[0] === 'transcript') {
          expect(r.stdout).toContain('RED');
          expect(r.stdout).toContain('evil');
        }
      });
    }
  }

  it('diagnostics on standard error escape a hostile file name and damage messages', () => {
    const evil = path.join(dir, 'evil\x1b[2J\u202ename\x07.pcap');
    const full = captureOf(placedConversations().slice(0, 1));
    writeFileSync(evil, full.subarray(0, full.length - 7));
    const r = runCli(['analyze', evil]);
    expect(r.stderr).toMatch(/truncated|ends inside/);
    expect(unsafeIn(Buffer.from(r.stderr, 'utf8'))).toBeNull();
    expect(unsafeIn(r.stdoutBytes)).toBeNull();
  });

  it('the check can fail: a raw ESC, a C1 and a bidi override are each caught', () => {
    expect(unsafeIn(Buffer.from('ok\x1b[31m'))).toMatch(/U\+001b/);
    expect(unsafeIn(Buffer.from('ok\u009b'))).toMatch(/U\+009b/);
    expect(unsafeIn(Buffer.from('ok\u202e'))).toMatch(/U\+202e/);
    expect(unsafeIn(Buffer.from([0x6f, 0xff]))).toBe('invalid UTF-8');
    expect(unsafeIn(Buffer.from('plain\ttext\n'))).toBeNull();
  });
});
