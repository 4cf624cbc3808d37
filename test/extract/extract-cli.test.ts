/** `pop3scope extract` as a user runs it: formats, input options, filters, caps and refusals. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/run-cli.js';
import { captureFixtures } from '../capture/fixture-files.js';
import { MAILBOXES } from './mailbox-manifest.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-extract-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = (name: string) => captureFixtures().find((f) => f.name === name)!.path;
let n = 0;
const fresh = () => join(tmp, `out-${++n}`);

describe('pop3scope extract', () => {
  it('--format json prints the index that DIR/index.json holds', () => {
    const dir = fresh();
    const r = runCli(['extract', fixture('extract-attachments'), '--output-dir', dir, '--format', 'json']);
    expect(r.status).toBe(0);
    const index = JSON.parse(r.stdout);
    expect(index).toEqual(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')));
    expect(index.schemaVersion).toBe(1);
    expect(index.messages).toHaveLength(6);
  });

  it('text is a short table, names escaped, and says where the index is', () => {
    const r = runCli(['extract', fixture('extract-attachments'), '-d', fresh()]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^session\s+command\s+octets\s+complete\s+attachments\s+sha256\s+file\s+subject$/);
    expect(lines[1]).toMatch(/^\s+1\s+TOP 1\s+497\s+no \(top\)\s+0\s+[0-9a-f]{16}\s+messages\/s1-top-1\.eml\s+Invoice and chart$/);
    expect(lines.at(-1)).toMatch(/^6 messages and 16 attachments written to .* \(index\.json lists them with sha256s\)$/);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('several files, and standard input, as analyze reads them', () => {
    const dir = fresh();
    const r = runCli(['extract', fixture('auth-login'), fixture('apop-login'), '-d', dir, '-f', 'json']);
    expect(r.status).toBe(0);
    const index = JSON.parse(r.stdout);
    expect(index.messages.map((m: { sha256: string }) => m.sha256)).toEqual([MAILBOXES.bob![1]!.sha256, MAILBOXES.bob![1]!.sha256]);
    expect(index.messages[0].firstFrame).toMatch(/^[a-z-]+\.pcap#\d+$/);
    const s = runCli(['extract', '-', '-d', fresh(), '-f', 'json'], { input: readFileSync(fixture('apop-login')) });
    expect(s.status).toBe(0);
    expect(JSON.parse(s.stdout).messages[0].sha256).toBe(MAILBOXES.bob![1]!.sha256);
  });

  it('session filters choose whose mail is written', () => {
    const r = runCli(['extract', fixture('sample'), '-d', fresh(), '-f', 'json', '--user', 'alice']);
    const index = JSON.parse(r.stdout);
    expect(index.messages.map((m: { session: string; message: number }) => [m.session, m.message])).toEqual([['1', 1], ['1', 2]]);
    const none = JSON.parse(runCli(['extract', fixture('sample'), '-d', fresh(), '-f', 'json', '--session', '4']).stdout);
    expect(none.messages).toEqual([]);
  });

  it('an output directory that is not empty is refused (exit 2) unless --force', () => {
    const dir = fresh();
    runCli(['extract', fixture('apop-login'), '-d', dir]);
    writeFileSync(join(dir, 'note.txt'), 'mine');
    const r = runCli(['extract', fixture('apop-login'), '-d', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pop3scope: output directory .* is not empty: choose an empty one, or --force to replace files in it\n$/);
    expect(runCli(['extract', fixture('apop-login'), '-d', dir, '--force']).status).toBe(0);
    expect(readFileSync(join(dir, 'note.txt'), 'utf8')).toBe('mine');
  });

  it('a cap hit is a warning and a flag in the index, never a failure', () => {
    const r = runCli(['extract', fixture('extract-attachments'), '-d', fresh(), '-f', 'json', '--limit', 'message-bytes=1000']);
    expect(r.status).toBe(0);
    const index = JSON.parse(r.stdout);
    const big = index.messages.find((m: { message: number; command: string }) => m.command === 'RETR' && m.message === 1);
    expect(big).toMatchObject({ octets: 1000, complete: false, reason: 'message-bytes', limits: ['message-bytes'] });
    // 4255, 1475, 1184 and 8814 octets are over 1000; TOP's 497 and the 798 of message 4 are not.
    expect(index.limits).toEqual({ 'message-bytes': 4 });
    expect(r.stderr).toMatch(/warning: limit reached for 4 messages: messages longer than the per-message cap were written up to it/);

    const d = runCli(['extract', fixture('extract-attachments'), '-d', fresh(), '-f', 'json', '--limit', 'mime-depth=1']);
    const fwd = JSON.parse(d.stdout).messages.find((m: { message: number; command: string }) => m.command === 'RETR' && m.message === 3);
    // The forwarded message is written as an attachment, but not opened for its own.
    expect(fwd).toMatchObject({ complete: true, limits: ['mime-depth'] });
    expect(fwd.attachments.map((a: { contentType: string }) => a.contentType)).toEqual(['message/rfc822']);
  });

  it('the total cap stops writing, and says so', () => {
    const r = runCli(['extract', fixture('extract-attachments'), '-d', fresh(), '-f', 'json', '--limit', 'extract-bytes=6000']);
    const index = JSON.parse(r.stdout);
    const unwritten = index.messages.filter((m: { file: string | null }) => m.file === null);
    expect(unwritten.length).toBeGreaterThan(0);
    expect(unwritten.every((m: { reason: string }) => m.reason === 'extract-bytes')).toBe(true);
    // What was not written is still proven: size and sha256 of what arrived.
    for (const m of unwritten.filter((x: { command: string }) => x.command === 'RETR')) {
      expect(m).toMatchObject({ octets: MAILBOXES.dave![m.message - 1]!.octets, sha256: MAILBOXES.dave![m.message - 1]!.sha256 });
    }
    expect(index.limits['extract-bytes']).toBeGreaterThan(0);
  });

  it('--output-dir is required', () => {
    const r = runCli(['extract', fixture('apop-login')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--output-dir/);
  });

  it('damaged and hostile inputs (fixtures/malformed) give a clear exit, never a stack trace, and write only inside DIR', () => {
    const dir = join(REPO, 'fixtures/malformed');
    const inputs = readdirSync(dir).filter((x) => !x.endsWith('.json'));
    // Each input's sidecar NAME.json: the exit status the command line gives on it (read beside `also`,
    // with `withLimits`), as test/fuzz/malformed-corpus.test.ts runs it.
    const sidecars = readdirSync(dir).filter((x) => x.endsWith('.json'))
      .map((x) => JSON.parse(readFileSync(join(dir, x), 'utf8')) as { input: string; also?: string[]; withLimits?: string[]; cli: { exit: number } });
    expect(sidecars.map((c) => c.input).sort(), 'every malformed input has a sidecar').toEqual([...inputs].sort());
    expect(sidecars.filter((c) => c.cli.exit === 2).length, 'some inputs are refused').toBeGreaterThan(0);
    for (const c of sidecars) {
      const f = c.input;
      const out = fresh();
      const also = (c.also ?? []).map((a) => join(dir, a));
      const limits = (c.withLimits ?? []).flatMap((l) => ['--limit', l]);
      const r = runCli(['extract', join(dir, f), ...also, ...limits, '-d', out, '-f', 'json']);
      expect(r.status, `${f}: ${r.stderr}`).toBe(c.cli.exit);
      expect(r.stderr, f).not.toMatch(/internal error|\n\s+at /);
      if (c.cli.exit === 0) expect(JSON.parse(r.stdout).schemaVersion, f).toBe(1);
    }
  });
});
