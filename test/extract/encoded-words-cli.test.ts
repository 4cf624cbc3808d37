/**
 * A character split across two RFC 2047 encoded words, through the command line: the
 * transcript's header summary (`analyze`, `transcript`) and `extract`'s index read it
 * whole, from the one decoder both use. No recorded fixture splits a character (dovecot
 * serves the mail as written, and the mailboxes of fixtures/make_mailboxes.py do not), so
 * the capture is synthetic. "é" is C3 A9 in UTF-8: base64 of "caf" C3 is "Y2Fmww==", of
 * A9 "qQ==", and "Jürgen" splits the same way across Q words (ü is C3 BC).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../support/capture-writer.js';
import { conversation } from '../support/conversation.js';
import { runCli } from '../support/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-encoded-words-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const message = [
  'From: =?UTF-8?Q?J=C3?= =?UTF-8?Q?=BCrgen?= <j@pop3scope.test>',
  'To: b@pop3scope.test',
  'Subject: =?UTF-8?B?Y2Fmww==?=',
  ' =?UTF-8?B?qQ==?= au lait',
  '',
  'body',
  '',
].join('\r\n');
const file = join(tmp, 'split-words.pcap');
writeFileSync(file, writePcap(conversation([
  { from: 'server', data: '+OK ready\r\n' },
  { from: 'client', data: 'USER b\r\n' },
  { from: 'server', data: '+OK\r\n' },
  { from: 'client', data: 'PASS c\r\n' },
  { from: 'server', data: '+OK\r\n' },
  { from: 'client', data: 'RETR 1\r\n' },
  { from: 'server', data: `+OK\r\n${message}.\r\n` },
  { from: 'client', data: 'QUIT\r\n' },
  { from: 'server', data: '+OK\r\n' },
])));

describe('a character split across two encoded words', () => {
  it('analyze: the RETR entry\'s headers read it whole', () => {
    const r = runCli(['analyze', file, '--format', 'json']);
    expect(r.status).toBe(0);
    const entry = JSON.parse(r.stdout).sessions[0].transcript.find((e: { data?: { headers?: unknown } }) => e.data?.headers);
    expect(entry.data.headers).toMatchObject({ from: 'Jürgen <j@pop3scope.test>', subject: 'café au lait' });
  });

  it('transcript: the folded data line says it', () => {
    const r = runCli(['transcript', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('From: Jürgen <j@pop3scope.test>, Subject: café au lait');
  });

  it('extract: the index says it', () => {
    const r = runCli(['extract', file, '-d', join(tmp, 'out'), '-f', 'json']);
    expect(r.status).toBe(0);
    const [m] = JSON.parse(r.stdout).messages;
    expect({ from: m.from, subject: m.subject }).toEqual({ from: 'Jürgen <j@pop3scope.test>', subject: 'café au lait' });
  });
});
