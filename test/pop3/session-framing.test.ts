/** How bytes arrive: one per segment, many commands per segment, lines and CRLF split, bare LF, long lines. */
import { describe, expect, it } from 'vitest';
import { C, S, SLines, type Step, run } from './harness.js';

const LOGIN: Step[] = [S('+OK ready'), C('USER a'), S('+OK'), C('PASS b'), S('+OK')];

describe('segmentation', () => {
  it('a client sending one character per segment still yields whole commands', () => {
    const steps: Step[] = [...LOGIN];
    for (const ch of 'stat\r\n') steps.push({ c: ch });
    steps.push(S('+OK 0 0'));
    const s = run(steps);
    const stat = s.transcript[5]!;
    expect(stat).toMatchObject({ command: 'STAT', frame: 14, frames: [9, 10, 11, 12, 13, 14], length: 4 });
    expect(s.transcript[6]!.answers).toBe('STAT');
  });

  it('a line split across segments, and CRLF split across segments', () => {
    const s = run([{ s: '+OK POP3 ' }, { s: 'ready\r' }, { s: '\n' }, { c: 'CA' }, { c: 'PA\r' }, { c: '\n' }, { s: '+OK\r\nSASL PLAIN\r' }, { s: '\n.\r\n' }]);
    expect(s.transcript[0]).toMatchObject({ text: 'POP3 ready', frame: 6, frames: [4, 5, 6] });
    expect(s.transcript[1]).toMatchObject({ command: 'CAPA', frame: 9, frames: [7, 8, 9] });
    expect(s.transcript[1]!.notes).toBeUndefined();
    expect(s.capabilities).toEqual(['SASL PLAIN']);
    expect(s.saslMechanisms).toEqual(['PLAIN']);
    expect(s.events['bare-lf']).toBeUndefined();
  });

  it('a pipelined burst of 20 commands in one segment, answered in one segment, matches in order', () => {
    const cmds: string[] = [];
    const replies: string[] = [];
    for (let i = 1; i <= 20; i++) {
      if (i % 2) { cmds.push(`LIST ${i}`); replies.push(`+OK ${i} ${i * 100}`); }
      else { cmds.push(`DELE ${i}`); replies.push(`+OK message ${i} deleted`); }
    }
    const s = run([...LOGIN, { c: cmds.map((c) => c + '\r\n').join('') }, { s: replies.map((r) => r + '\r\n').join('') }]);
    const server = s.transcript.slice(5).filter((e) => e.from === 'server');
    expect(server).toHaveLength(20);
    server.forEach((e, i) => expect(e.answers).toBe(i % 2 ? 'DELE' : 'LIST'));
    expect(s.messages.listed.map((m) => [m.number, m.octets])).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19].map((n) => [n, n * 100]));
    expect(s.messages.deleted).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(s.events['unmatched-response']).toBeUndefined();
  });

  it('commands pipelined across the login meet the state the server will be in (RFC 2449 §6.6)', () => {
    const s = run([S('+OK'), { c: 'USER a\r\nPASS b\r\nSTAT\r\nQUIT\r\n' }, { s: '+OK\r\n+OK in\r\n+OK 0 0\r\n+OK bye\r\n' }]);
    expect(s.transcript.filter((e) => e.from === 'client').map((e) => [e.command, e.state])).toEqual([
      ['USER', 'AUTHORIZATION'], ['PASS', 'AUTHORIZATION'], ['STAT', 'TRANSACTION'], ['QUIT', 'TRANSACTION'],
    ]);
    expect(s.events['out-of-state']).toBeUndefined();
    expect(s.messages.committed).toBe(true);
  });

  it('pipelined multi-line replies in one segment', () => {
    const s = run([...LOGIN, { c: 'LIST\r\nUIDL\r\nNOOP\r\n' }, { s: '+OK\r\n1 10\r\n.\r\n+OK\r\n1 abc\r\n.\r\n+OK\r\n' }]);
    expect(s.transcript.slice(8).map((e) => [e.answers, e.data?.lines])).toEqual([['LIST', 1], ['UIDL', 1], ['NOOP', undefined]]);
    expect(s.messages.listed).toEqual([{ number: 1, octets: 10, uid: 'abc' }]);
  });

  it('the queue of commands awaiting replies is bounded: the oldest is dropped and counted', () => {
    const burst = Array.from({ length: 8 }, () => 'NOOP\r\n').join('');
    const s = run([...LOGIN, { c: burst }], { limits: { maxPendingCommands: 5 } });
    expect(s.events['pipeline-overflow']).toBe(3);
    expect(s.transcript.slice(5, 8).every((e) => e.notes?.includes('pipeline-overflow'))).toBe(true);
    expect(s.events['no-response']).toBe(5);
  });

  it('tolerates bare LF and notes it', () => {
    const s = run([{ s: '+OK hi\n' }, { c: 'CAPA\n' }, { s: '+OK\nTOP\nUIDL\n.\n' }]);
    expect(s.transcript[0]!.notes).toEqual(['bare-lf']);
    expect(s.transcript[1]).toMatchObject({ command: 'CAPA', notes: ['bare-lf'] });
    expect(s.capabilities).toEqual(['TOP', 'UIDL']);
    expect(s.events['bare-lf']).toBe(5);
  });

  it('notes a lone CR on status and command lines (bare-cr), as a public capture of a broken server shows it', () => {
    const s = run([{ s: '+OK hi\r\n' }, { c: 'NO\rOP\r\n' }, { s: '+\r\r..\r\r..x\r\r\n' }, { c: 'STAT\r\n' }]);
    expect(s.transcript[1]!.notes).toContain('bare-cr');
    expect(s.transcript[2]!.notes).toContain('bare-cr');
    expect(s.transcript[0]!.notes).toBeUndefined();
    expect(s.transcript[3]!.notes ?? []).not.toContain('bare-cr');
    expect(s.events['bare-cr']).toBe(2);
  });

  it('leaves a lone CR inside message data to the message', () => {
    const s = run([...LOGIN, C('RETR 1'), SLines('+OK', 'Subject: a\rb', '', 'body\rline', '.'), C('NOOP'), S('+OK')]);
    expect(s.transcript.find((e) => e.answers === 'RETR')!.data).toMatchObject({ lines: 3, complete: true });
    expect(s.events['bare-cr']).toBeUndefined();
    expect(s.transcript.every((e) => !(e.notes ?? []).includes('bare-cr'))).toBe(true);
  });

  it('cuts an over-long line and flags it, keeping its true length', () => {
    const long = 'NOOP ' + 'A'.repeat(5000);
    const s = run([S('+OK'), C(long)], { limits: { maxLineLength: 100 } });
    expect(s.transcript[1]).toMatchObject({ command: 'NOOP', length: 5005, notes: expect.arrayContaining(['line-too-long']) });
    expect(s.transcript[1]!.argument!.length).toBe(95);
    expect(s.events['line-too-long']).toBe(1);
  });

  it('decodes lines as UTF-8 when valid, else ISO-8859-1', () => {
    const s = run([{ s: Buffer.from('+OK caf\u00e9 ready\r\n', 'utf8') }, { c: Buffer.from('USER j\xf8rn\r\n', 'latin1') }]);
    expect(s.transcript[0]!.text).toBe('café ready');
    expect(s.transcript[1]!.argument).toBe('jørn');
  });
});

describe('multi-line data in a session', () => {
  it('ends only at ".", undoes dot-stuffing, and treats the +OK octet count as advisory', () => {
    // Unstuffed lines: "Subject: dots"(13) ""(0) "."(1) "..x"(3) "end."(4) => 21 + 5 CRLF = 31.
    const s = run([...LOGIN, C('LIST 1'), S('+OK 1 31'), C('RETR 1'),
      SLines('+OK 9999 octets', 'Subject: dots', '', '..', '...x', 'end.'), S('.')]);
    const r = s.messages.retrieved[0]!;
    expect(r).toMatchObject({ octets: 31, lines: 5, listedOctets: 31, subject: 'dots', frames: [11, 12, 13] });
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(reply.notes).toBeUndefined();
    expect(reply.data).toMatchObject({ complete: true, firstFrame: 12, lastFrame: 13 });
  });

  it('keeps bodies only when asked', () => {
    const steps = [...LOGIN, C('RETR 1'), SLines('+OK', 'Subject: x', '', '..', '.')];
    expect(run(steps).transcript.at(-1)!.data!.body).toBeUndefined();
    expect(run(steps, { keepBodies: true }).transcript.at(-1)!.data!.body).toBe('Subject: x\r\n\r\n.\r\n');
  });

  it('a -ERR to RETR opens no data', () => {
    const s = run([...LOGIN, C('RETR 9'), S('-ERR no such message'), C('NOOP'), S('+OK')]);
    expect(s.transcript.at(-1)!.answers).toBe('NOOP');
    expect(s.messages.retrieved).toEqual([]);
  });

  it('data cut off by the end of the connection is incomplete', () => {
    const s = run([...LOGIN, C('RETR 1'), SLines('+OK', 'Subject: x', '', 'partial')], { ended: 'rst' });
    const reply = s.transcript.at(-1)!;
    expect(reply.data!.complete).toBe(false);
    expect(reply.notes).toContain('incomplete-data');
    expect(s.messages.retrieved[0]).toMatchObject({ number: 1, subject: 'x', lines: 3 });
  });

  it('AUTH without argument lists mechanisms', () => {
    const s = run([S('+OK'), C('AUTH'), SLines('+OK', 'PLAIN', 'CRAM-MD5', '.')]);
    expect(s.saslMechanisms).toEqual(['PLAIN', 'CRAM-MD5']);
    expect(s.auth).toEqual([]);
  });

  it('CAPA gives capabilities and SASL mechanisms', () => {
    const s = run([S('+OK'), C('CAPA'), SLines('+OK Capability list follows', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'STLS', 'SASL PLAIN LOGIN XOAUTH2', 'USER', '.')]);
    expect(s.capabilities).toEqual(['TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'STLS', 'SASL PLAIN LOGIN XOAUTH2', 'USER']);
    expect(s.saslMechanisms).toEqual(['PLAIN', 'LOGIN', 'XOAUTH2']);
  });
});
