/** SASL exchanges inside a session, STLS and implicit TLS. */
import { describe, expect, it } from 'vitest';
import { SECRET_LENGTH } from '../../src/redaction.js';
import { C, S, SLines, run } from './harness.js';

describe('AUTH exchanges (RFC 5034)', () => {
  it('PLAIN after a "+ " continuation: the client line is SASL data, not a command', () => {
    const s = run([S('+OK ready'), C('AUTH PLAIN'), S('+ '), C('dGVzdAB0ZXN0AHRlc3Q='), S('+OK Maildrop locked and ready')]);
    expect(s.transcript.map((e) => e.command ?? e.status)).toEqual(['+OK', 'AUTH', '+', undefined, '+OK']);
    expect(s.transcript[2]).toMatchObject({ status: '+', answers: 'AUTH', text: '' });
    expect(s.transcript[3]).toMatchObject({ from: 'client', sasl: true, secret: true, argument: '[redacted]' });
    // A secret's length is a secret: withheld from the entry, kept for the rules under a symbol.
    expect(s.transcript[3]!.length).toBeUndefined();
    expect(s.transcript[3]![SECRET_LENGTH]).toBe(20);
    expect(s.transcript[3]!.notes).toBeUndefined();
    expect(s.auth).toEqual([{ mechanism: 'PLAIN', user: 'test', outcome: 'success', secret: '[redacted]', encrypted: false, frames: [5, 6, 7, 8], time: '5.0' }]);
    expect(s.state).toBe('TRANSACTION');
    expect(s.user).toBe('test');
    expect(JSON.stringify(s)).not.toContain('dGVzdAB0ZXN0AHRlc3Q=');
  });

  it('PLAIN with an initial response on the AUTH line (RFC 5034 §6)', () => {
    const s = run([S('+OK'), C('AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q='), S('+OK Maildrop locked and ready')], { showSecrets: true });
    expect(s.transcript[1]).toMatchObject({ command: 'AUTH', argument: 'PLAIN dGVzdAB0ZXN0AHRlc3Q=', secret: true });
    expect(s.auth[0]).toMatchObject({ mechanism: 'PLAIN', user: 'test', secret: 'test', outcome: 'success' });
    const redacted = run([S('+OK'), C('AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q='), S('+OK')]);
    expect(redacted.transcript[1]!.argument).toBe('PLAIN [redacted]');
  });

  it('LOGIN: two prompts, user then password', () => {
    const s = run([S('+OK'), C('AUTH LOGIN'), S('+ VXNlcm5hbWU6'), C('dGlt'), S('+ UGFzc3dvcmQ6'), C('dGFuc3RhYWZ0YW5zdGFhZg=='), S('+OK')]);
    expect(s.auth[0]).toMatchObject({ mechanism: 'LOGIN', user: 'tim', secret: '[redacted]', outcome: 'success' });
    expect(s.transcript.filter((e) => e.status === '+').map((e) => e.text)).toEqual(['VXNlcm5hbWU6', 'UGFzc3dvcmQ6']);
  });

  it('CRAM-MD5: RFC 2195 challenge and response', () => {
    const s = run([S('+OK'), C('AUTH CRAM-MD5'), S('+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+'),
      C('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw'), S('+OK')], { showSecrets: true });
    expect(s.auth[0]).toMatchObject({ mechanism: 'CRAM-MD5', user: 'tim', secret: 'b913a602c7eda7a495b4e6e7334d3890', outcome: 'success' });
  });

  it('"*" cancels; the next AUTH is a new attempt (curl\'s SASL downgrade)', () => {
    const s = run([S('+OK'), C('AUTH DIGEST-MD5'), S('+ Rubbish'), C('*'), S('-ERR AUTH exchange cancelled by client'),
      C('AUTH PLAIN'), S('+'), C('dXNlcgB1c2VyAHNlY3JldA=='), S('+OK Login successful')]);
    expect(s.transcript[3]).toMatchObject({ from: 'client', command: '*' });
    expect(s.transcript[3]!.secret).toBeUndefined();
    expect(s.auth.map((a) => [a.mechanism, a.outcome, a.user])).toEqual([['DIGEST-MD5', 'cancelled', null], ['PLAIN', 'success', 'user']]);
    expect(s.transcript[6]).toMatchObject({ status: '+', answers: 'AUTH' });
    expect(s.transcript[7]!.sasl).toBe(true);
    expect(s.transcript[8]!.answers).toBe('AUTH');
  });

  it('a failed AUTH keeps the response code', () => {
    const s = run([S('+OK'), C('AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q='), S('-ERR [AUTH] Authentication failed'), C('QUIT'), S('+OK')]);
    expect(s.auth[0]).toMatchObject({ outcome: 'failure', code: 'AUTH', user: 'test' });
    expect(s.transcript[3]).toMatchObject({ command: 'QUIT' });
  });

  it('a "+" line outside AUTH is noted', () => {
    const s = run([S('+OK'), C('NOOP'), S('+ what')]);
    expect(s.transcript[2]!.notes).toContain('unexpected-continuation');
  });
});

describe('STLS (RFC 2595) and implicit TLS', () => {
  // One TLS application-data record (type 23) with a 5-octet body: the observer counts 5.
  const hello = Uint8Array.from([0x17, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5]);

  it('STLS answered -ERR: the session stays plain and goes on', () => {
    const s = run([S('+OK'), C('STLS'), S('-ERR TLS not available'), C('USER a'), S('+OK'), C('PASS b'), S('+OK')]);
    expect(s.transport).toBe('plain');
    expect(s.tls).toBeNull();
    expect(s.auth[0]).toMatchObject({ user: 'a', encrypted: false, outcome: 'success' });
  });

  it('STLS answered +OK: every later byte goes to TLS, in both directions', () => {
    const s = run([S('+OK'), C('CAPA'), SLines('+OK', 'STLS', '.'), C('STLS'), S('+OK Begin TLS negotiation now'),
      { c: hello }, { s: hello }, { c: 'USER not-parsed\r\n' }]);
    expect(s.transport).toBe('stls');
    expect(s.tls).not.toBeNull();
    expect(s.tls!.startFrame).toBe(9);
    expect(s.tls!.encryptedBytes).toEqual({ client: 5, server: 5 });
    expect(s.transcript.at(-1)!.answers).toBe('STLS');
    expect(s.transcript.some((e) => e.command === 'USER')).toBe(false);
  });

  it('TLS bytes in the same segment as the STLS +OK go to TLS', () => {
    const s = run([S('+OK'), C('STLS'), { s: Buffer.concat([Buffer.from('+OK go\r\n'), hello]) }]);
    expect(s.transport).toBe('stls');
    expect(s.tls!.encryptedBytes.server).toBe(5);
    expect(s.tls!.startFrame).toBe(6);
    expect(s.transcript).toHaveLength(3);
  });

  it('an implicit-TLS port is TLS from the first byte', () => {
    const s = run([{ c: hello }, { s: hello }], { serverPort: 995 });
    expect(s.transport).toBe('implicit-tls');
    expect(s.tls!.encryptedBytes).toEqual({ client: 5, server: 5 });
    expect(s.tls!.startFrame).toBe(4);
    expect(s.transcript).toEqual([]);
    expect(s.notPop3).toBeUndefined();
  });

  it('plain POP3 on an implicit-TLS port is dissected as plain, and said so', () => {
    const s = run([S('+OK ready'), C('USER a'), S('+OK'), C('PASS b'), S('+OK')], { serverPort: 995 });
    expect(s.transport).toBe('plain');
    expect(s.tls).toBeNull();
    expect(s.events['plain-on-tls-port']).toBe(1);
    expect(s.auth[0]).toMatchObject({ user: 'a', encrypted: false, outcome: 'success' });
  });

  it('an attempt made before STLS is not marked encrypted', () => {
    const s = run([S('+OK'), C('USER a'), S('+OK'), C('STLS'), S('+OK')]);
    expect(s.auth[0]!.encrypted).toBe(false);
  });
});
