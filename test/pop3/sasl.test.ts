/**
 * Each mechanism's user and secret, from the examples in its own RFC
 * (base64 forms computed with Python's base64 module from the RFC text).
 */
import { describe, expect, it } from 'vitest';
import { SaslExchange, decodeBase64 } from '../../src/pop3/sasl.js';

function exchange(mechanism: string, ...responses: string[]): SaslExchange {
  const x = new SaslExchange(mechanism);
  for (const r of responses) x.clientResponse(r);
  return x;
}

describe('SASL credential extraction', () => {
  it('PLAIN: RFC 4616 §4 examples', () => {
    // "\0tim\0tanstaaftanstaaf"
    const a = exchange('PLAIN', 'AHRpbQB0YW5zdGFhZnRhbnN0YWFm');
    expect([a.user, a.secret, a.authzid]).toEqual(['tim', 'tanstaaftanstaaf', null]);
    // "Ursel\0Kurt\0xipj3plmq"
    const b = exchange('PLAIN', 'VXJzZWwAS3VydAB4aXBqM3BsbXE=');
    expect([b.user, b.secret, b.authzid]).toEqual(['Kurt', 'xipj3plmq', 'Ursel']);
  });

  it('PLAIN: RFC 5034 §6 example (test/test/test)', () => {
    const x = exchange('PLAIN', 'dGVzdAB0ZXN0AHRlc3Q=');
    expect([x.user, x.secret]).toEqual(['test', 'test']);
  });

  it('LOGIN: user name first, then password', () => {
    const x = exchange('LOGIN', 'dGlt', 'dGFuc3RhYWZ0YW5zdGFhZg==');
    expect([x.user, x.secret]).toEqual(['tim', 'tanstaaftanstaaf']);
  });

  it('CRAM-MD5: RFC 2195 §2 example', () => {
    const x = new SaslExchange('CRAM-MD5');
    x.serverChallenge('PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+');
    x.clientResponse('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw');
    expect([x.user, x.secret]).toEqual(['tim', 'b913a602c7eda7a495b4e6e7334d3890']);
  });

  it('OAUTHBEARER: RFC 7628 §4.1 example', () => {
    const x = exchange('OAUTHBEARER', 'bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB');
    expect([x.user, x.secret]).toEqual(['user@example.com', 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==']);
  });

  it('XOAUTH2: the documented "user=...^Aauth=Bearer ...^A^A" form', () => {
    const x = exchange('XOAUTH2', 'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==');
    expect([x.user, x.secret]).toEqual(['someuser@example.com', 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg']);
  });

  it('SCRAM-SHA-1: RFC 5802 §5 example; the proof is the secret', () => {
    const x = exchange('SCRAM-SHA-1',
      'biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM',
      'Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMM3JmY05IWUpZMVpWdldWczdqLHA9djBYOHYzQnoyVDBDSkdiSlF5RjBYK0hJNFRzPQ==');
    expect([x.user, x.secret]).toEqual(['user', 'v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=']);
    // saslname escaping: "us=2Cer" is "us,er"
    expect(exchange('SCRAM-SHA-256', 'biwsbj11cz0yQ2VyLHI9eA==').user).toBe('us,er');
  });

  it('EXTERNAL: an empty response names no one; GSSAPI tokens are opaque', () => {
    const e = exchange('EXTERNAL', '=');
    expect([e.user, e.secret]).toEqual([null, null]);
    const g = exchange('GSSAPI', 'YIIB');
    expect(g.user).toBeNull();
    expect(g.secret).toBe('YIIB');
  });

  it('"*" cancels (RFC 5034 §4)', () => {
    const x = exchange('DIGEST-MD5', '*');
    expect(x.cancelled).toBe(true);
    expect(x.secret).toBeNull();
  });

  it('base64: "=" is the empty response; invalid text is refused', () => {
    expect(decodeBase64('=')!.length).toBe(0);
    expect(decodeBase64('not base64!')).toBeNull();
    expect(Buffer.from(decodeBase64('dGlt')!).toString()).toBe('tim');
  });
});
