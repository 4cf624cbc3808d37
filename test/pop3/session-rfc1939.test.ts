/** The example session of RFC 1939 §10, and the state machine around it. */
import { describe, expect, it } from 'vitest';
import { SECRET_LENGTH } from '../../src/redaction.js';
import { C, S, SLines, run } from './harness.js';

const GREETING = '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>';
// Message 1 as sent: 4 lines. Unstuffed octets by hand:
// "Subject: one"(12) "From: a@b"(9) ""(0) "hello"(5) = 26, + 4 CRLF = 34.
const MSG1 = ['Subject: one', 'From: a@b', '', 'hello'];

describe('RFC 1939 §10 example session', () => {
  const s = run([
    S(GREETING),
    C('APOP mrose c4c9334bac560ecc979e58001b3e22fb'),
    S("+OK mrose's maildrop has 2 messages (320 octets)"),
    C('STAT'), S('+OK 2 320'),
    C('LIST'), SLines('+OK 2 messages (320 octets)', '1 120', '2 200', '.'),
    C('RETR 1'), SLines('+OK 120 octets', ...MSG1, '.'),
    C('DELE 1'), S('+OK message 1 deleted'),
    C('QUIT'), S('+OK dewey POP3 server signing off (maildrop empty)'),
  ]);

  it('reads the greeting and its APOP timestamp', () => {
    expect(s.greeting).toEqual({ text: 'POP3 server ready <1896.697170952@dbc.mtview.ca.us>', apopTimestamp: '<1896.697170952@dbc.mtview.ca.us>', frame: 4 });
  });

  it('records the APOP login with the digest redacted', () => {
    expect(s.auth).toEqual([{
      mechanism: 'APOP', user: 'mrose', outcome: 'success', secret: '[redacted]', encrypted: false,
      frames: [5, 6], time: '5.0',
    }]);
    expect(s.user).toBe('mrose');
    const apop = s.transcript[1]!;
    expect(apop).toMatchObject({ from: 'client', command: 'APOP', argument: 'mrose [redacted]', secret: true, state: 'AUTHORIZATION', frame: 5 });
    expect(apop!.length).toBeUndefined();
    expect(apop![SECRET_LENGTH]).toBe(43);
    expect(JSON.stringify(s)).not.toContain('c4c9334bac560ecc979e58001b3e22fb');
  });

  it('matches every reply to its command', () => {
    const answers = s.transcript.filter((e) => e.from === 'server').map((e) => e.answers);
    expect(answers).toEqual([undefined, 'APOP', 'STAT', 'LIST', 'RETR', 'DELE', 'QUIT']);
    expect(s.transcript.find((e) => e.command === 'STAT')!.state).toBe('TRANSACTION');
  });

  it('keeps the LIST facts and the retrieved message', () => {
    expect(s.messages.listed).toEqual([{ number: 1, octets: 120 }, { number: 2, octets: 200 }]);
    expect(s.messages.retrieved).toHaveLength(1);
    expect(s.messages.retrieved[0]).toMatchObject({ number: 1, command: 'RETR', octets: 34, lines: 4, listedOctets: 120, subject: 'one', from: 'a@b' });
    const retrReply = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(retrReply.notes).toContain('size-differs-from-list');
    expect(retrReply.data).toMatchObject({ octets: 34, lines: 4, complete: true, headers: { subject: 'one', from: 'a@b' } });
    expect(s.events['size-differs-from-list']).toBe(1);
  });

  it('commits the deletion with QUIT in TRANSACTION and ends in UPDATE', () => {
    expect(s.messages.deleted).toEqual([1]);
    expect(s.messages.deletedDetails).toEqual([{ number: 1, octets: 120, subject: 'one', frame: 13 }]);
    expect(s.messages.committed).toBe(true);
    expect(s.state).toBe('UPDATE');
    expect(s.ended).toBe('quit');
  });

  it('fills the session frame', () => {
    expect(s).toMatchObject({ id: '1', transport: 'plain', midstream: false, tls: null, start: '1.0', capabilities: null });
    expect(s.client).toEqual({ ip: '127.0.0.1', port: 40000 });
    expect(s.bytes.client).toBeGreaterThan(0);
    expect(s.transcript[0]).toMatchObject({ from: 'server', status: '+OK', frame: 4, time: '4.0', length: GREETING.length });
  });
});

describe('state machine', () => {
  it('USER/PASS: the password is redacted everywhere; the user is kept', () => {
    const s = run([S('+OK ready'), C('USER alice'), S('+OK'), C('PASS s3cret with spaces'), S('+OK logged in'), C('QUIT'), S('+OK bye')]);
    expect(s.auth).toEqual([{ mechanism: 'USER', user: 'alice', outcome: 'success', secret: '[redacted]', encrypted: false, frames: [5, 6, 7, 8], time: '5.0' }]);
    expect(s.transcript[3]).toMatchObject({ command: 'PASS', argument: '[redacted]', secret: true });
    expect(s.transcript[3]![SECRET_LENGTH]).toBe('PASS s3cret with spaces'.length);
    expect(JSON.stringify(s)).not.toContain('s3cret');
    expect(s.user).toBe('alice');
    expect(s.state).toBe('UPDATE');
    expect(s.messages.committed).toBe(true);
  });

  it('shows the secret only when asked', () => {
    const s = run([S('+OK ready'), C('USER alice'), S('+OK'), C('PASS s3cret with spaces'), S('+OK')], { showSecrets: true });
    expect(s.auth[0]!.secret).toBe('s3cret with spaces');
    expect(s.transcript[3]).toMatchObject({ argument: 's3cret with spaces', secret: true });
  });

  it('a failed login keeps the response code; user is the last tried', () => {
    const s = run([S('+OK ready'), C('USER bob'), S('+OK'), C('PASS x'), S('-ERR [AUTH] Authentication failed.')]);
    expect(s.auth[0]).toMatchObject({ outcome: 'failure', code: 'AUTH', text: 'Authentication failed.' });
    expect(s.user).toBe('bob');
    expect(s.state).toBe('AUTHORIZATION');
    expect(s.ended).toBe('fin');
  });

  it('the user is the last one who succeeded', () => {
    const s = run([S('+OK'), C('USER eve'), S('+OK'), C('PASS a'), S('-ERR'), C('USER alice'), S('+OK'), C('PASS b'), S('+OK'), C('NOOP'), S('+OK')]);
    expect(s.auth.map((a) => [a.user, a.outcome])).toEqual([['eve', 'failure'], ['alice', 'success']]);
    expect(s.user).toBe('alice');
  });

  it('notes commands in the wrong state', () => {
    const s = run([S('+OK'), C('RETR 1'), S('-ERR not logged in'), C('USER a'), S('+OK'), C('PASS b'), S('+OK'), C('USER c'), S('-ERR')]);
    expect(s.transcript[1]).toMatchObject({ command: 'RETR', state: 'AUTHORIZATION', notes: ['out-of-state'] });
    expect(s.transcript[7]).toMatchObject({ command: 'USER', state: 'TRANSACTION', notes: ['out-of-state'] });
    expect(s.events['out-of-state']).toBe(2);
  });

  it('RSET clears the marks; a session that ends without QUIT commits nothing', () => {
    const s = run([S('+OK'), C('USER a'), S('+OK'), C('PASS b'), S('+OK'),
      C('DELE 1'), S('+OK'), C('RSET'), S('+OK'), C('DELE 2'), S('+OK'), C('DELE 3'), S('-ERR no such message')], { ended: 'rst' });
    expect(s.messages.deleted).toEqual([2]);
    expect(s.messages.committed).toBe(false);
    expect(s.state).toBe('TRANSACTION');
    expect(s.ended).toBe('rst');
  });

  it('QUIT in AUTHORIZATION ends the session without UPDATE', () => {
    const s = run([S('+OK'), C('QUIT'), S('+OK bye')]);
    expect(s.ended).toBe('quit');
    expect(s.state).toBe('AUTHORIZATION');
    expect(s.messages.committed).toBe(false);
  });

  it('QUIT answered -ERR in TRANSACTION commits nothing', () => {
    const s = run([S('+OK'), C('USER a'), S('+OK'), C('PASS b'), S('+OK'), C('DELE 1'), S('+OK'), C('QUIT'), S('-ERR [SYS/TEMP] could not remove')], { ended: 'capture-end' });
    expect(s.messages.committed).toBe(false);
    expect(s.ended).toBe('capture-end');
    expect(s.transcript[8]).toMatchObject({ code: 'SYS/TEMP', text: 'could not remove' });
  });

  it('notes data after QUIT', () => {
    const s = run([S('+OK'), C('QUIT'), S('+OK bye'), C('NOOP'), S('-ERR gone')]);
    expect(s.transcript[3]!.notes).toContain('after-quit');
    expect(s.transcript[4]!.notes).toContain('after-quit');
  });

  it('UIDL and TOP: uids reach retrieved and deleted messages; TOP is not checked against LIST', () => {
    const s = run([S('+OK'), C('USER a'), S('+OK'), C('PASS b'), S('+OK'),
      C('LIST 2'), S('+OK 2 300'),
      C('UIDL'), SLines('+OK', '1 whqtswO00WBw418f9t5JxYwZ', '2 QhdPYR:00WBw1Ph7x7', '.'),
      C('TOP 2 0'), SLines('+OK', 'Subject: =?UTF-8?Q?caf=C3=A9?=', '', '.'),
      C('DELE 2'), S('+OK')]);
    expect(s.messages.listed).toEqual([{ number: 2, octets: 300, uid: 'QhdPYR:00WBw1Ph7x7' }]);
    expect(s.messages.retrieved[0]).toMatchObject({ number: 2, command: 'TOP', listedOctets: 300, uid: 'QhdPYR:00WBw1Ph7x7', subject: 'café', lines: 2 });
    expect(s.transcript.find((e) => e.answers === 'TOP')!.notes).toBeUndefined();
    expect(s.messages.deletedDetails).toEqual([{ number: 2, octets: 300, uid: 'QhdPYR:00WBw1Ph7x7', subject: 'café', frame: 15 }]);
  });
});
