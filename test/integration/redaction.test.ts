/**
 * No secret that crossed the wire in any fixture reaches any output by default:
 * every capture through every renderer (the library path the command line uses),
 * and the command line itself, stdout and stderr, for a representative subset.
 * The secrets come from the recording (fixtures/truth/secrets.json), not from
 * the tool. `follow` is left out on purpose: it prints the raw stream bytes.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult } from '../../src/model.js';
import { renderJson } from '../../src/report/json.js';
import { fixtureCaptures, fixturePath } from '../support/tshark.js';
import { secrets, truthFiles } from '../support/truth.js';
import { runCli } from '../support/run-cli.js';
import { renderAll } from '../support/render-all.js';

const CAPTURES = fixtureCaptures();
const SECRETS = secrets();

/** Each secret as sent and in base64 (with and without padding), the forms an output could leak. */
const FORMS: { secret: string; form: string }[] = SECRETS.flatMap((secret) => {
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  return [...new Set([secret, b64, b64.replace(/=+$/, '')])].map((form) => ({ secret, form }));
});

/** The forms found in a text; the message names which secret leaked, never printing it twice. */
function leaks(text: string): string[] {
  return FORMS.filter(({ form }) => text.includes(form)).map(({ secret, form }) =>
    `secret #${SECRETS.indexOf(secret)}${form === secret ? '' : ' (base64)'}`);
}

describe('the secrets list covers what the fixtures send', () => {
  it('holds every password the truth shows after PASS, and APOP and base64 SASL forms', () => {
    expect(SECRETS.length).toBeGreaterThan(20);
    const passes = truthFiles().flatMap((t) => t.sessions.flatMap((s) =>
      s.lines.filter((l) => l.from === 'client' && l.text?.startsWith('PASS ')).map((l) => l.text!.slice(5))));
    for (const p of passes) expect(SECRETS).toContain(p);
    const apop = truthFiles().flatMap((t) => t.sessions.flatMap((s) =>
      s.lines.filter((l) => l.from === 'client' && l.text?.startsWith('APOP ')).map((l) => l.text!.split(' ')[2]!)));
    expect(apop.length).toBeGreaterThan(0);
    for (const d of apop) expect(SECRETS).toContain(d);
  });

  it('the leak check can fail: a rendering with --show-secrets leaks', async () => {
    const r = await analyze(fixturePath('user-pass-retr-dele-quit.pcap'), { showSecrets: true });
    expect(leaks(renderJson(r))).toContain(`secret #${SECRETS.indexOf('Wonderland-7429')}`);
  });
});

describe('default outputs of every fixture hold no secret', () => {
  const plain = new Map<string, AnalysisResult>();
  const withBodies = new Map<string, AnalysisResult>();
  beforeAll(async () => {
    for (const name of CAPTURES) {
      plain.set(name, await analyze(fixturePath(name)));
      withBodies.set(name, await analyze(fixturePath(name), { bodies: true }));
    }
  }, 60_000);

  for (const name of CAPTURES) {
    it(name, () => {
      for (const [variant, r] of [['', plain.get(name)!], [' (analysed with bodies)', withBodies.get(name)!]] as const) {
        for (const [format, text] of Object.entries(renderAll(r))) {
          expect(text.length, `${format}${variant}`).toBeGreaterThan(0);
          expect(leaks(text), `${name}: ${format}${variant}`).toEqual([]);
        }
      }
    });
  }

  it('redaction is visible: clear-text PASS, AUTH answers and APOP digests read [redacted]', () => {
    const json = (name: string) => JSON.parse(renderJson(plain.get(name)!)) as AnalysisResult;
    const pass = json('user-pass-retr-dele-quit.pcap').sessions[0]!.transcript.find((e) => e.command === 'PASS')!;
    expect(pass.argument).toBe('[redacted]');
    const apop = json('apop-login.pcap').sessions[0]!.transcript.find((e) => e.command === 'APOP')!;
    expect(apop.argument).toBe('bob [redacted]');
    for (const name of ['auth-login.pcap', 'auth-plain.pcap', 'auth-cram-md5.pcap']) {
      for (const a of json(name).sessions[0]!.auth) expect(a.secret, name).toBe('[redacted]');
    }
  });
});

describe('the command line, stdout and stderr', () => {
  // Several inputs are read as one capture, so one process per command covers every fixture.
  const ALL = CAPTURES.map(fixturePath);
  const COMMANDS: string[][] = [
    ['analyze'], ['analyze', '--format', 'json'], ['analyze', '--format', 'jsonl'], ['analyze', '--format', 'sarif'], ['analyze', '--format', 'html'],
    ['transcript', '--explain', '--bodies'], ['transcript', '--format', 'json', '--bodies'],
    ['sessions'], ['check', '--fail-on', 'info', '--format', 'sarif'],
  ];

  for (const args of COMMANDS) {
    it(`pop3scope ${args.join(' ')} <every fixture>`, () => {
      const run = runCli([...args, ...ALL]);
      expect(run.status, run.stderr).not.toBe(2);
      expect(run.stdout.length).toBeGreaterThan(0);
      // The sessions of every fixture are there, the clear-text logins among them.
      expect(run.stdout).toContain('alice');
      expect(run.stdout).toContain('carol');
      expect(leaks(run.stdout), 'stdout').toEqual([]);
      expect(leaks(run.stderr), 'stderr').toEqual([]);
    });
  }

  it('with --show-secrets the PASS password of user-pass-retr-dele-quit appears in the JSON', () => {
    const run = runCli(['analyze', '--format', 'json', '--show-secrets', fixturePath('user-pass-retr-dele-quit.pcap')]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as AnalysisResult;
    const pass = result.sessions[0]!.transcript.find((e) => e.command === 'PASS')!;
    expect(pass.argument).toBe('Wonderland-7429');
    expect(result.sessions[0]!.auth[0]!.secret).toBe('Wonderland-7429');
  });
});
