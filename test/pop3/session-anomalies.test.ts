/** Odd and hostile input: unknown commands, replies out of turn, gaps, streams that are not POP3. */
import { describe, expect, it } from 'vitest';
import { C, S, SLines, type Step, run } from './harness.js';

const LOGIN: Step[] = [S('+OK ready'), C('USER a'), S('+OK'), C('PASS b'), S('+OK')];

describe('protocol anomalies', () => {
  it('a greeting without an APOP timestamp', () => {
    const s = run([S('+OK Dovecot ready.')]);
    expect(s.greeting).toEqual({ text: 'Dovecot ready.', apopTimestamp: null, frame: 4 });
  });

  it('an unknown command is kept with its text, and its -ERR matched to it', () => {
    const s = run([S('+OK'), C('xclient addr=1.2.3.4'), S('-ERR Unknown command: XCLIENT')]);
    expect(s.transcript[1]).toMatchObject({ command: 'XCLIENT', argument: 'addr=1.2.3.4', notes: ['unknown-command'] });
    expect(s.transcript[2]).toMatchObject({ status: '-ERR', answers: 'XCLIENT' });
    expect(s.events['unknown-command']).toBe(1);
  });

  it('a wrong number of arguments is noted', () => {
    const s = run([...LOGIN, C('RETR'), S('-ERR'), C('STAT 1 2'), S('-ERR')]);
    expect(s.transcript[5]!.notes).toEqual(['wrong-argument-count']);
    expect(s.transcript[7]!.notes).toEqual(['wrong-argument-count']);
  });

  it('a response with no command waiting is kept and noted', () => {
    const s = run([S('+OK ready'), S('+OK surprise'), C('NOOP'), S('-ERR')]);
    expect(s.transcript[1]).toMatchObject({ status: '+OK', text: 'surprise', notes: ['unmatched-response'] });
    expect(s.transcript[1]!.answers).toBeUndefined();
    expect(s.transcript[3]!.answers).toBe('NOOP');
    expect(s.events['unmatched-response']).toBe(1);
  });

  it('RFC 2449 response codes become `code`, the text follows', () => {
    const s = run([S('+OK'), C('USER a'), S('+OK'), C('PASS b'), S('-ERR [IN-USE] Do you have another POP session running?'),
      C('PASS b'), S('-ERR [LOGIN-DELAY] wait'), C('PASS b'), S('-ERR [SYS/PERM] gone'), C('PASS b'), S('-ERR [X-VENDOR/CODE] odd')]);
    expect(s.transcript.filter((e) => e.status === '-ERR').map((e) => [e.code, e.text])).toEqual([
      ['IN-USE', 'Do you have another POP session running?'], ['LOGIN-DELAY', 'wait'], ['SYS/PERM', 'gone'], ['X-VENDOR/CODE', 'odd'],
    ]);
    expect(s.auth.map((a) => a.code)).toEqual(['IN-USE', 'LOGIN-DELAY', 'SYS/PERM', 'X-VENDOR/CODE']);
  });

  it('a server line that is not a status is kept raw and noted', () => {
    const s = run([S('+OK'), C('NOOP'), S('what is this')]);
    expect(s.transcript[2]).toMatchObject({ raw: 'what is this', notes: ['unparsed-response'] });
  });

  it('an unterminated last line is still reported', () => {
    const s = run([S('+OK'), { c: 'QUIT' }]);
    expect(s.transcript[1]).toMatchObject({ command: 'QUIT', notes: ['unterminated-line', 'no-response'] });
  });

  it('keeps login attempts bounded too', () => {
    const s = run([S('+OK'), { c: 'USER x\r\n'.repeat(30) }], { limits: { maxTranscriptEntries: 10 } });
    expect(s.auth).toHaveLength(10);
    expect(s.events['auth-dropped']).toBe(20);
  });

  it('keeps the transcript bounded and counts what it drops', () => {
    const s = run([S('+OK'), { c: 'NOOP\r\n'.repeat(50) }], { limits: { maxTranscriptEntries: 10 } });
    expect(s.transcript).toHaveLength(10);
    expect(s.events['transcript-truncated']).toBe(41);
  });
});

describe('gaps', () => {
  it('a gap in the client stream: the partial line is dropped and parsing resumes at the next command', () => {
    const s = run([...LOGIN, { c: 'RETR 1\r\nDE' }, { gap: 'client', length: 100 }, { c: 'junk tail of lost line\r\nNOOP\r\n' }, S('+OK'), S('+OK')]);
    expect(s.events.gap).toBe(1);
    expect(s.events['resync-skipped-line']).toBe(1);
    const noop = s.transcript.find((e) => e.command === 'NOOP')!;
    expect(noop.notes).toContain('gap');
    expect(s.transcript.some((e) => e.argument === 'tail of lost line')).toBe(false);
  });

  it('a gap in the server stream: resynchronise at the next +OK/-ERR', () => {
    const s = run([...LOGIN, C('NOOP'), { s: '+OK no' }, { gap: 'server', length: 10 }, { s: 'op done\r\nleftover\r\n+OK\r\n' }, C('STAT'), S('+OK 1 1')]);
    const server = s.transcript.slice(5).filter((e) => e.from === 'server');
    expect(server[0]).toMatchObject({ status: '+OK', answers: 'NOOP', notes: ['gap'] });
    expect(server[1]).toMatchObject({ answers: 'STAT', text: '1 1' });
    expect(s.events['resync-skipped-line']).toBe(2);
  });

  it('a gap inside multi-line data marks the data incomplete', () => {
    const s = run([...LOGIN, C('RETR 1'), SLines('+OK', 'Subject: gap', '', 'line'), { gap: 'server', length: 500 }, SLines('more', '.'), C('NOOP'), S('+OK')]);
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(reply.notes).toEqual(expect.arrayContaining(['gap', 'incomplete-data']));
    expect(reply.data!.complete).toBe(false);
    expect(s.transcript.at(-1)!.answers).toBe('NOOP');
  });

  it('a gap before the greeting: the first line seen proves nothing, the session is still POP3', () => {
    const s = run([{ gap: 'server', length: 40 }, { s: 'tail of greeting\r\n' }, C('CAPA'), SLines('+OK', 'TOP', '.')]);
    expect(s.notPop3).toBeUndefined();
    expect(s.capabilities).toEqual(['TOP']);
  });

  it('a gap that swallowed the terminator: the next status line ends the data as incomplete', () => {
    const s = run([...LOGIN, { c: 'RETR 1\r\nNOOP\r\n' }, SLines('+OK', 'Subject: gap', '', 'line'), { gap: 'server', length: 500 }, S('+OK noop')]);
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(reply.data!.complete).toBe(false);
    expect(reply.notes).toEqual(expect.arrayContaining(['gap', 'incomplete-data']));
    expect(s.transcript.at(-1)).toMatchObject({ answers: 'NOOP', text: 'noop' });
  });
});

describe('streams that are not POP3', () => {
  it('1 MB of binary junk on port 110: notPop3, no transcript, fast', () => {
    const junk = new Uint8Array(1 << 20);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) { x = (x * 1103515245 + 12345) >>> 0; junk[i] = x >>> 24; }
    junk[0] = 0x00;
    const steps: Step[] = [];
    for (let off = 0; off < junk.length; off += 1460) steps.push({ s: junk.subarray(off, off + 1460) });
    for (let off = 0; off < 65536; off += 1460) steps.push({ c: junk.subarray(off, off + 1460) });
    const t0 = performance.now();
    const s = run(steps, { showSecrets: true });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(s.notPop3).toMatchObject({ kind: 'binary', direction: 'server', bytes: 64 });
    expect(s.notPop3!.firstBytes).toBe(Buffer.from(junk.subarray(0, 64)).toString('latin1'));
    expect(s.transcript).toEqual([]);
    expect(s.greeting).toBeNull();
  });

  it('HTTP on port 110', () => {
    const s = run([{ c: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' }, { s: 'HTTP/1.1 400 Bad Request\r\n\r\n' }], { showSecrets: true });
    expect(s.notPop3).toEqual({ kind: 'http', direction: 'client', bytes: 27, firstBytes: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' });
    expect(s.transcript).toEqual([]);
  });

  it('a server greeting that is not +OK/-ERR', () => {
    const s = run([{ s: '* OK IMAP4rev1 ready\r\n' }, { c: 'a1 LOGIN x y\r\n' }]);
    expect(s.notPop3).toEqual({ kind: 'text', direction: 'server', bytes: 22 });
  });

  it('a long first line without a line end is judged by its first 64 bytes', () => {
    const s = run([{ s: 'Z'.repeat(100000) }], { showSecrets: true });
    expect(s.notPop3!.firstBytes).toBe('Z'.repeat(64));
  });

  it('a -ERR greeting is still POP3', () => {
    const s = run([S('-ERR [SYS/TEMP] too many connections')]);
    expect(s.notPop3).toBeUndefined();
    expect(s.greeting).toMatchObject({ text: 'too many connections' });
    expect(s.transcript[0]!.code).toBe('SYS/TEMP');
  });

  it('a session picked up mid-stream: no greeting, replies matched from the first command seen', () => {
    const s = run([SLines('2 200', '.'), C('RETR 2'), SLines('+OK', 'Subject: mid', '', '.'), C('QUIT'), S('+OK')], { midstream: true });
    expect(s.notPop3).toBeUndefined();
    expect(s.midstream).toBe(true);
    expect(s.greeting).toBeNull();
    expect(s.messages.retrieved[0]).toMatchObject({ number: 2, subject: 'mid' });
    expect(s.ended).toBe('quit');
    // RETR is valid only in TRANSACTION: the session was logged in, so QUIT commits.
    expect(s.transcript.find((e) => e.command === 'RETR')).toMatchObject({ state: 'TRANSACTION' });
    expect(s.transcript.find((e) => e.command === 'RETR')!.notes).toBeUndefined();
    expect(s.events['state-inferred']).toBe(1);
    expect(s.state).toBe('UPDATE');
    expect(s.messages.committed).toBe(true);
  });
});
