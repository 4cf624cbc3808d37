/**
 * Acceptance: every message retrieved in every fixture is extracted byte-exactly
 * (its sha256 equals the mailbox copy's in the manifest), dave's attachments
 * equal their originals, TOP answers are flagged partial, and an encrypted
 * session yields nothing (nothing is decrypted).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { captureFixtures } from '../capture/fixture-files.js';
import { truthFiles } from '../support/truth.js';
import { MAILBOXES } from './mailbox-manifest.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-extract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const captures = new Map(captureFixtures().map((f) => [f.name, f.path]));

describe.each(truthFiles().map((t) => [t.capture, t] as const))('%s', (name, truth) => {
  it('every RETR is written byte-exactly, every TOP flagged partial', async () => {
    const path = captures.get(name.replace(/\.(pcap|pcapng)$/, ''))!;
    const dir = join(tmp, name);
    const { index } = await extract(path, { outputDir: dir });
    // Sessions run one after another, one connection each: truth session k is our session k + 1.
    const expected = truth.sessions.flatMap((s, k) => (s.transport === 'plain'
      ? s.retrieved.map((n) => ({ session: String(k + 1), user: s.user!, number: n })) : []));
    const retr = index.messages.filter((m) => m.command === 'RETR');
    expect(retr.map((m) => [m.session, m.message])).toEqual(expected.map((e) => [e.session, e.number]));
    for (const [i, m] of retr.entries()) {
      const want = MAILBOXES[expected[i]!.user]![m.message! - 1]!;
      const bytes = readFileSync(join(dir, m.file!));
      expect(sha256(bytes), `${m.file}`).toBe(want.sha256);
      expect(m).toMatchObject({ sha256: want.sha256, octets: want.octets, complete: true, reason: null });
    }
    for (const m of index.messages.filter((x) => x.command === 'TOP')) {
      expect(m).toMatchObject({ complete: false, reason: 'top' });
    }
    const encrypted = truth.sessions.flatMap((s, k) => (s.transport === 'plain' ? [] : [String(k + 1)]));
    expect(index.messages.filter((m) => encrypted.includes(m.session))).toEqual([]);
  });
});

describe('dave: attachments', () => {
  it('every attachment equals its original, nested ones included; TOP 1 5 is the headers and five lines', async () => {
    const dir = join(tmp, 'dave');
    const { index } = await extract(captures.get('extract-attachments')!, { outputDir: dir });
    for (const m of index.messages.filter((x) => x.command === 'RETR')) {
      const want = MAILBOXES.dave![m.message! - 1]!;
      if (!want.attachments) continue; // the malformed message: its bytes are checked above
      expect(m.attachments.map((a) => a.sha256)).toEqual(want.attachments.map((a) => a.sha256));
      for (const a of m.attachments) expect(sha256(readFileSync(join(dir, a.file!)))).toBe(a.sha256);
      // Names as the sender gave them, decoded (postal-mime reads a LF inside a name as a space).
      expect(m.attachments.map((a) => a.filename)).toEqual(want.attachments.map((a) => a.filename.replace(/\n/g, ' ')));
    }
    const forwarded = index.messages.find((m) => m.command === 'RETR' && m.message === 3)!;
    expect(forwarded.attachments.map((a) => [a.contentType, a.parent])).toEqual([['message/rfc822', undefined], ['text/plain', 0]]);

    const top = index.messages.find((m) => m.command === 'TOP')!;
    const whole = readFileSync(join(dir, index.messages.find((m) => m.command === 'RETR' && m.message === 1)!.file!));
    const lines = whole.toString('latin1').split('\r\n');
    const blank = lines.indexOf('');
    const expected = Buffer.from(lines.slice(0, blank + 1 + 5).join('\r\n') + '\r\n', 'latin1');
    expect(readFileSync(join(dir, top.file!)).equals(expected)).toBe(true);
    expect(top).toMatchObject({ message: 1, complete: false, reason: 'top', subject: 'Invoice and chart' });
  });
});
