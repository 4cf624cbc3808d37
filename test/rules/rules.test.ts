import { describe, it, expect } from 'vitest';
import { SECRET_LENGTH } from '../../src/redaction.js';
import type { SessionOut } from '../../src/model.js';
import { runRules } from '../../src/rules/policy.js';
import { RULES } from '../../src/rules/registry.js';
import { RuleRunner } from '../../src/rules/runner.js';
import { attempt, capaExchange, client, server, session, tls } from './session-factory.js';

/** Findings of one rule only, all others disabled, so each test speaks of its rule. */
function only(ruleId: string, sessions: SessionOut[], thresholds?: Record<string, number>) {
  const rules = Object.fromEntries(RULES.map((r) => [r.id, { enabled: r.id === ruleId }]));
  return runRules(sessions, { rules, thresholds });
}

describe('cleartext-credentials', () => {
  it('fires on USER/PASS over a plain connection, naming the user and the PASS frame', () => {
    const pass = client('PASS', '[redacted]', { secret: true, frame: 8 });
    const s = session({ transcript: [client('USER', 'alice', { frame: 6 }), pass], auth: [attempt({ frames: [6, 8, 9] })] });
    const [f, ...rest] = only('cleartext-credentials', [s]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.frames).toEqual([8]);
    expect(f!.message).toContain('"alice"');
    expect(f!.message).toContain('USER/PASS');
    expect(f!.message).not.toContain('\n');
  });

  it('reports a PASS refused out of state when it crossed in clear, not when it was read from inside TLS', () => {
    const stray = (extra: Record<string, unknown>) =>
      client('PASS', '[redacted]', { secret: true, frame: 17, state: 'TRANSACTION', notes: ['out-of-state'], ...extra });
    const [f, ...rest] = only('cleartext-credentials', [session({ transcript: [stray({})] })]);
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([17]);
    expect(f!.message).toContain('outside a login');
    // In an STLS session the lines before STLS crossed in clear; those read from inside TLS did not.
    expect(only('cleartext-credentials', [session({ transport: 'stls', transcript: [stray({})] })])).toHaveLength(1);
    expect(only('cleartext-credentials', [session({ transport: 'stls', transcript: [stray({ tls: true })] })])).toEqual([]);
  });

  it('fires on AUTH PLAIN, AUTH LOGIN and XOAUTH2 in clear, even when the login failed', () => {
    const s = session({ auth: [
      attempt({ mechanism: 'PLAIN', outcome: 'failure' }),
      attempt({ mechanism: 'LOGIN' }),
      attempt({ mechanism: 'XOAUTH2', user: 'bob@example.com' }),
    ] });
    const found = only('cleartext-credentials', [s]);
    expect(found.map((f) => f.details?.mechanism)).toEqual(['PLAIN', 'LOGIN', 'XOAUTH2']);
    expect(found[2]!.message).toContain('bearer token');
  });

  it('reports repeated tries of one user as one finding with every secret frame', () => {
    const tries = [10, 20, 30].map((f, i) => attempt({ frames: [f - 1, f], outcome: i < 2 ? 'failure' : 'success' }));
    const transcript = [10, 20, 30].map((f) => client('PASS', '[redacted]', { secret: true, frame: f }));
    const found = only('cleartext-credentials', [session({ auth: tries, transcript })]);
    expect(found).toHaveLength(1);
    expect(found[0]!.frames).toEqual([10, 20, 30]);
    expect(found[0]!.message).toContain('3 times');
    expect(found[0]!.message).toContain('2 failure, 1 success');
  });

  it('stays silent after STLS, when no secret crossed, and for digest mechanisms', () => {
    const s = session({ auth: [
      attempt({ encrypted: true }),
      attempt({ secret: null, outcome: 'failure' }),
      attempt({ mechanism: 'CRAM-MD5' }),
      attempt({ mechanism: 'APOP' }),
    ] });
    expect(only('cleartext-credentials', [s])).toEqual([]);
  });
});

describe('plaintext-port', () => {
  it('fires on a plain session', () => {
    const found = only('plaintext-port', [session({ user: 'alice' })]);
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('medium');
    expect(found[0]!.frames).toEqual([4]);
  });
  it('stays silent after STLS, on implicit TLS, and on streams that are not POP3', () => {
    expect(only('plaintext-port', [
      session({ transport: 'stls' }),
      session({ transport: 'implicit-tls', server: { ip: '198.51.100.1', port: 995 } }),
      session({ notPop3: { kind: 'http', direction: 'client', bytes: 14 } }),
    ])).toEqual([]);
  });
});

describe('stls-offered-not-used', () => {
  const capa = (items: string[]): SessionOut['transcript'] => capaExchange(items, 6);
  it('fires when CAPA listed STLS and the client sent USER in clear', () => {
    const s = session({ transcript: [...capa(['TOP', 'STLS', 'SASL PLAIN']), client('USER', 'alice', { frame: 7 })] });
    const [f] = only('stls-offered-not-used', [s]);
    expect(f!.frames).toEqual([6, 7]);
    expect(f!.message).toContain('USER');
  });
  it('judges the CAPA answer before login, not a later one without STLS (RFC 2595 §4)', () => {
    const s = session({ transcript: [
      ...capa(['STLS', 'SASL CRAM-MD5']), client('AUTH', 'CRAM-MD5', { frame: 7 }),
      ...capaExchange(['TOP', 'UIDL'], 12, 'TRANSACTION'),
    ] });
    const [f, ...rest] = only('stls-offered-not-used', [s]);
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([6, 7]);
    expect(f!.message).toContain('AUTH');
  });
  it('fires on a client that sent USER before the CAPA answer came (pipelining), naming it so', () => {
    const [command, answer] = capaExchange(['STLS'], 9);
    const s = session({ transcript: [command!, client('USER', 'alice', { frame: 5 }), client('PASS', '[redacted]', { frame: 5 }), answer!] });
    const [f] = only('stls-offered-not-used', [s]);
    expect(f!.frames).toEqual([5, 9]);
    expect(f!.message).toContain('before the CAPA answer');
  });
  it('keeps a hostile keyword on one printable line', () => {
    const s = session({ transcript: [...capa(['STLS']), client('X\r\nFAKE', undefined, { notes: ['unknown-command'] })] });
    const [f] = only('stls-offered-not-used', [s]);
    expect(f!.message).toContain('X??FAKE');
    expect(f!.message).not.toMatch(/[\r\n]/);
  });
  it('stays silent when the client used STLS, or the server did not offer it before login, or the client only quit', () => {
    expect(only('stls-offered-not-used', [
      session({ transport: 'stls', transcript: [...capa(['STLS']), client('STLS'), client('USER', 'a')] }),
      session({ transcript: [...capa(['TOP', 'USER']), client('USER', 'a')] }),
      session({ transcript: [client('USER', 'a'), ...capaExchange(['STLS'], 20, 'TRANSACTION'), client('STAT')] }),
      session({ transcript: [...capa(['STLS']), client('QUIT')] }),
    ])).toEqual([]);
  });
});

describe('stls-rejected', () => {
  it('fires when STLS is answered -ERR', () => {
    const s = session({ transcript: [client('STLS'), server('-ERR', 'TLS not available', { frame: 21, answers: 'STLS' })] });
    const [f] = only('stls-rejected', [s]);
    expect(f!.severity).toBe('high');
    expect(f!.frames).toEqual([21]);
    expect(f!.message).toContain('TLS not available');
  });
  it('fires on a CAPA without STLS from a server that offered it in another session (stripping)', () => {
    const offered = session({ id: '1', transport: 'stls', transcript: capaExchange(['STLS', 'TOP']) });
    const stripped = session({ id: '2', transcript: capaExchange(['TOP'], 40) });
    const found = only('stls-rejected', [offered, stripped]);
    expect(found).toHaveLength(1);
    expect(found[0]!.session).toBe('2');
    expect(found[0]!.frames).toEqual([40]);
    expect(found[0]!.details).toEqual({ offeredInSession: '1' });
  });
  it('stays silent when STLS succeeds and when another server lacks STLS', () => {
    const ok = session({ transport: 'stls', transcript: [...capaExchange(['STLS']), client('STLS'), server('+OK', 'Begin TLS', { answers: 'STLS' })] });
    const other = session({ id: '2', server: { ip: '203.0.113.5', port: 110 }, transcript: capaExchange(['TOP']) });
    expect(only('stls-rejected', [ok, other])).toEqual([]);
  });
});

describe('weak-auth-mechanism', () => {
  it('is low for APOP over TLS and medium for CRAM-MD5 in clear', () => {
    const s = session({ auth: [attempt({ mechanism: 'APOP', encrypted: true }), attempt({ mechanism: 'CRAM-MD5', encrypted: false })] });
    const found = only('weak-auth-mechanism', [s]);
    expect(found.map((f) => [f.details?.mechanism, f.severity])).toEqual([['CRAM-MD5', 'medium'], ['APOP', 'low']]);
  });
  it('stays silent for SCRAM-SHA-256 and PLAIN, and for a CRAM-MD5 exchange cancelled before any digest', () => {
    expect(only('weak-auth-mechanism', [session({ auth: [
      attempt({ mechanism: 'SCRAM-SHA-256' }), attempt({ mechanism: 'PLAIN' }),
      attempt({ mechanism: 'CRAM-MD5', outcome: 'cancelled', secret: null }),
    ] })])).toEqual([]);
  });
});

describe('weak-tls', () => {
  it('is medium for TLS 1.0 with a sound suite', () => {
    const [f] = only('weak-tls', [session({ tls: tls({ version: 'TLS 1.0', cipherSuite: 'TLS_RSA_WITH_AES_128_CBC_SHA' }) })]);
    expect(f!.severity).toBe('medium');
    expect(f!.message).toContain('TLS 1.0');
  });
  it('is high for SSL 3.0, and for RC4, NULL or EXPORT suites under TLS 1.2', () => {
    const found = only('weak-tls', [
      session({ id: '1', tls: tls({ version: 'SSL 3.0', cipherSuite: 'TLS_RSA_WITH_AES_128_CBC_SHA' }) }),
      session({ id: '2', tls: tls({ version: 'TLS 1.2', cipherSuite: 'TLS_RSA_WITH_RC4_128_SHA' }) }),
      session({ id: '3', tls: tls({ version: 'TLS 1.2', cipherSuite: 'TLS_RSA_WITH_NULL_SHA256' }) }),
      session({ id: '4', tls: tls({ version: 'TLS 1.2', cipherSuite: 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA' }) }),
      session({ id: '5', tls: tls({ version: 'SSL 2.0', cipherSuite: null }) }),
    ]);
    expect(found.map((f) => [f.session, f.severity])).toEqual([['1', 'high'], ['2', 'high'], ['3', 'high'], ['4', 'high'], ['5', 'high']]);
  });
  it('is medium for 3DES under TLS 1.2 (Sweet32)', () => {
    const [f] = only('weak-tls', [session({ tls: tls({ version: 'TLS 1.2', cipherSuite: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA' }) })]);
    expect(f!.severity).toBe('medium');
    expect(f!.message).toContain('3des');
  });
  it('stays silent for TLS 1.2 and 1.3 with AEAD suites, and without TLS', () => {
    expect(only('weak-tls', [
      session({ tls: tls() }),
      session({ tls: tls({ version: 'TLS 1.2', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }) }),
      session(),
    ])).toEqual([]);
  });
});

describe('auth-failures', () => {
  // Failures at 0, 10, 20, 30, 40 s from one address, over two sessions; user names alternate.
  const failures = (ip: string, step: number) => [0, 1].map((k) => session({
    id: String(k + 1),
    client: { ip, port: 50000 + k },
    auth: [0, 1, 2].filter((j) => k * 3 + j < 5).map((j) => attempt({
      outcome: 'failure', user: (k * 3 + j) % 2 === 0 ? 'root' : 'admin',
      frames: [100 * (k + 1) + j], time: new Date(Date.UTC(2026, 0, 1, 10, 0, 0) + (k * 3 + j) * step * 1000).toISOString(),
    })),
  }));

  it('fires on 5 failures within 60 s across sessions, listing the users tried', () => {
    const [f, ...rest] = only('auth-failures', failures('192.0.2.99', 10));
    expect(rest).toEqual([]);
    expect(f!.session).toBeNull();
    expect(f!.details?.users).toEqual(['root', 'admin']);
    expect(f!.details?.failures).toBe(5);
    expect(f!.frames).toEqual([100, 101, 102, 200, 201]);
    expect(f!.message).toContain('192.0.2.99');
  });
  it('stays silent when the same 5 failures spread over more than 60 s', () => {
    // Failures at 0, 16, 32, 48 and 64 s: any 60 s window holds only four.
    expect(only('auth-failures', failures('192.0.2.99', 16))).toEqual([]);
  });
  it('follows the count and window thresholds', () => {
    expect(only('auth-failures', failures('192.0.2.99', 10), { 'auth-failures.count': 6 })).toEqual([]);
    expect(only('auth-failures', failures('192.0.2.99', 16), { 'auth-failures.window-seconds': 64 })).toHaveLength(1);
  });
  it('does not count successes', () => {
    const ok = session({ auth: [0, 1, 2, 3, 4].map(() => attempt({ outcome: 'success' })) });
    expect(only('auth-failures', [ok])).toEqual([]);
  });
  it('says so early, as the sessions close, only to a caller that reads early notices; the final finding is the same', () => {
    const closeAll = (watch: boolean) => {
      const runner = new RuleRunner({}, RULES, new Date(), watch);
      const early = failures('192.0.2.99', 10).flatMap((s) => runner.sessionClosed(s).provisional);
      return { early, final: runner.finish(failures('192.0.2.99', 10)).filter((f) => f.rule === 'auth-failures') };
    };
    const streamed = closeAll(true);
    const quiet = closeAll(false);
    expect(streamed.early.map((f) => [f.rule, f.provisional, f.details?.failures])).toEqual([['auth-failures', true, 5]]);
    expect(quiet.early).toEqual([]);
    expect(quiet.final).toEqual(streamed.final);
    expect(quiet.final).toHaveLength(1);
  });
});

describe('overlong-argument', () => {
  it('fires on a 41-character user name (RFC 2449 §4 allows 40)', () => {
    const s = session({ transcript: [client('USER', 'a'.repeat(41), { frame: 6 })] });
    const [f] = only('overlong-argument', [s]);
    expect(f!.frames).toEqual([6]);
    expect(f!.message).toContain('41');
  });
  it('measures a redacted PASS by its line length, and exempts the AUTH initial response', () => {
    const pass = client('PASS', '[redacted]', { secret: true, length: 5 + 45, frame: 9 });
    const auth = client('AUTH', 'PLAIN [redacted]', { secret: true, length: 100 });
    const [f, ...rest] = only('overlong-argument', [session({ transcript: [pass, auth] })]);
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([9]);
  });
  it('stays silent at exactly 40 characters', () => {
    expect(only('overlong-argument', [session({ transcript: [client('USER', 'a'.repeat(40))] })])).toEqual([]);
  });
  it('says a redacted password is over the limit without saying its length', () => {
    // As the session hands it on: `length` withheld, the rules' copy under SECRET_LENGTH.
    const pass = client('PASS', '[redacted]', { secret: true, frame: 9 });
    delete pass.length;
    pass[SECRET_LENGTH] = 5 + 52;
    const [f] = only('overlong-argument', [session({ transcript: [pass] })]);
    expect(f!.frames).toEqual([9]);
    expect(f!.message).toContain('over 40 characters');
    expect(f!.message).not.toContain('52');
    expect(JSON.stringify(f)).not.toContain('52');
    // An over-long command line that holds a secret: counted, its length not printed.
    const long = client('PASS', '[redacted]', { secret: true, frame: 11 });
    delete long.length;
    long[SECRET_LENGTH] = 300;
    const [c] = only('overlong-command', [session({ transcript: [long] })]);
    expect(c!.frames).toEqual([11]);
    expect(JSON.stringify(c)).not.toMatch(/30[0-2]/);
  });
});

describe('overlong-command and overlong-response', () => {
  it('a command line of 254 octets plus CRLF (256) is over 255; 253 plus CRLF is not', () => {
    const over = session({ id: '1', transcript: [client('NOOP', undefined, { length: 254, frame: 30 })] });
    const edge = session({ id: '2', transcript: [client('NOOP', undefined, { length: 253 })] });
    const found = only('overlong-command', [over, edge]);
    expect(found.map((f) => [f.session, f.severity, f.frames])).toEqual([['1', 'medium', [30]]]);
  });
  it('leaves long SASL response lines (GSSAPI tokens) to the mechanism', () => {
    const token: SessionOut['transcript'][number] = { frame: 50, time: '2026-01-01T10:00:01Z', from: 'client', sasl: true, secret: true, argument: '[redacted]', length: 1400 };
    expect(only('overlong-command', [session({ transcript: [token] })])).toEqual([]);
  });
  it('a response line of 511 octets plus CRLF is over 512; 510 plus CRLF is not', () => {
    const over = session({ id: '1', transcript: [server('+OK', 'x', { length: 511, frame: 31 })] });
    const edge = session({ id: '2', transcript: [server('+OK', 'x', { length: 510 })] });
    const found = only('overlong-response', [over, edge]);
    expect(found.map((f) => [f.session, f.severity, f.frames])).toEqual([['1', 'low', [31]]]);
  });
});

describe('unknown-command and command-out-of-state', () => {
  it('reports unknown keywords without their arguments', () => {
    const s = session({ transcript: [client('XTND', 'XMIT secret-ish', { notes: ['unknown-command'], frame: 12 })] });
    const [f] = only('unknown-command', [s]);
    expect(f!.severity).toBe('info');
    expect(f!.message).toContain('"XTND"');
    expect(f!.message).not.toContain('secret-ish');
  });
  it('names the state and where the command belongs', () => {
    const s = session({ transcript: [client('RETR', '1', { notes: ['out-of-state'], state: 'AUTHORIZATION', frame: 13 })] });
    const [f] = only('command-out-of-state', [s]);
    expect(f!.severity).toBe('low');
    expect(f!.message).toContain('RETR in AUTHORIZATION, allowed only in TRANSACTION');
  });
  it('stay silent on clean transcripts', () => {
    const s = session({ transcript: [client('USER', 'alice'), server('+OK', '')] });
    expect(only('unknown-command', [s])).toEqual([]);
    expect(only('command-out-of-state', [s])).toEqual([]);
  });
});

describe('protocol-violation', () => {
  it('fires on an unmatched response, data after QUIT and a multi-line answer that never ended', () => {
    const data = { octets: 10, lines: 1, complete: false, firstFrame: 50, lastFrame: 51 };
    const s = session({ transcript: [
      server('+OK', 'stray', { notes: ['unmatched-response'], frame: 40 }),
      server('+OK', 'list follows', { answers: 'LIST', data, frame: 51 }),
      client('NOOP', undefined, { notes: ['after-quit'], frame: 60 }),
    ] });
    const [f] = only('protocol-violation', [s]);
    expect(f!.frames).toEqual([40, 51, 60]);
    expect(f!.message).toContain('response without a command ×1');
    expect(f!.message).toContain('data after QUIT ×1');
    expect(f!.message).toContain('without its final');
  });
  it('does not blame the peer for a multi-line answer cut by a gap or by the end of the capture', () => {
    const data = { octets: 10, lines: 1, complete: false, firstFrame: 50, lastFrame: 51 };
    const transcript = [server('+OK', '', { answers: 'RETR', data })];
    expect(only('protocol-violation', [
      session({ transcript, ended: 'capture-end' }),
      session({ transcript, gaps: [{ direction: 'server', offset: 100, length: 50, frame: 49 }] }),
    ])).toEqual([]);
  });
});

describe('deletions', () => {
  const deleting = (committed: boolean, extra: Partial<SessionOut> = {}) => session({
    user: 'alice',
    state: committed ? 'UPDATE' : 'TRANSACTION',
    messages: {
      listed: [], retrieved: [], deleted: [1, 3], committed,
      deletedDetails: [{ number: 1, uid: 'u-1', subject: 'Invoice', frame: 20 }, { number: 3, frame: 22 }],
    },
    transcript: committed ? [client('QUIT', undefined, { frame: 24 }), server('+OK', 'bye', { answers: 'QUIT', frame: 25 })] : [],
    ...extra,
  });
  it('deletions-committed lists numbers, UIDs and subjects, and the QUIT frame', () => {
    const [f] = only('deletions-committed', [deleting(true)]);
    expect(f!.frames).toEqual([20, 22, 25]);
    expect(f!.message).toContain('#1 (uid "u-1", "Invoice")');
    expect(f!.message).toContain('#3');
    expect(only('deletions-not-committed', [deleting(true)])).toEqual([]);
  });
  it('deletions-not-committed says how the session ended', () => {
    const [f] = only('deletions-not-committed', [deleting(false, { ended: 'rst' })]);
    expect(f!.message).toContain('the connection was reset (RST) without an accepted QUIT');
    expect(only('deletions-committed', [deleting(false)])).toEqual([]);
  });
  it('both stay silent when nothing was deleted', () => {
    expect(only('deletions-committed', [session()])).toEqual([]);
    expect(only('deletions-not-committed', [session()])).toEqual([]);
  });
});

describe('incomplete-capture', () => {
  it('says what is missing: the start and the bytes of each direction', () => {
    const s = session({ midstream: true, gaps: [
      { direction: 'server', offset: 1000, length: 1448, frame: 77 },
      { direction: 'server', offset: 5000, length: 52, frame: 90 },
    ] });
    const [f] = only('incomplete-capture', [s]);
    expect(f!.frames).toEqual([77, 90]);
    expect(f!.message).toContain('its start');
    expect(f!.message).toContain('1500 bytes from the server in 2 gaps');
  });
  it('points a midstream session without gaps at its first captured line', () => {
    const [f] = only('incomplete-capture', [session({ midstream: true, greeting: null, transcript: [client('STAT', undefined, { frame: 3 })] })]);
    expect(f!.frames).toEqual([3]);
    expect(f!.message).not.toContain('gap');
  });
  it('stays silent on a complete session', () => {
    expect(only('incomplete-capture', [session()])).toEqual([]);
  });
});
