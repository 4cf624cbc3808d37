import { describe, expect, it } from 'vitest';
import { COMMANDS, lookupCommand, opensMultiline } from '../../src/pop3/commands.js';
import { RESPONSE_CODES, splitResponseCode } from '../../src/pop3/response-codes.js';

describe('the command table', () => {
  it('holds the commands of RFC 1939, 2449, 2595, 5034 and 6856', () => {
    expect([...COMMANDS.keys()].sort()).toEqual(
      ['APOP', 'AUTH', 'CAPA', 'DELE', 'LANG', 'LIST', 'NOOP', 'PASS', 'QUIT', 'RETR', 'RSET', 'STAT', 'STLS', 'TOP', 'UIDL', 'USER', 'UTF8'],
    );
  });

  it('finds keywords whatever their case (RFC 1939 §3)', () => {
    expect(lookupCommand('retr')?.keyword).toBe('RETR');
    expect(lookupCommand('Uidl')?.keyword).toBe('UIDL');
    expect(lookupCommand('XCLIENT')).toBeUndefined();
  });

  it('knows when +OK opens multi-line data (RFC 1939 §5, §7; RFC 2449 §5; RFC 5034 §4)', () => {
    const opens = (k: string, n: number) => opensMultiline(lookupCommand(k)!, n);
    expect(opens('LIST', 0)).toBe(true);
    expect(opens('LIST', 1)).toBe(false);
    expect(opens('UIDL', 0)).toBe(true);
    expect(opens('UIDL', 1)).toBe(false);
    expect(opens('RETR', 1)).toBe(true);
    expect(opens('TOP', 2)).toBe(true);
    expect(opens('CAPA', 0)).toBe(true);
    expect(opens('AUTH', 0)).toBe(true);
    expect(opens('AUTH', 1)).toBe(false);
    expect(opens('STAT', 0)).toBe(false);
    expect(opens('DELE', 1)).toBe(false);
  });

  it('allows transaction commands only in TRANSACTION and login commands only in AUTHORIZATION (RFC 1939 §4-7)', () => {
    for (const k of ['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL']) {
      expect(COMMANDS.get(k)!.states).toEqual(['TRANSACTION']);
    }
    for (const k of ['USER', 'PASS', 'APOP', 'AUTH', 'STLS']) {
      expect(COMMANDS.get(k)!.states).toEqual(['AUTHORIZATION']);
    }
    expect(COMMANDS.get('QUIT')!.states).toContain('AUTHORIZATION');
    expect(COMMANDS.get('QUIT')!.states).toContain('TRANSACTION');
  });

  it('marks where the credentials are', () => {
    expect(COMMANDS.get('PASS')!.secret).toBe('argument');
    expect(COMMANDS.get('APOP')!.secret).toBe('second-argument');
    expect(COMMANDS.get('AUTH')!.secret).toBe('second-argument');
    expect(COMMANDS.get('USER')!.secret).toBeUndefined();
  });

  it('gives every row its syntax, RFC and purpose for --explain', () => {
    for (const c of COMMANDS.values()) {
      expect(c.syntax.startsWith(c.keyword)).toBe(true);
      expect(c.rfc).toMatch(/^RFC \d+ §\d/);
      expect(c.purpose.length).toBeGreaterThan(10);
      expect(c.minArgs).toBeLessThanOrEqual(c.maxArgs);
    }
    expect(COMMANDS.get('DELE')!.purpose).toContain('QUIT');
  });
});

describe('response codes (RFC 2449 §8, RFC 3206)', () => {
  it('lists the registered codes', () => {
    for (const code of ['IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM', 'AUTH', 'UTF8']) {
      expect(RESPONSE_CODES.get(code)?.meaning).toBeTruthy();
    }
  });

  it('splits a bracketed code off the text', () => {
    expect(splitResponseCode('[IN-USE] Do you have another POP session running?'))
      .toEqual({ code: 'IN-USE', text: 'Do you have another POP session running?' });
    expect(splitResponseCode('[X-OTHER/THING] x')).toEqual({ code: 'X-OTHER/THING', text: 'x' });
    expect(splitResponseCode('no code [here]')).toEqual({ text: 'no code [here]' });
  });
});
