/**
 * Decryption must not leak: no secret of any fixture key log (in hex, either
 * case, base64 or as raw bytes) appears in any output of any TLS fixture, and
 * the passwords sent inside TLS are redacted like clear-text ones unless
 * --show-secrets. The key material comes from the key log files themselves and
 * the passwords from the recording (fixtures/tls/truth/secrets.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult } from '../../src/model.js';
import { renderAll } from '../support/render-all.js';
import { runCli } from '../support/run-cli.js';
import { outputAjv, SCHEMA_ID } from '../report/output-schema.js';

const DIR = new URL('../../fixtures/tls/', import.meta.url).pathname;
const CAPTURES = readdirSync(join(DIR, 'captures')).sort();
const KEYLOGS = readdirSync(join(DIR, 'keylogs')).sort().map((f) => join(DIR, 'keylogs', f));
const base = (c: string) => c.replace(/\.(pcap|pcapng)$/, '');
/** A capture's key log, and for the wrong-key-log fixture also its true one, so its content is decrypted too. */
const keyLogOf = (c: string) => KEYLOGS.filter((k) => k.endsWith(`/${base(c)}.keys`) || k.endsWith(`/${base(c)}.true.keys`));

/** Every secret of every key log line (the third field), whatever its label. */
const KEYS: Buffer[] = KEYLOGS.flatMap((f) => readFileSync(f, 'latin1').split('\n')
  .map((l) => l.trim().split(/\s+/))
  .filter((fields) => fields.length === 3 && !fields[0]!.startsWith('#'))
  .map((fields) => Buffer.from(fields[2]!, 'hex')));

const KEY_FORMS: string[] = KEYS.flatMap((k) => [k.toString('hex'), k.toString('hex').toUpperCase(), k.toString('base64').replace(/=+$/, ''), k.toString('latin1')]);

/** A 16-octet window of any key form is enough to call it a leak. */
function keyLeaks(text: string): number {
  return KEY_FORMS.filter((form) => text.includes(form.slice(0, 32))).length;
}

const PASSWORDS: string[] = (JSON.parse(readFileSync(join(DIR, 'truth', 'secrets.json'), 'utf8')) as { secrets: string[] }).secrets;
function passwordLeaks(text: string): string[] {
  return PASSWORDS.filter((p) => text.includes(p) || text.includes(Buffer.from(p).toString('base64').replace(/=+$/, '')));
}

describe('no key material and no password in any output of the TLS fixtures', () => {
  const results = new Map<string, AnalysisResult>();
  beforeAll(async () => {
    for (const c of CAPTURES) results.set(c, await analyze(join(DIR, 'captures', c), { keylog: keyLogOf(c), bodies: true }));
  }, 60_000);

  it('the lists are real: many keys, and the passwords do show with --show-secrets', async () => {
    expect(KEYS.length).toBeGreaterThan(100);
    const shown = await analyze(join(DIR, 'captures', 'tls13-aes256gcm-stls-poplib.pcap'), { keylog: keyLogOf('tls13-aes256gcm-stls-poplib.pcap'), showSecrets: true });
    expect(passwordLeaks(renderAll(shown)['json']!)).not.toEqual([]);
    // The leak check finds a key where one is written.
    expect(keyLeaks(`x${KEYS[0]!.toString('hex')}x`)).toBeGreaterThan(0);
  });

  it('the decrypted results hold to docs/output.schema.json', () => {
    const validate = outputAjv().getSchema(SCHEMA_ID)!;
    for (const c of CAPTURES) {
      const doc = JSON.parse(renderAll(results.get(c)!)['json']!);
      expect(validate(doc), `${c}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(doc.sessions.some((s: { transcript: { tls?: boolean }[] }) => s.transcript.some((e) => e.tls === true)), c).toBe(true);
    }
  });

  for (const c of CAPTURES) {
    it(c, () => {
      const r = results.get(c)!;
      expect(r.sessions.some((s) => s.tls?.decryption === 'decrypted')).toBe(true);
      for (const [format, text] of Object.entries(renderAll(r))) {
        expect(keyLeaks(text), `${format}: key material`).toBe(0);
        expect(passwordLeaks(text), `${format}: password`).toEqual([]);
      }
    });
  }

  it('the command line, every format, stdout and stderr', () => {
    const inputs = CAPTURES.filter((c) => c.endsWith('.pcap')).map((c) => join(DIR, 'captures', c));
    const keys = KEYLOGS.flatMap((k) => ['--keylog', k]);
    for (const args of [
      ['analyze'], ['analyze', '--format', 'json'], ['analyze', '--format', 'jsonl'], ['analyze', '--format', 'sarif'], ['analyze', '--format', 'html'],
      ['transcript', '--explain', '--bodies'], ['transcript', '--format', 'json'], ['sessions'], ['sessions', '--format', 'jsonl'],
      ['check', '--fail-on', 'info'], ['check', '--format', 'junit'], ['check', '--format', 'sarif'],
    ]) {
      const run = runCli([...args, ...keys, ...inputs]);
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).not.toBe(2);
      expect(run.stdout.length).toBeGreaterThan(0);
      // Formats that list sessions show the decrypted logins.
      if (!args.includes('junit') && !args.includes('sarif') && args[0] !== 'check') expect(run.stdout, args.join(' ')).toContain('carol');
      expect(keyLeaks(run.stdout) + keyLeaks(run.stderr), args.join(' ')).toBe(0);
      expect(passwordLeaks(run.stdout + run.stderr), args.join(' ')).toEqual([]);
    }
  });

  it('--show-secrets reveals a password sent inside TLS, and still no key', () => {
    const c = 'tls13-aes256gcm-stls-poplib.pcap';
    const run = runCli(['analyze', '--format', 'json', '--show-secrets', '--keylog', keyLogOf(c)[0]!, join(DIR, 'captures', c)]);
    const r = JSON.parse(run.stdout) as AnalysisResult;
    const pass = r.sessions[0]!.transcript.find((e) => e.command === 'PASS')!;
    expect(pass.tls).toBe(true);
    expect(PASSWORDS).toContain(pass.argument);
    expect(keyLeaks(run.stdout)).toBe(0);
  });
});
