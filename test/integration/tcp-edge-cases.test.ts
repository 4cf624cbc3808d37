/**
 * TCP situations real tools rarely record, written as whole captures and run
 * through `analyze()` end to end. Every expected value (offsets, lengths,
 * frames, lines) is counted from the bytes the test puts in.
 */
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../src/decode/segment.js';
import type { SessionOut } from '../../src/model.js';
import { writePcap } from '../support/capture-writer.js';
import { TcpScript, type ConversationOptions } from '../support/conversation.js';
import { LINK_TYPE } from '../support/frames.js';
import { analyzeBytes, lineOf } from './analyze-buffer.js';

const GREETING = '+OK ready\r\n'; // 11 octets
const LOGIN: [string, string][] = [
  ['client', 'USER alice\r\n'], // 12
  ['server', '+OK\r\n'], // 5
  ['client', 'PASS secret-1\r\n'], // 15
  ['server', '+OK Logged in.\r\n'], // 16
];

/** Greeting and a USER/PASS login: client 27 octets, server 32. */
function loggedIn(o: ConversationOptions = {}): TcpScript {
  const t = new TcpScript(o).handshake();
  t.send('server', GREETING);
  for (const [from, line] of LOGIN) t.send(from as 'client' | 'server', line);
  return t;
}

async function sessionsOf(t: TcpScript, linkType = 1): Promise<SessionOut[]> {
  const r = await analyzeBytes(writePcap(t.packets, { linkType }), { showSecrets: true });
  return r.sessions;
}

const lines = (s: SessionOut) => s.transcript.map(lineOf);

describe('TCP edge cases, end to end', () => {
  it('picks up a connection mid-stream and dissects from the first whole line', async () => {
    const t = new TcpScript();
    t.send('server', 'ged in.\r\n'); // tail of a line whose start was before the capture
    t.send('client', 'STAT\r\n');
    t.send('server', '+OK 2 784\r\n');
    t.send('client', 'QUIT\r\n');
    t.send('server', '+OK bye\r\n');
    t.close();
    const [s, ...rest] = await sessionsOf(t);
    expect(rest).toEqual([]);
    expect(s!.midstream).toBe(true);
    // "ged in." may be the end of any line: it is not a response of its own.
    expect(lines(s!)).toEqual(['STAT', '+OK 2 784', 'QUIT', '+OK bye']);
  });

  it('mid-stream, the answer to a command whose start was not captured is not given to the next command', async () => {
    const t = new TcpScript();
    t.send('client', 'ASS secret-1\r\nSTAT\r\n'); // the tail of "PASS secret-1", then STAT
    t.send('server', '+OK Logged in.\r\n+OK 2 784\r\n');
    t.close();
    const [s] = await sessionsOf(t);
    expect(lines(s!)).toEqual(['STAT', '+OK Logged in.', '+OK 2 784']);
    // One response per command, in order (RFC 1939 §3): the first answers the unseen PASS.
    expect(s!.transcript[1]!.answers).toBeUndefined();
    expect(s!.transcript[1]!.notes ?? []).not.toContain('unmatched-response');
    expect(s!.transcript[2]!.answers).toBe('STAT');
  });

  it('a RST in the middle of a RETR ends the session as rst, the data incomplete', async () => {
    const t = loggedIn();
    t.send('client', 'RETR 1\r\n');
    const data = t.send('server', '+OK 120 octets\r\nSubject: hi\r\n\r\nfirst line\r\n');
    t.send('client', '', { flags: TCP_RST | TCP_ACK });
    const [s] = await sessionsOf(t);
    expect(s!.ended).toBe('rst');
    const retr = s!.transcript.find((e) => e.answers === 'RETR')!;
    expect(retr.frame).toBe(data);
    expect(retr.data?.complete).toBe(false);
  });

  it('a FIN that carries the last response delivers it', async () => {
    const t = loggedIn();
    t.send('client', 'QUIT\r\n');
    const fin = t.send('server', '+OK Logging out.\r\n', { flags: TCP_FIN | TCP_ACK | TCP_PSH });
    t.send('client', '', { flags: TCP_FIN | TCP_ACK });
    t.send('server', '', { flags: TCP_ACK });
    const [s] = await sessionsOf(t);
    const last = s!.transcript[s!.transcript.length - 1]!;
    expect(lineOf(last)).toBe('+OK Logging out.');
    expect(last.frame).toBe(fin);
    expect(s!.ended).toBe('quit');
    // 11 greeting + 5 + 16 login + 18 farewell.
    expect(s!.bytes.server).toBe(50);
  });

  it('data after a FIN is an anomaly and is not delivered', async () => {
    const t = loggedIn();
    const fin = t.send('client', 'QUIT\r\n', { flags: TCP_FIN | TCP_ACK | TCP_PSH });
    const late = t.send('client', 'NOOP\r\n');
    t.send('server', '+OK bye\r\n', { flags: TCP_FIN | TCP_ACK | TCP_PSH });
    t.send('client', '', { flags: TCP_ACK });
    const [s] = await sessionsOf(t);
    expect(lines(s!)).not.toContain('NOOP');
    expect(s!.anomalies).toContainEqual(expect.objectContaining({ kind: 'data-after-fin', direction: 'client', frames: [fin, late] }));
    // USER and PASS (27) and QUIT (6): the NOOP is not counted as delivered.
    expect(s!.bytes.client).toBe(33);
  });

  it('a 4-tuple reused after a close with new ISNs is a second session', async () => {
    const first = loggedIn({ clientIsn: 1000, serverIsn: 5000 });
    first.send('client', 'QUIT\r\n');
    first.send('server', '+OK bye\r\n');
    first.close();
    const second = new TcpScript({ clientIsn: 3_000_000_000, serverIsn: 77_000, start: 1_700_000_010 }).handshake();
    second.send('server', GREETING);
    second.send('client', 'USER bob\r\n');
    second.send('server', '+OK\r\n');
    second.close();
    const r = await analyzeBytes(writePcap([...first.packets, ...second.packets]), { showSecrets: true });
    expect(r.sessions.map((s) => s.id)).toEqual(['1', '2']);
    expect(r.sessions[0]!.user).toBe('alice');
    expect(lines(r.sessions[1]!)).toEqual(['+OK ready', 'USER bob', '+OK']);
    expect(r.sessions[1]!.client.port).toBe(40000);
  });

  it('a new SYN with a new ISN on a still-open 4-tuple ends the old session and starts another', async () => {
    const first = loggedIn({ clientIsn: 1000 });
    const reuse = new TcpScript({ clientIsn: 2_000_000, serverIsn: 9_000_000, start: 1_700_000_010 }).handshake();
    reuse.send('server', GREETING);
    reuse.close();
    const synFrame = first.packets.length + 1;
    const r = await analyzeBytes(writePcap([...first.packets, ...reuse.packets]));
    expect(r.sessions.length).toBe(2);
    expect(r.sessions[0]!.anomalies).toContainEqual(expect.objectContaining({ kind: 'port-reuse', frames: [synFrame] }));
    expect(r.sessions[1]!.midstream).toBe(false);
    expect(lines(r.sessions[1]!)).toEqual(['+OK ready']);
  });

  it('a retransmission with different bytes is a conflicting overlap naming both frames; the first bytes win', async () => {
    const t = new TcpScript().handshake();
    t.send('server', GREETING);
    const original = t.send('client', 'USER alice\r\n');
    const conflicting = t.send('client', 'USER mallo\r\n', { seqDelta: -12, keepSeq: true });
    t.send('server', '+OK\r\n');
    t.close();
    const [s] = await sessionsOf(t);
    expect(lines(s!)).toEqual(['+OK ready', 'USER alice', '+OK']);
    const a = s!.anomalies.find((x) => x.kind === 'conflicting-overlap');
    expect(a?.direction).toBe('client');
    expect(a?.frames).toEqual(expect.arrayContaining([original, conflicting]));
  });

  it('a packet cut by the snapshot length is a gap at its frame and stream position', async () => {
    const t = loggedIn();
    t.send('client', 'RETR 1\r\n');
    const body = `+OK 300 octets\r\n${'x'.repeat(298)}\r\n.\r\n`; // 16 + 300 + 3 = 319 octets
    // Ethernet 14 + IPv4 20 + TCP 20 = 54 header octets, then 40 octets of payload kept.
    const cut = t.send('server', body, { capLen: 54 + 40 });
    t.send('client', 'QUIT\r\n');
    t.send('server', '+OK bye\r\n');
    t.close();
    const [s] = await sessionsOf(t);
    // The server had sent 32 octets before (greeting and login answers).
    expect(s!.gaps).toEqual([{ direction: 'server', offset: 32 + 40, length: 319 - 40, frame: cut }]);
  });

  it('a retransmission after its gap was declared is counted and not delivered again', async () => {
    const t = loggedIn();
    t.send('client', 'NOOP\r\n');
    t.send('server', '+OK\r\n');
    const lostAt = t.packets.length; // index the STAT packet will have
    t.send('client', 'STAT\r\n'); // its first capture is moved to the end below
    t.send('client', 'LIST 1\r\n');
    // The server's answer acknowledges all the client sent: the missing STAT becomes a gap here.
    t.send('server', '+OK 1 120\r\n');
    t.close();
    const packets = [...t.packets];
    const [lost] = packets.splice(lostAt, 1);
    const ackFrame = lostAt + 2; // LIST moved up one frame, then the server's answer
    packets.splice(ackFrame, 0, lost!); // the lost STAT arrives right after the gap was declared
    const lateFrame = ackFrame + 1;
    const r = await analyzeBytes(writePcap(packets), { showSecrets: true });
    const s = r.sessions[0]!;
    // Client bytes before STAT: USER and PASS 27, NOOP 6.
    expect(s.gaps).toEqual([{ direction: 'client', offset: 33, length: 6, frame: ackFrame }]);
    expect(s.anomalies).toContainEqual(expect.objectContaining({ kind: 'late-retransmission', direction: 'client', frames: [lateFrame] }));
    expect(lines(s).filter((l) => l === 'STAT')).toEqual([]);
    expect(lines(s)).toContain('LIST 1');
  });
});

describe('more TCP details, end to end', () => {
  it('sequence numbers that wrap past 2^32 in the middle of a line', async () => {
    // Client ISN 2^32 - 5: the SYN takes one number, USER starts at 2^32 - 4 and wraps after 4 octets.
    const t = loggedIn({ clientIsn: 0xfffffffb, serverIsn: 0xfffffff0 });
    t.send('client', 'QUIT\r\n');
    t.send('server', '+OK bye\r\n');
    t.close();
    const [s] = await sessionsOf(t);
    expect(lines(s!)).toEqual(['+OK ready', 'USER alice', '+OK', 'PASS secret-1', '+OK Logged in.', 'QUIT', '+OK bye']);
    expect(s!.gaps).toEqual([]);
    expect(s!.bytes).toEqual({ client: 33, server: 41 });
  });

  it('a retransmission that covers old bytes and adds new ones delivers only the new ones', async () => {
    const t = new TcpScript().handshake();
    t.send('server', GREETING);
    t.send('client', 'USER al');
    t.send('client', 'USER alice\r\n', { seqDelta: -7 });
    t.send('server', '+OK\r\n');
    t.close();
    const [s] = await sessionsOf(t);
    expect(lines(s!)).toEqual(['+OK ready', 'USER alice', '+OK']);
    expect(s!.anomalies).toEqual([]);
    expect(s!.bytes.client).toBe(12);
  });

  it('a keep-alive probe (one octet at next - 1) is neither data nor a conflict', async () => {
    const t = loggedIn();
    t.send('client', '\0', { seqDelta: -1, keepSeq: true, flags: TCP_ACK });
    t.send('client', 'QUIT\r\n');
    t.send('server', '+OK bye\r\n');
    t.close();
    const [s] = await sessionsOf(t);
    expect(lines(s!).slice(-2)).toEqual(['QUIT', '+OK bye']);
    expect(s!.anomalies).toEqual([]);
    expect(s!.bytes.client).toBe(33);
  });

  it('payload on a RST is an anomaly and is not delivered', async () => {
    const t = loggedIn();
    const rst = t.send('client', 'QUIT\r\n', { flags: TCP_RST | TCP_ACK });
    const [s] = await sessionsOf(t);
    expect(s!.ended).toBe('rst');
    expect(lines(s!)).not.toContain('QUIT');
    expect(s!.anomalies).toContainEqual(expect.objectContaining({ kind: 'data-after-rst', frames: [rst] }));
  });

  it('a retransmitted SYN is the same connection', async () => {
    const t = new TcpScript({ clientIsn: 500 });
    t.send('client', '', { flags: TCP_SYN });
    t.send('client', '', { flags: TCP_SYN, seqDelta: -1 }); // same ISN again
    t.send('server', '', { flags: TCP_SYN | TCP_ACK });
    t.send('client', '', { flags: TCP_ACK });
    t.send('server', GREETING);
    t.close();
    const r = await analyzeBytes(writePcap(t.packets));
    expect(r.sessions.length).toBe(1);
    expect(r.sessions[0]!.anomalies).toEqual([]);
    expect(lines(r.sessions[0]!)).toEqual(['+OK ready']);
  });

  it('a lost segment inside RETR data: a gap, the data incomplete, the next answer dissected again', async () => {
    const t = loggedIn();
    t.send('client', 'RETR 1\r\n');
    t.send('server', '+OK 60 octets\r\nSubject: a\r\n\r\n');
    const lostAt = t.packets.length;
    t.send('server', 'line one of the body\r\n'); // 22 octets, never captured
    t.send('server', 'line two\r\n.\r\n');
    t.send('client', 'NOOP\r\n');
    t.send('server', '+OK\r\n');
    t.close();
    const packets = [...t.packets];
    packets.splice(lostAt, 1);
    const r = await analyzeBytes(writePcap(packets));
    const s = r.sessions[0]!;
    // Server octets before the hole: 32 (greeting, login) + 15 (+OK 60 octets) + 12 (Subject) + 2.
    // Frames: handshake 1-3, greeting 4, login 5-8, RETR 9, +OK 10, "line two" 11 (held), then
    // the client's NOOP 12 acknowledges past the hole: the gap is declared there.
    expect(s.gaps).toEqual([{ direction: 'server', offset: 61, length: 22, frame: 12 }]);
    const retr = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(retr.data?.complete).toBe(false);
    expect(s.transcript.find((e) => e.answers === 'NOOP')?.status).toBe('+OK');
  });
});

describe('ordering around FIN, held overlaps and concurrent connections', () => {
  it('a FIN captured before the last data segment still delivers that data', async () => {
    const t = loggedIn();
    t.send('client', 'QUIT\r\n');
    const dataAt = t.packets.length;
    t.send('server', '+OK bye\r\n');
    t.send('server', '', { flags: TCP_FIN | TCP_ACK });
    t.send('client', '', { flags: TCP_FIN | TCP_ACK });
    t.send('server', '', { flags: TCP_ACK });
    const packets = [...t.packets];
    const [data] = packets.splice(dataAt, 1);
    packets.splice(dataAt + 1, 0, data!); // the FIN first, then its data
    const r = await analyzeBytes(writePcap(packets));
    const s = r.sessions[0]!;
    expect(lines(s).slice(-2)).toEqual(['QUIT', '+OK bye']);
    expect(s.anomalies).toEqual([]);
    expect(s.gaps).toEqual([]);
    expect(s.ended).toBe('quit');
  });

  it('the same bytes retransmitted after the FIN are neither data after FIN nor delivered twice', async () => {
    const t = loggedIn();
    t.send('client', 'QUIT\r\n');
    t.send('server', '+OK bye\r\n');
    t.send('server', '', { flags: TCP_FIN | TCP_ACK });
    t.send('server', '+OK bye\r\n', { seqDelta: -10, keepSeq: true }); // 9 octets + the FIN's number
    t.send('client', '', { flags: TCP_FIN | TCP_ACK });
    t.send('server', '', { flags: TCP_ACK });
    const [s] = await sessionsOf(t);
    expect(lines(s!).filter((l) => l === '+OK bye')).toEqual(['+OK bye']);
    expect(s!.anomalies).toEqual([]);
    expect(s!.bytes.server).toBe(32 + 9);
  });

  it('a conflicting copy of a segment held out of order: the first copy wins, both frames named', async () => {
    const t = loggedIn();
    t.send('client', 'LIST\r\n');
    const headAt = t.packets.length;
    t.send('server', '+OK 1 messages\r\n');
    const held = t.send('server', '1 120\r\n.\r\n');
    const copy = t.send('server', '1 999\r\n.\r\n', { seqDelta: -10, keepSeq: true });
    t.close();
    const packets = [...t.packets];
    const [head] = packets.splice(headAt, 1);
    packets.splice(headAt + 2, 0, head!); // the head arrives after both copies of the tail
    const r = await analyzeBytes(writePcap(packets));
    const s = r.sessions[0]!;
    // After the move the tail copies are one frame earlier.
    const a = s.anomalies.find((x) => x.kind === 'conflicting-overlap');
    expect(a?.frames).toEqual(expect.arrayContaining([held - 1, copy - 1]));
    expect(s.transcript.find((e) => e.answers === 'LIST')?.data?.lineItems).toEqual(['1 120']);
  });

  it('two connections interleaved packet by packet are two sessions, numbered by first packet', async () => {
    const a = loggedIn({ clientPort: 41000 });
    const b = new TcpScript({ clientPort: 42000, client: '10.0.0.2', server: '10.0.0.1' }).handshake();
    b.send('server', '+OK other\r\n');
    b.send('client', 'USER bob\r\n');
    b.send('server', '+OK\r\n');
    b.close();
    a.close();
    const mixed: typeof a.packets = [];
    for (let i = 0; i < Math.max(a.packets.length, b.packets.length); i++) {
      if (a.packets[i]) mixed.push(a.packets[i]!);
      if (b.packets[i]) mixed.push(b.packets[i]!);
    }
    const r = await analyzeBytes(writePcap(mixed), { showSecrets: true });
    expect(r.sessions.map((s) => s.client.port)).toEqual([41000, 42000]);
    expect(r.sessions[0]!.user).toBe('alice');
    expect(lines(r.sessions[1]!)).toEqual(['+OK other', 'USER bob', '+OK']);
    expect(r.sessions[1]!.server.ip).toBe('10.0.0.1');
  });
});

describe('link layers and IP versions, end to end', () => {
  const turns: [string, string][] = [
    ['server', GREETING],
    ['client', 'USER carol\r\n'],
    ['server', '+OK\r\n'],
    ['client', 'QUIT\r\n'],
    ['server', '+OK bye\r\n'],
  ];
  const expected = ['+OK ready', 'USER carol', '+OK', 'QUIT', '+OK bye'];

  const cases: { name: string; o: ConversationOptions; linkType: number; fragmentClient?: number }[] = [
    { name: '802.1Q VLAN', o: { extra: { vlan: [42] } }, linkType: 1 },
    { name: 'QinQ (802.1ad outer, 802.1Q inner)', o: { extra: { vlan: [100, 200], vlanTpids: [0x88a8, 0x8100] } }, linkType: 1 },
    { name: 'IPv6', o: { client: '2001:db8::10', server: '2001:db8::110' }, linkType: 1 },
    { name: 'Linux SLL2', o: { extra: { link: 'sll2' } }, linkType: LINK_TYPE.sll2 },
    { name: 'IPv4 fragments', o: {}, linkType: 1, fragmentClient: 16 },
    { name: 'IPv6 fragments', o: { client: '2001:db8::10', server: '2001:db8::110' }, linkType: 1, fragmentClient: 16 },
    { name: 'Linux SLL with a VLAN tag', o: { extra: { link: 'sll', vlan: [7] } }, linkType: LINK_TYPE.sll },
    { name: 'BSD loopback (NULL), IPv6', o: { client: '::1', server: '::1', extra: { link: 'null' } }, linkType: LINK_TYPE.null },
    { name: 'raw IP', o: { extra: { link: 'raw' } }, linkType: LINK_TYPE.raw },
  ];

  for (const c of cases) {
    it(`${c.name}: the same transcript`, async () => {
      const t = new TcpScript({ ...c.o, clientIsn: 10, serverIsn: 20 }).handshake();
      for (const [from, line] of turns) {
        t.send(from as 'client' | 'server', line, from === 'client' && c.fragmentClient ? { fragmentSize: c.fragmentClient } : {});
      }
      t.close();
      const [s, ...rest] = await sessionsOf(t, c.linkType);
      expect(rest).toEqual([]);
      expect(lines(s!)).toEqual(expected);
      expect(s!.client).toEqual({ ip: c.o.client ?? '127.0.0.1', port: 40000 });
      expect(s!.server).toEqual({ ip: c.o.server ?? '127.0.0.1', port: 110 });
      expect(s!.gaps).toEqual([]);
      if (c.fragmentClient) {
        // TCP header 20 + "USER carol\r\n" 12 = 32 octets: two fragments of 16; USER completes in the second.
        const user = s!.transcript.find((e) => e.command === 'USER')!;
        expect(user.frame).toBe(3 + 1 + 2); // handshake, greeting, then the two fragments
      }
    });
  }
});
