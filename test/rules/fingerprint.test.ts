/**
 * Fingerprints: the same problem in two recordings of the same scenario has the same
 * fingerprint, a different problem a different one. The recordings (fixtures/record.sh,
 * baseline-run1..3) are real dovecot sessions; what each run holds is taken from the
 * clients' own truth files, not from the tool.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult, Finding } from '../../src/model.js';
import { runRules } from '../../src/rules/policy.js';
import { fingerprintOf } from '../../src/rules/fingerprint.js';
import { attempt, client, session } from './session-factory.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const capture = (n: number) => `${FIXTURES}captures/baseline-run${n}.pcap`;
const truth = (n: number) =>
  JSON.parse(readFileSync(`${FIXTURES}truth/baseline-run${n}.json`, 'utf8')) as {
    sessions: { transport: string; server: string; user: string; mechanism: string }[];
  };
const prints = (r: AnalysisResult) => r.findings.map((f) => `${f.rule} ${f.fingerprint}`).sort();

describe('fingerprints of real recordings of one scenario', async () => {
  const [run1, run2, run3] = await Promise.all([1, 2, 3].map((n) => analyze(capture(n))));

  it('the recordings differ where fingerprints must not look: client ports and times', () => {
    expect(run1!.sessions.map((s) => s.client.port)).not.toEqual(run2!.sessions.map((s) => s.client.port));
    expect(run1!.sessions[0]!.start).not.toEqual(run2!.sessions[0]!.start);
  });

  it('every fingerprint of run 1 is in run 2 and the other way round', () => {
    expect(run1!.findings.length).toBeGreaterThan(0);
    expect(prints(run2!)).toEqual(prints(run1!));
  });

  it("run 3 has exactly one new fingerprint: the clear-text login its truth file adds", () => {
    const known = new Set(run1!.findings.map((f) => f.fingerprint));
    const fresh = run3!.findings.filter((f) => !known.has(f.fingerprint));
    expect(fresh).toHaveLength(1);
    // The session truth lists in run 3 and not in run 1: a plain USER login by carol.
    const key = (s: { transport: string; server: string; user: string; mechanism: string }) => `${s.transport} ${s.server} ${s.user} ${s.mechanism}`;
    const before = new Set(truth(1).sessions.map(key));
    const added = truth(3).sessions.filter((s) => !before.has(key(s)));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ transport: 'plain', user: 'carol', mechanism: 'USER' });
    expect(fresh[0]!.rule).toBe('cleartext-credentials');
    expect(fresh[0]!.details).toMatchObject({ user: 'carol', mechanism: 'USER' });
    const s = run3!.sessions.find((x) => x.id === fresh[0]!.session)!;
    expect(`${s.server.ip}:${s.server.port}`).toBe(added[0]!.server);
  });

  it('each fingerprint is 32 hex digits, and the same port in clear text is one problem whoever used it', () => {
    for (const f of run3!.findings) expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const ports = run3!.findings.filter((f) => f.rule === 'plaintext-port');
    expect(ports.length).toBe(3);
    expect(new Set(ports.map((f) => f.fingerprint)).size).toBe(1);
  });
});

describe('what goes into a fingerprint', () => {
  const leaky = (o: { id?: string; clientPort?: number; frame?: number; start?: string; user?: string; serverPort?: number; mechanism?: string } = {}) => {
    const frame = o.frame ?? 4;
    return session({
      id: o.id ?? '1',
      client: { ip: '192.0.2.10', port: o.clientPort ?? 50000 },
      server: { ip: '198.51.100.1', port: o.serverPort ?? 110 },
      start: o.start ?? '2026-01-01T10:00:00.000000Z',
      user: o.user ?? 'alice',
      transcript: [client('PASS', '[redacted]', { secret: true, frame: frame + 2 })],
      auth: [attempt({ user: o.user ?? 'alice', mechanism: o.mechanism ?? 'USER', frames: [frame + 1, frame + 2] })],
    });
  };
  const credentials = (s: ReturnType<typeof leaky>): Finding =>
    runRules([s]).find((f) => f.rule === 'cleartext-credentials')!;
  const base = credentials(leaky()).fingerprint;

  it('leaves out session ids, client ports, frames and times', () => {
    expect(credentials(leaky({ id: '9', clientPort: 61000, frame: 400, start: '2027-05-05T00:00:00Z' })).fingerprint).toBe(base);
  });
  it('tells apart the user, the server port and the mechanism', () => {
    expect(credentials(leaky({ user: 'bob' })).fingerprint).not.toBe(base);
    expect(credentials(leaky({ serverPort: 1110 })).fingerprint).not.toBe(base);
    expect(credentials(leaky({ mechanism: 'PLAIN' })).fingerprint).not.toBe(base);
  });
  it('tells apart rules with the same facts', () => {
    expect(fingerprintOf('a', { user: 'x' })).not.toBe(fingerprintOf('b', { user: 'x' }));
    // Parts are named: a value moved to another name is another problem.
    expect(fingerprintOf('a', { user: 'x', server: '' })).not.toBe(fingerprintOf('a', { user: '', server: 'x' }));
  });
});
