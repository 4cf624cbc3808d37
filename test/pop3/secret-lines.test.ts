/**
 * Secrets on lines a client may send however it likes: the separator after the
 * keyword, bytes of a stream that is not POP3, and a secret's length.
 */
import { describe, expect, it } from 'vitest';
import { C, S, run } from './harness.js';

const SECRET = 'Tr0ub4dor&3';

describe('a line whose keyword carries a secret is redacted whole, whatever the separator', () => {
  for (const [name, sep] of [['a tab', '\t'], ['two spaces', '  '], ['a NUL', '\0'], ['a vertical tab', '\v']] as const) {
    it(`PASS, ${name}, the password`, () => {
      const s = run([S('+OK ready'), C('USER alice'), S('+OK'), C(`PASS${sep}${SECRET}`), S('+OK')]);
      const json = JSON.stringify(s);
      expect(json).not.toContain(SECRET);
      expect(json).not.toContain(SECRET.toUpperCase());
      const pass = s.transcript.find((e) => e.from === 'client' && e.command === 'PASS')!;
      expect(pass.secret).toBe(true);
      expect(pass.argument).toBe('[redacted]');
    });
  }

  it('APOP with a tab keeps the name and hides the digest', () => {
    const digest = 'c4c9334bac560ecc979e58001b3e22fb';
    const s = run([S('+OK ready <1.2@x>'), C(`APOP\tbob\t${digest}`), S('+OK')]);
    expect(JSON.stringify(s)).not.toContain(digest);
    expect(JSON.stringify(s)).not.toContain(digest.toUpperCase());
  });

  it('shown with --show-secrets', () => {
    const s = run([S('+OK ready'), C('USER alice'), S('+OK'), C(`PASS\t${SECRET}`), S('+OK')], { showSecrets: true });
    expect(s.transcript.find((e) => e.command === 'PASS')!.argument).toBe(SECRET);
  });
});

describe('a secret\'s length is a secret', () => {
  it('the PASS entry has no length unless --show-secrets', () => {
    const hidden = run([S('+OK ready'), C('USER alice'), S('+OK'), C(`PASS ${SECRET}`), S('+OK')]);
    expect(hidden.transcript.find((e) => e.command === 'PASS')!.length).toBeUndefined();
    const shown = run([S('+OK ready'), C('USER alice'), S('+OK'), C(`PASS ${SECRET}`), S('+OK')], { showSecrets: true });
    expect(shown.transcript.find((e) => e.command === 'PASS')!.length).toBe(5 + SECRET.length);
  });
});

describe('a stream that is not POP3', () => {
  const http = 'GET /mail HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U6aHVudGVyMg==\r\n\r\n';

  it('shows a classification and a byte count, not the bytes', () => {
    const s = run([{ c: http }, { s: 'HTTP/1.1 400 Bad Request\r\n\r\n' }]);
    expect(s.notPop3).toEqual({ kind: 'http', direction: 'client', bytes: 64 });
    expect(JSON.stringify(s)).not.toContain('YWxpY2U6');
  });

  it('shows the first bytes with --show-secrets', () => {
    const s = run([{ c: http }, { s: 'HTTP/1.1 400 Bad Request\r\n\r\n' }], { showSecrets: true });
    expect(s.notPop3).toEqual({ kind: 'http', direction: 'client', bytes: 64, firstBytes: http.slice(0, 64) });
  });

  it('tells TLS, SSH, IMAP-like text and binary apart', () => {
    // Bytes without a line end are judged once 64 have arrived.
    expect(run([{ c: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + '\x00'.repeat(64) }]).notPop3).toMatchObject({ kind: 'tls' });
    expect(run([{ s: 'SSH-2.0-OpenSSH_9.2\r\n' }]).notPop3).toMatchObject({ kind: 'ssh', direction: 'server' });
    expect(run([{ s: '* OK IMAP4rev1 ready\r\n' }]).notPop3).toMatchObject({ kind: 'text', bytes: 22 });
    expect(run([{ s: '\x00\x01\x02\x03 binary' + '\x00'.repeat(64) }]).notPop3).toMatchObject({ kind: 'binary' });
  });
});
