/**
 * POP3 situations real clients rarely produce, and the same traffic in every
 * capture format, written as whole captures and run through `analyze()` end to
 * end. Expected values come from RFC 1939 / RFC 5034 and from the bytes put in.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, Finding, SessionOut } from '../../src/model.js';
import { writePcap, writePcapng } from '../support/capture-writer.js';
import { conversation, TcpScript } from '../support/conversation.js';
import { analyzeBytes, lineOf } from './analyze-buffer.js';
import { bytes, handshake, record, sniExtension, u16, vec16, vec8 } from '../tls/tls-bytes.js';

type Side = 'client' | 'server';

/** Handshake, then each [side, bytes] as one segment. */
function script(turns: [Side, string][], start = new TcpScript().handshake()): TcpScript {
  for (const [from, data] of turns) start.send(from, data);
  return start;
}

const LOGIN: [Side, string][] = [
  ['server', '+OK POP3 server ready\r\n'],
  ['client', 'USER alice\r\n'],
  ['server', '+OK\r\n'],
  ['client', 'PASS secret-1\r\n'],
  ['server', '+OK Logged in.\r\n'],
];

async function only(t: TcpScript, options = {}): Promise<SessionOut> {
  const r = await analyzeBytes(writePcap(t.packets), { showSecrets: true, ...options });
  expect(r.sessions.length).toBe(1);
  return r.sessions[0]!;
}

describe('POP3 edge cases, end to end', () => {
  it('a pipelined burst of 20 commands in one segment: 20 commands, answered in order', async () => {
    const four = ['STAT', 'LIST 1', 'UIDL 1', 'NOOP'];
    const answers = ['+OK 1 373', '+OK 1 373', '+OK 1 uid-one', '+OK'];
    const commands = Array.from({ length: 20 }, (_, i) => four[i % 4]!);
    const t = script(LOGIN);
    const burst = t.send('client', commands.map((c) => `${c}\r\n`).join(''));
    const reply = t.send('server', Array.from({ length: 20 }, (_, i) => `${answers[i % 4]}\r\n`).join(''));
    t.close();
    const s = await only(t);
    const cmds = s.transcript.filter((e) => e.from === 'client' && e.frame === burst);
    expect(cmds.map(lineOf)).toEqual(commands);
    const resp = s.transcript.filter((e) => e.from === 'server' && e.frame === reply);
    expect(resp.map((e) => e.answers)).toEqual(commands.map((c) => c.split(' ')[0]));
    expect(resp.map(lineOf)).toEqual(Array.from({ length: 20 }, (_, i) => answers[i % 4]));
    expect(s.events['pipeline-overflow'] ?? 0).toBe(0);
  });

  it('dot-stuffed lines, and a body line of a single "." sent as "..", are unstuffed (RFC 1939 §3)', async () => {
    const t = script([
      ...LOGIN,
      ['client', 'RETR 1\r\n'],
      ['server', '+OK 35 octets\r\nSubject: dots\r\n\r\n..hidden\r\n..\r\nend.\r\n.\r\n'],
    ]);
    t.close();
    const s = await only(t, { bodies: true });
    const retr = s.transcript.find((e) => e.answers === 'RETR')!;
    // "Subject: dots" 15, "" 2, ".hidden" 9, "." 3, "end." 6 (each with CRLF).
    expect(retr.data).toMatchObject({ octets: 35, lines: 5, complete: true });
    expect(retr.data!.body).toBe('Subject: dots\r\n\r\n.hidden\r\n.\r\nend.\r\n');
    expect(retr.data!.headers?.subject).toBe('dots');
  });

  it('a CRLF split across two segments ends the line in the second', async () => {
    const t = new TcpScript().handshake();
    t.send('server', '+OK hi\r');
    const greetEnd = t.send('server', '\n');
    const first = t.send('client', 'USER alice\r');
    const second = t.send('client', '\nQUIT\r\n');
    t.send('server', '+OK\r\n+OK bye\r\n');
    t.close();
    const s = await only(t);
    expect(s.transcript.map(lineOf)).toEqual(['+OK hi', 'USER alice', 'QUIT', '+OK', '+OK bye']);
    const user = s.transcript.find((e) => e.command === 'USER')!;
    expect(user.frame).toBe(second);
    expect(user.frames).toEqual([first, second]);
    expect(s.greeting?.frame).toBe(greetEnd);
    expect(s.events['bare-lf'] ?? 0).toBe(0);
  });

  it('a client sending one character per segment: one command, completed by the last segment', async () => {
    const t = script([['server', '+OK hi\r\n']]);
    const frames = [...'USER bob\r\n'].map((ch) => t.send('client', ch));
    t.send('server', '+OK\r\n');
    t.close();
    const s = await only(t);
    expect(s.transcript.map(lineOf)).toEqual(['+OK hi', 'USER bob', '+OK']);
    const user = s.transcript[1]!;
    expect(user.frame).toBe(frames[frames.length - 1]);
    expect(user.frames).toEqual(frames);
  });

  it('AUTH cancelled with "*" (RFC 5034 §4) is a cancelled attempt', async () => {
    const t = script([
      ['server', '+OK hi\r\n'],
      ['client', 'AUTH LOGIN\r\n'],
      ['server', '+ VXNlcm5hbWU6\r\n'],
      ['client', '*\r\n'],
      ['server', '-ERR Authentication aborted\r\n'],
    ]);
    t.close();
    const s = await only(t);
    expect(s.transcript.map(lineOf)).toEqual(['+OK hi', 'AUTH LOGIN', '+ VXNlcm5hbWU6', '*', '-ERR Authentication aborted']);
    expect(s.transcript[3]!.command).toBe('*');
    expect(s.auth).toEqual([expect.objectContaining({ mechanism: 'LOGIN', outcome: 'cancelled' })]);
    expect(s.state).toBe('AUTHORIZATION');
  });

  it('STLS answered -ERR keeps the session plain and dissected (RFC 2595 §4)', async () => {
    const t = script([
      ['server', '+OK hi\r\n'],
      ['client', 'STLS\r\n'],
      ['server', '-ERR TLS not available\r\n'],
      ...LOGIN.slice(1),
    ]);
    t.close();
    const s = await only(t);
    expect(s.transport).toBe('plain');
    expect(s.tls).toBeNull();
    expect(s.transcript.map(lineOf)).toContain('PASS secret-1');
    expect(s.auth).toEqual([expect.objectContaining({ mechanism: 'USER', user: 'alice', outcome: 'success', encrypted: false })]);
  });

  it('a greeting without an APOP timestamp has none; one with it keeps it (RFC 1939 §7)', async () => {
    const plain = script([['server', '+OK POP3 server ready\r\n']]).close();
    const s1 = await only(plain);
    expect(s1.greeting).toEqual({ text: 'POP3 server ready', apopTimestamp: null, frame: 4 });
    // The example greeting of RFC 1939 §7.
    const apop = script([['server', '+OK POP3 server ready <1896.697170952@dbc.mimecast.com>\r\n']]).close();
    const s2 = await only(apop);
    expect(s2.greeting?.apopTimestamp).toBe('<1896.697170952@dbc.mimecast.com>');
  });

  it('an unknown command and its -ERR are named and paired', async () => {
    const t = script([...LOGIN, ['client', 'XYZZY now\r\n'], ['server', '-ERR Unknown command\r\n']]);
    t.close();
    const s = await only(t);
    const cmd = s.transcript.find((e) => e.command === 'XYZZY')!;
    expect(cmd.argument).toBe('now');
    const answer = s.transcript[s.transcript.indexOf(cmd) + 1]!;
    expect(lineOf(answer)).toBe('-ERR Unknown command');
    expect(answer.answers).toBe('XYZZY');
    expect(s.events['unknown-command']).toBe(1);
  });

  it('a response with no command pending is marked unmatched', async () => {
    const t = script([['server', '+OK hi\r\n'], ['server', '+OK nobody asked\r\n'], ['client', 'QUIT\r\n'], ['server', '+OK bye\r\n']]);
    t.close();
    const s = await only(t);
    const stray = s.transcript.find((e) => e.text === 'nobody asked')!;
    expect(stray.notes).toContain('unmatched-response');
    expect(stray.answers).toBeUndefined();
    expect(s.transcript.find((e) => e.text === 'bye')?.answers).toBe('QUIT');
  });

  it('1 MB of binary junk on port 110 is labelled not POP3, in bounded time', async () => {
    const t = new TcpScript().handshake();
    // A fixed pseudo-random byte sequence (xorshift), so the test is repeatable.
    let x = 0x9e3779b9;
    const junk = new Uint8Array(1 << 20);
    for (let i = 0; i < junk.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      junk[i] = x & 0xff;
    }
    junk[0] = 0x00; // not a status, not a command, not printable
    for (let at = 0; at < junk.length; at += 1460) t.send('client', junk.subarray(at, at + 1460));
    t.send('server', junk.subarray(0, 1460));
    t.close();
    const began = performance.now();
    const s = await only(t);
    expect(performance.now() - began).toBeLessThan(10_000);
    expect(s.notPop3).toBeDefined();
    expect(s.transcript).toEqual([]);
  });
});

describe('more RFC 1939 details, end to end', () => {
  it('keywords are case-insensitive (RFC 1939 §3); bare LF line ends are counted', async () => {
    const t = script([['server', '+OK hi\r\n'], ['client', 'user alice\n'], ['server', '+OK\r\n']]);
    t.close();
    const s = await only(t);
    expect(s.transcript[1]).toMatchObject({ command: 'USER', argument: 'alice' });
    expect(s.events['bare-lf']).toBe(1);
  });

  it('a terminating "." line split across segments, and "+OK" inside a body, stay data', async () => {
    const t = script([...LOGIN, ['client', 'RETR 2\r\n'], ['server', '+OK 15 octets\r\n'], ['server', '+OK not a reply\r\n.\r']]);
    const end = t.send('server', '\n');
    t.send('client', 'QUIT\r\n');
    t.send('server', '+OK bye\r\n');
    t.close();
    const s = await only(t);
    const retr = s.transcript.find((e) => e.answers === 'RETR')!;
    // One line "+OK not a reply" with its CRLF: 17 octets.
    expect(retr.data).toMatchObject({ octets: 17, lines: 1, complete: true, lastFrame: end });
    expect(s.transcript.filter((e) => e.from === 'server').map(lineOf)).toEqual([
      '+OK POP3 server ready', '+OK', '+OK Logged in.', '+OK 15 octets', '+OK bye',
    ]);
  });

  it('LIST with an argument is one line, without one is multi-line; -ERR to RETR opens no data', async () => {
    const t = script([
      ...LOGIN,
      ['client', 'LIST 1\r\n'], ['server', '+OK 1 120\r\n'],
      ['client', 'LIST\r\n'], ['server', '+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n'],
      ['client', 'RETR 9\r\n'], ['server', '-ERR no such message\r\n'],
      ['client', 'TOP 1 0\r\n'], ['server', '+OK\r\nSubject: s\r\n\r\n.\r\n'],
      ['client', 'QUIT\r\n'], ['server', '+OK bye\r\n'],
    ]);
    t.close();
    const s = await only(t);
    const by = (cmd: string, arg?: string) => {
      const i = s.transcript.findIndex((e) => e.command === cmd && e.argument === arg);
      return s.transcript[i + 1]!;
    };
    expect(by('LIST', '1').data).toBeUndefined();
    expect(by('LIST').data).toMatchObject({ lines: 2, octets: 14, complete: true });
    expect(by('RETR', '9')).toMatchObject({ status: '-ERR', text: 'no such message' });
    expect(by('RETR', '9').data).toBeUndefined();
    expect(by('TOP', '1 0').data).toMatchObject({ lines: 2, octets: 14, complete: true });
    expect(s.messages.listed).toEqual(expect.arrayContaining([expect.objectContaining({ number: 2, octets: 200 })]));
  });

  it('an RFC 2449 response code is split from the text', async () => {
    const t = script([
      ['server', '+OK hi\r\n'], ['client', 'USER alice\r\n'], ['server', '+OK\r\n'],
      ['client', 'PASS x\r\n'], ['server', '-ERR [IN-USE] Mailbox locked\r\n'],
    ]);
    t.close();
    const s = await only(t);
    expect(s.transcript[4]).toMatchObject({ status: '-ERR', code: 'IN-USE', text: 'Mailbox locked' });
    expect(s.auth).toEqual([expect.objectContaining({ outcome: 'failure', code: 'IN-USE' })]);
  });

  it('DELE then RSET deletes nothing; QUIT in AUTHORIZATION commits nothing (RFC 1939 §5, §6)', async () => {
    const reset = script([
      ...LOGIN, ['client', 'DELE 1\r\n'], ['server', '+OK\r\n'], ['client', 'RSET\r\n'], ['server', '+OK\r\n'],
      ['client', 'DELE 2\r\n'], ['server', '+OK\r\n'], ['client', 'QUIT\r\n'], ['server', '+OK bye\r\n'],
    ]).close();
    const s1 = await only(reset);
    expect(s1.messages.deleted).toEqual([2]);
    expect(s1.messages.committed).toBe(true);
    expect(s1.state).toBe('UPDATE');
    const early = script([['server', '+OK hi\r\n'], ['client', 'QUIT\r\n'], ['server', '+OK bye\r\n']]).close();
    const s2 = await only(early);
    expect(s2.messages.committed).toBe(false);
    expect(s2.ended).toBe('quit');
  });

  it('AUTH PLAIN with the empty initial response "=" then the answer (RFC 5034 §4)', async () => {
    const answer = Buffer.from('\0bob\0pw-1').toString('base64');
    const t = script([
      ['server', '+OK hi\r\n'], ['client', 'AUTH PLAIN =\r\n'], ['server', '+ \r\n'],
      ['client', `${answer}\r\n`], ['server', '+OK Logged in.\r\n'],
    ]);
    t.close();
    const s = await only(t);
    expect(s.auth).toEqual([expect.objectContaining({ mechanism: 'PLAIN', user: 'bob', outcome: 'success' })]);
    expect(s.transcript[3]).toMatchObject({ sasl: true, argument: answer });
    expect(s.state).toBe('TRANSACTION');
  });
});

describe('STLS accepted, end to end', () => {
  it('after +OK the client speaks TLS: transport stls, the ClientHello described, nothing dissected inside', async () => {
    // A TLS 1.2-framed ClientHello (RFC 8446 §4.1.2) offering TLS_AES_128_GCM_SHA256 with SNI (RFC 6066 §3).
    const hello = handshake(1, bytes(
      u16(0x0303), new Uint8Array(32), vec8(), vec16(u16(0x1301)), vec8([0]),
      vec16(sniExtension('mail.example')),
    ));
    const t = script([['server', '+OK hi\r\n'], ['client', 'STLS\r\n'], ['server', '+OK Begin TLS\r\n']]);
    const tlsFrame = t.send('client', record(22, 0x0301, hello));
    t.send('client', record(23, 0x0303, new Uint8Array(40))); // application data: not readable
    t.close();
    const s = await only(t);
    expect(s.transport).toBe('stls');
    expect(s.transcript.map(lineOf)).toEqual(['+OK hi', 'STLS', '+OK Begin TLS']);
    expect(s.tls).toMatchObject({ startFrame: tlsFrame, sni: 'mail.example' });
  });
});

describe('the same traffic in every capture format decodes to the same sessions', () => {
  const t = script([
    ...LOGIN,
    ['client', 'RETR 1\r\n'],
    ['server', '+OK 18 octets\r\nSubject: x\r\n\r\nhi\r\n.\r\n'],
    ['client', 'TOP 2 0\r\n'],
  ]);
  // A snapshot-length cut: 54 header octets and 8 of the 30 payload octets kept.
  const cutFrame = t.send('server', '+OK\r\nSubject: cut short\r\n\r\n.\r\n', { capLen: 54 + 8 });
  script([
    ['client', 'DELE 1\r\n'],
    ['server', '+OK\r\n'],
    ['client', 'QUIT\r\n'],
    ['server', '+OK bye\r\n'],
  ], t).close();
  const pcap = writePcap(t.packets);
  const formats: [string, Uint8Array][] = [
    ['pcap, microseconds', pcap],
    ['pcap, nanoseconds', writePcap(t.packets, { nanosecond: true })],
    ['pcap, big-endian', writePcap(t.packets, { bigEndian: true })],
    ['pcap, nanoseconds, big-endian', writePcap(t.packets, { nanosecond: true, bigEndian: true })],
    ['pcapng, microseconds', writePcapng(t.packets, { interfaces: [{ linkType: 1 }] })],
    ['pcapng, nanoseconds, big-endian', writePcapng(t.packets, { interfaces: [{ linkType: 1, tsresol: 9 }], bigEndian: true })],
    ['gzip of pcap', gzipSync(pcap)],
    ['gzip of pcapng', gzipSync(writePcapng(t.packets, { interfaces: [{ linkType: 1 }] }))],
  ];

  /** The result without capture facts; times to nine decimals, so µs and ns files compare. */
  const comparable = (r: AnalysisResult) => JSON.parse(
    JSON.stringify({ sessions: r.sessions, findings: r.findings, limits: r.limits }),
    (_k, v) => (typeof v === 'string' ? v.replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d+)Z$/, (_m, s, f) => `${s}.${f.padEnd(9, '0')}Z`) : v),
  );

  it.each(formats)('%s', async (_name, bytes) => {
    const reference = comparable(await analyzeBytes(pcap));
    const r = await analyzeBytes(bytes, {}, 'capture.bin');
    expect(r.sessions.length).toBe(1);
    // What was put in: every packet read, the message retrieved and deleted, committed.
    expect(r.captures[0]!.packets).toBe(t.packets.length);
    const s = r.sessions[0]!;
    expect(s.messages.deleted).toEqual([1]);
    expect(s.messages.committed).toBe(true);
    // Server octets before the cut: 23 + 5 + 16 (login) + 15 + 12 + 2 + 4 + 3 (RETR answer) = 80, then 8 kept.
    expect(s.gaps).toEqual([{ direction: 'server', offset: 88, length: 22, frame: cutFrame }]);
    expect(s.start).toMatch(/^2023-11-14T22:13:20\.0+Z$/);
    expect(comparable(r)).toEqual(reference);
  });
});

describe('findings as sessions close (onFinding)', () => {
  // Five sessions from one address, each a refused USER/PASS, a second apart: auth-failures' threshold.
  const failedLogins = () => writePcap(Array.from({ length: 5 }, (_, i) => conversation([
    { from: 'server', data: '+OK ready\r\n' },
    { from: 'client', data: 'USER root\r\n' },
    { from: 'server', data: '+OK\r\n' },
    { from: 'client', data: `PASS guess${i}\r\n` },
    { from: 'server', data: '-ERR [AUTH] Authentication failed.\r\n' },
    { from: 'client', data: 'QUIT\r\n' },
    { from: 'server', data: '+OK bye\r\n' },
  ], { client: '192.0.2.99', clientPort: 41000 + i, start: 1_700_000_000 + i })).flat(), { linkType: 1 });

  it('a rule that compares sessions says early that its threshold was crossed, and the final finding follows at the end', async () => {
    const early: Finding[] = [];
    const r = await analyzeBytes(failedLogins(), { onFinding: (f) => early.push(f) });
    const final = r.findings.filter((f) => f.rule === 'auth-failures');
    expect(final).toHaveLength(1);
    expect(final[0]!.details?.failures).toBe(5);
    const notices = early.filter((f) => f.provisional === true);
    expect(notices.map((f) => [f.rule, f.details?.failures])).toEqual([['auth-failures', 5]]);
    // Without a reader of early notices the result is the same.
    const quiet = await analyzeBytes(failedLogins());
    expect(quiet.findings).toEqual(r.findings);
  });
});
