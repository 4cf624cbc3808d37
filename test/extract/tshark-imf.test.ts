/**
 * Against Wireshark's `tshark --export-objects imf,DIR` (tshark/NAME.imf.tsv,
 * made by fixtures/tshark-imf.sh at recording time). tshark 4.0.17 exports
 * none of the messages these captures retrieve; what it does export is the
 * server's SASL challenges (`+ <base64>` lines), which its POP dissector takes
 * for message data. Every object it exports must be one of those, or equal to a
 * message we extracted: a row that is neither fails (docs/extraction.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { captureFixtures, TSHARK_DIR } from '../capture/fixture-files.js';
import { truthFiles } from '../support/truth.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-imf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha256 = (s: string) => createHash('sha256').update(s, 'latin1').digest('hex');
const truths = new Map(truthFiles().map((t) => [t.capture.replace(/\.(pcap|pcapng)$/, ''), t]));

const withImf = captureFixtures().filter((f) => existsSync(join(TSHARK_DIR, `${f.name}.imf.tsv`)));
/** What the per-capture tests found, for the summary at the end. */
const tally = { objects: 0, sameMessage: 0, challenges: 0, ourMessages: 0 };

describe.each(withImf.map((f) => [f.name, f] as const))('%s', (name, fixture) => {
  it('every IMF object tshark exports is a SASL challenge line or one of our messages', async () => {
    const rows = readFileSync(join(TSHARK_DIR, `${name}.imf.tsv`), 'utf8').trimEnd().split('\n').slice(1)
      .map((line) => { const [file, octets, hash] = line.split('\t'); return { file, octets: Number(octets), sha256: hash }; });
    const { index } = await extract(fixture.path, { outputDir: join(tmp, name) });
    const ours = new Set(index.messages.map((m) => m.sha256));
    const challenges = new Set((truths.get(name)?.sessions ?? []).flatMap((s) => s.lines)
      .filter((l) => l.from === 'server' && l.text !== undefined && (l.text === '+' || l.text.startsWith('+ ')))
      .map((l) => sha256(`${l.text}\r\n`)));
    tally.ourMessages += index.messages.length;
    for (const row of rows) {
      const kind = ours.has(row.sha256!) ? 'same message' : challenges.has(row.sha256!) ? 'sasl-challenge' : 'unexplained';
      expect(kind, `${name}: tshark object ${row.file}`).not.toBe('unexplained');
      tally.objects++;
      if (kind === 'same message') tally.sameMessage++;
      else tally.challenges++;
    }
  });
});

it('in all, tshark exported none of the messages the fixtures retrieve (we extract every one); all it exported were challenges', () => {
  const retrieved = [...truths.values()].flatMap((t) => t.sessions.filter((s) => s.transport === 'plain').flatMap((s) => s.retrieved));
  expect(retrieved.length).toBeGreaterThan(0);
  expect(tally.ourMessages).toBeGreaterThanOrEqual(retrieved.length);
  expect(tally.sameMessage).toBe(0);
  expect(tally.challenges).toBe(tally.objects);
  expect(tally.objects).toBeGreaterThan(0);
});
