import { describe, it, expect } from 'vitest';
import { PolicyError, parsePolicy, runRules, severityAtLeast } from '../../src/rules/policy.js';
import { RULES } from '../../src/rules/registry.js';
import { attempt, client, session } from './session-factory.js';

// A plain session with a clear-text password: cleartext-credentials (high) and plaintext-port (medium).
const leaky = (id: string, frame: number) => session({
  id, user: 'alice',
  greeting: { text: 'ready', apopTimestamp: null, frame },
  transcript: [client('PASS', '[redacted]', { secret: true, frame: frame + 2 })],
  auth: [attempt({ frames: [frame + 1, frame + 2] })],
});

describe('the registry', () => {
  it('holds the sixteen agreed rule ids, each once, in kebab-case', () => {
    const ids = RULES.map((r) => r.id);
    expect([...ids].sort()).toEqual([
      'auth-failures', 'cleartext-credentials', 'command-out-of-state', 'deletions-committed',
      'deletions-not-committed', 'incomplete-capture', 'overlong-argument', 'overlong-command',
      'overlong-response', 'plaintext-port', 'protocol-violation', 'stls-offered-not-used',
      'stls-rejected', 'unknown-command', 'weak-auth-mechanism', 'weak-tls',
    ]);
  });
  it('gives every rule a rationale, a remediation and references to RFCs or CWEs', () => {
    for (const r of RULES) {
      expect(r.rationale.length, r.id).toBeGreaterThan(40);
      expect(r.remediation.length, r.id).toBeGreaterThan(40);
      expect(r.references.length, r.id).toBeGreaterThan(0);
      for (const ref of r.references) expect(ref, r.id).toMatch(/^https:\/\/(www\.rfc-editor\.org\/rfc\/rfc\d+|cwe\.mitre\.org\/data\/definitions\/\d+\.html)/);
    }
  });
});

describe('runRules', () => {
  it('grades by default severity and attaches the rule remediation', () => {
    const found = runRules([leaky('1', 4)]);
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['cleartext-credentials', 'high'], ['plaintext-port', 'medium']]);
    expect(found[0]!.remediation).toBe(RULES.find((r) => r.id === 'cleartext-credentials')!.remediation);
  });

  it('orders by severity, then session, then first frame', () => {
    // Session "10" sorts after "2" (numeric order); within session 2, frames 4 < 30.
    const s2 = leaky('2', 30);
    s2.transcript.push(client('XTND', undefined, { notes: ['unknown-command'], frame: 4 }));
    const found = runRules([leaky('10', 1), s2]);
    expect(found.map((f) => `${f.severity} ${f.rule} ${f.session} ${f.frames[0]}`)).toEqual([
      'high cleartext-credentials 2 32',
      'high cleartext-credentials 10 3',
      'medium plaintext-port 2 30',
      'medium plaintext-port 10 1',
      'info unknown-command 2 4',
    ]);
  });

  it('drops disabled rules and re-grades others', () => {
    const found = runRules([leaky('1', 4)], parsePolicy({ rules: { 'plaintext-port': { enabled: false }, 'cleartext-credentials': { severity: 'critical' } } }, 'p.json'));
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['cleartext-credentials', 'critical']]);
  });

  it('lets a policy re-grade override a per-finding severity', () => {
    const s = session({ transport: 'stls', auth: [attempt({ mechanism: 'CRAM-MD5', encrypted: false })] });
    expect(runRules([s]).find((f) => f.rule === 'weak-auth-mechanism')?.severity).toBe('medium');
    const regraded = runRules([s], { rules: { 'weak-auth-mechanism': { severity: 'info' } } });
    expect(regraded.find((f) => f.rule === 'weak-auth-mechanism')?.severity).toBe('info');
  });

  it('passes policy thresholds to the rules', () => {
    const s = session({ transport: 'stls', transcript: [client('USER', 'a'.repeat(30), { frame: 5 })] });
    expect(runRules([s]).filter((f) => f.rule === 'overlong-argument')).toEqual([]);
    expect(runRules([s], { thresholds: { 'overlong-argument.characters': 20 } }).filter((f) => f.rule === 'overlong-argument')).toHaveLength(1);
  });
});

describe('parsePolicy', () => {
  it('accepts an empty policy and a full one', () => {
    expect(parsePolicy({}, 'p.json')).toEqual({});
    expect(parsePolicy({ $schema: './policy.schema.json' }, 'p.json')).toEqual({});
    const p = parsePolicy({ rules: { 'weak-tls': { enabled: true, severity: 'high' } }, thresholds: { 'auth-failures.count': 3 } }, 'p.json');
    expect(p).toEqual({ rules: { 'weak-tls': { enabled: true, severity: 'high' } }, thresholds: { 'auth-failures.count': 3 } });
  });

  it.each([
    [[], /policy p\.json: must be a JSON object/],
    [{ rule: {} }, /unknown key "rule"/],
    [{ rules: [] }, /"rules" must be an object/],
    [{ rules: { 'no-such-rule': {} } }, /unknown rule "no-such-rule"/],
    [{ rules: { 'weak-tls': false } }, /rules\."weak-tls" must be an object/],
    [{ rules: { 'weak-tls': { enabled: 'no' } } }, /rules\."weak-tls"\.enabled must be true or false/],
    [{ rules: { 'weak-tls': { severity: 'urgent' } } }, /severity must be one of info, low, medium, high, critical/],
    [{ rules: { 'weak-tls': { level: 'high' } } }, /unknown key "level"/],
    [{ thresholds: { 'auth-failures.cnt': 3 } }, /unknown threshold "auth-failures\.cnt"/],
    [{ thresholds: { 'auth-failures.count': '3' } }, /threshold "auth-failures\.count" must be a number/],
    [{ thresholds: { 'auth-failures.count': -1 } }, /must be a number of 0 or more/],
  ])('rejects %j with a one-line message', (json, message) => {
    let error: unknown;
    try {
      parsePolicy(json, 'p.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('severityAtLeast', () => {
  it('follows info < low < medium < high < critical', () => {
    expect(severityAtLeast('high', 'medium')).toBe(true);
    expect(severityAtLeast('medium', 'medium')).toBe(true);
    expect(severityAtLeast('low', 'medium')).toBe(false);
    expect(severityAtLeast('critical', 'info')).toBe(true);
    expect(severityAtLeast('info', 'low')).toBe(false);
  });
});

describe('suppressions', () => {
  const sup = (extra: Record<string, unknown>) =>
    parsePolicy({ suppressions: [{ rule: 'cleartext-credentials', user: 'alice', justification: 'lab account', ...extra }] }, 'p.json');
  const credentials = (policy: ReturnType<typeof parsePolicy>, now: Date) =>
    runRules([leaky('1', 4)], policy, RULES, now).find((f) => f.rule === 'cleartext-credentials')!;

  it('works through its expiry day (UTC) and not a day later', () => {
    const policy = sup({ expires: '2026-03-31' });
    expect(credentials(policy, new Date('2026-03-31T23:59:59Z')).suppressed).toEqual({ justification: 'lab account', expires: '2026-03-31' });
    expect(credentials(policy, new Date('2026-04-01T00:00:00Z')).suppressed).toBeUndefined();
  });
  it('matches only the user and rule it names', () => {
    expect(credentials(sup({ user: 'bob' }), new Date()).suppressed).toBeUndefined();
    const plain = runRules([leaky('1', 4)], sup({}), RULES, new Date()).find((f) => f.rule === 'plaintext-port')!;
    expect(plain.suppressed).toBeUndefined();
  });
  it('refuses a suppression of an unknown rule, or with an unknown key', () => {
    expect(() => sup({ rule: 'no-such-rule' })).toThrow(/suppressions\[0\]: unknown rule "no-such-rule"/);
    expect(() => sup({ until: '2027-01-01' })).toThrow(/suppressions\[0\]: unknown key "until"/);
    expect(() => sup({ fingerprint: 'abc' })).toThrow(/fingerprint must be 32 hex digits/);
  });
});
