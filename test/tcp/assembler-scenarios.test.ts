/**
 * Scenario tests for TCP reassembly: each builds the segments of one situation
 * by hand and states, from the TCP rules (RFC 9293), what the consumer must see.
 */
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../src/decode/segment.js';
import { TcpAssembler } from '../../src/tcp/assembler.js';
import { CLIENT, Recorder, SERVER, pop3Ports, seg, streamText } from './harness.js';

const A = TCP_ACK;
const PA = TCP_PSH | TCP_ACK;
const C_ISN = 1000;
const S_ISN = 5000;

function setup(options: Partial<ConstructorParameters<typeof TcpAssembler>[1]> = {}) {
  const rec = new Recorder();
  const asm = new TcpAssembler(rec, { ...pop3Ports, ...options });
  return { rec, asm };
}

/** SYN, SYN/ACK, ACK as frames 1..3: client data starts at 1001, server data at 5001. */
function handshake(asm: TcpAssembler, client = CLIENT, server = SERVER, cIsn = C_ISN, sIsn = S_ISN, frame = 1) {
  asm.segment(seg({ from: 'client', seq: cIsn, flags: TCP_SYN, frame }, client, server));
  asm.segment(seg({ from: 'server', seq: sIsn, ack: cIsn + 1, flags: TCP_SYN | A, frame: frame + 1 }, client, server));
  asm.segment(seg({ from: 'client', seq: cIsn + 1, ack: sIsn + 1, flags: A, frame: frame + 2 }, client, server));
}

describe('a complete connection', () => {
  it('delivers both directions in order, one data call per segment, and closes once on FIN both ways', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, ack: 1001, flags: PA, payload: '+OK ready\r\n', frame: 4 }));
    asm.segment(seg({ from: 'client', seq: 1001, ack: 5012, flags: PA, payload: 'QUIT\r\n', frame: 5 }));
    asm.segment(seg({ from: 'server', seq: 5012, ack: 1007, flags: PA | TCP_FIN, payload: '+OK bye\r\n', frame: 6 }));
    asm.segment(seg({ from: 'client', seq: 1007, ack: 5022, flags: A | TCP_FIN, frame: 7 }));
    const [c] = rec.connections;
    expect(rec.connections).toHaveLength(1);
    expect(c!.info).toMatchObject({ id: 1, client: CLIENT, server: SERVER, firstFrame: 1, midstream: false });
    expect(c!.closes).toBe(1); // closed on the second FIN, before the final ACK
    asm.segment(seg({ from: 'server', seq: 5022, ack: 1008, flags: A, frame: 8 })); // final ACK: absorbed
    asm.finish();
    expect(rec.connections).toHaveLength(1);
    expect(c!.closes).toBe(1);
    expect(streamText(c!, 'server')).toBe('+OK ready\r\n+OK bye\r\n');
    expect(streamText(c!, 'client')).toBe('QUIT\r\n');
    expect(c!.events.map((e) => (e.kind === 'data' ? [e.dir, e.firstFrame, e.lastFrame] : e))).toEqual([
      ['server', 4, 4],
      ['client', 5, 5],
      ['server', 6, 6],
    ]);
    expect(c!.summary).toMatchObject({
      ended: 'fin',
      lastFrame: 7,
      bytes: { client: 6, server: 20 },
      gaps: [],
      anomalies: [],
    });
    expect(asm.stats.connections).toBe(1);
  });

  it('takes the SYN sender as client even on a non-server port pair, and delivers data carried on the SYN', () => {
    const { rec, asm } = setup();
    const a = { ip: '2001:db8::1', port: 5555 };
    const b = { ip: '2001:db8::2', port: 6666 };
    asm.segment(seg({ from: 'client', seq: 77, flags: TCP_SYN, payload: 'hi', frame: 1 }, a, b));
    asm.segment(seg({ from: 'client', seq: 80, flags: A, payload: 'there', frame: 2 }, a, b));
    asm.segment(seg({ from: 'server', seq: 500, flags: A, payload: 'reply', frame: 3 }, a, b));
    asm.finish();
    expect(rec.connections).toHaveLength(1); // both directions of the IPv6 4-tuple are one connection
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('reply');
    expect(c!.info.client).toEqual(a);
    expect(c!.info.server).toEqual(b);
    expect(streamText(c!, 'client')).toBe('hithere'); // SYN takes seq 77, 'hi' is 78..79
    expect(c!.summary!.ended).toBe('capture-end');
  });
});

describe('mid-stream pickup', () => {
  it('picks roles by server port and starts each direction at the lowest sequence held before the peer speaks', () => {
    const { rec, asm } = setup();
    // The capture starts inside a transfer: the server's segments arrive out of order.
    asm.segment(seg({ from: 'server', seq: 7010, ack: 300, flags: PA, payload: 'second', frame: 1 }));
    asm.segment(seg({ from: 'server', seq: 7000, ack: 300, flags: PA, payload: 'first.....', frame: 2 }));
    asm.segment(seg({ from: 'client', seq: 300, ack: 7016, flags: PA, payload: 'STAT\r\n', frame: 3 }));
    asm.segment(seg({ from: 'server', seq: 7016, ack: 306, flags: PA, payload: '+OK\r\n', frame: 4 }));
    asm.finish();
    const [c] = rec.connections;
    expect(c!.info).toMatchObject({ client: CLIENT, server: SERVER, midstream: true, firstFrame: 1 });
    expect(streamText(c!, 'server')).toBe('first.....second+OK\r\n');
    expect(streamText(c!, 'client')).toBe('STAT\r\n');
    expect(c!.summary!.gaps).toEqual([]);
    // The server's held bytes come out before the client's packet that released them.
    expect(c!.events.map((e) => e.kind === 'data' && e.firstFrame)).toEqual([2, 1, 3, 4]);
  });

  it('takes the destination of the first packet as server when no port says so', () => {
    const { rec, asm } = setup();
    const a = { ip: '192.0.2.1', port: 2000 };
    const b = { ip: '192.0.2.2', port: 3000 };
    asm.segment(seg({ from: 'client', seq: 1, flags: A, payload: 'x' }, a, b));
    asm.finish();
    expect(rec.connections[0]!.info).toMatchObject({ client: a, server: b, midstream: true });
  });

  it('starts a direction after PICKUP_SEGMENTS segments even if the peer never speaks', () => {
    const { rec, asm } = setup();
    for (const [i, s] of [20, 10, 30, 0].entries()) {
      asm.segment(seg({ from: 'server', seq: 9000 + s, flags: A, payload: String.fromCharCode(97 + s / 10).repeat(10), frame: i + 1 }));
    }
    // Four held: the direction started at 9000 and delivered everything, before finish.
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('a'.repeat(10) + 'b'.repeat(10) + 'c'.repeat(10) + 'd'.repeat(10));
  });
});

describe('ends', () => {
  it('on RST mid-transfer: declares the hole, delivers what was held, and closes at once', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'AAAA', frame: 4 }));
    asm.segment(seg({ from: 'server', seq: 5009, flags: A, payload: 'CCCC', frame: 5 })); // 5005..5008 missing
    asm.segment(seg({ from: 'client', seq: 1001, flags: TCP_RST, frame: 6 }));
    const [c] = rec.connections;
    expect(c!.closes).toBe(1);
    expect(streamText(c!, 'server')).toBe('AAAA[gap 4]CCCC');
    expect(c!.summary).toMatchObject({
      ended: 'rst',
      lastFrame: 6,
      gaps: [{ direction: 'server', offset: 4, length: 4, frame: 6 }],
      bytes: { client: 0, server: 8 },
    });
    asm.segment(seg({ from: 'server', seq: 5013, flags: A, payload: 'late', frame: 7 }));
    asm.finish();
    expect(c!.closes).toBe(1);
    expect(rec.connections).toHaveLength(1);
    expect(asm.stats.ignored['data-after-close']).toBe(1);
  });

  it('reports bytes carried by a RST as data-after-rst, undelivered', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, flags: TCP_RST | A, payload: 'diagnostic', frame: 4 }));
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('');
    expect(c!.summary!.anomalies).toEqual([expect.objectContaining({ kind: 'data-after-rst', direction: 'server', frames: [4] })]);
  });

  it('delivers data carried on a FIN, and reports data after the FIN without delivering it', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'client', seq: 1001, flags: A | TCP_FIN, payload: 'QUIT\r\n', frame: 4 })); // FIN takes seq 1007
    asm.segment(seg({ from: 'client', seq: 1008, flags: A, payload: 'junk', frame: 5 }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'client')).toBe('QUIT\r\n');
    expect(c!.summary!.ended).toBe('fin'); // one FIN seen, then the capture ended
    expect(c!.summary!.anomalies).toEqual([expect.objectContaining({ kind: 'data-after-fin', direction: 'client', frames: [4, 5] })]);
    expect(c!.summary!.bytes.client).toBe(6);
  });

  it('waits for data that arrives after its own FIN, then closes without gaps', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5005, flags: A | TCP_FIN, payload: 'end', frame: 4 })); // before 5001..5004
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'the ', frame: 5 }));
    asm.segment(seg({ from: 'client', seq: 1001, flags: A | TCP_FIN, frame: 6 }));
    const [c] = rec.connections;
    expect(c!.closes).toBe(1);
    expect(streamText(c!, 'server')).toBe('the end');
    expect(c!.summary).toMatchObject({ ended: 'fin', gaps: [], anomalies: [] });
  });

  it('drops held bytes that a later-seen FIN shows were sent after it', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'client', seq: 1010, flags: A, payload: 'after', frame: 4 })); // held
    asm.segment(seg({ from: 'client', seq: 1001, flags: A | TCP_FIN, payload: 'QUIT\r\n', frame: 5 })); // FIN at 1007
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'client')).toBe('QUIT\r\n');
    expect(c!.summary!.anomalies).toEqual([expect.objectContaining({ kind: 'data-after-fin', frames: [5, 4] })]);
    expect(c!.summary!.gaps).toEqual([]);
  });

  it('declares a hole before the second FIN when the connection closes', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'client', seq: 1001, flags: A | TCP_FIN, frame: 4 }));
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'one', frame: 5 }));
    asm.segment(seg({ from: 'server', seq: 5010, flags: A | TCP_FIN, frame: 6 })); // bytes 5004..5009 never seen
    const [c] = rec.connections;
    expect(c!.closes).toBe(1);
    expect(streamText(c!, 'server')).toBe('one[gap 6]');
    expect(c!.summary!.gaps).toEqual([{ direction: 'server', offset: 3, length: 6, frame: 6 }]);
  });
});

describe('overlaps and retransmissions', () => {
  it('drops exact and partial retransmissions of the same bytes without anomaly', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'abcdef' }));
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'abcdef' }));
    asm.segment(seg({ from: 'server', seq: 5004, flags: A, payload: 'defghi' }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('abcdefghi');
    expect(c!.summary!.anomalies).toEqual([]);
  });

  it('keeps the first-seen bytes of a conflicting overlap with held data, naming both frames', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5006, flags: A, payload: 'WORLD', frame: 11 })); // held
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'HELLOXORLD', frame: 12 }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('HELLOWORLD');
    expect(c!.summary!.anomalies).toEqual([
      expect.objectContaining({ kind: 'conflicting-overlap', direction: 'server', frames: [11, 12] }),
    ]);
  });

  it('reports a retransmission that differs from bytes already delivered, naming both frames', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'client', seq: 1001, flags: A, payload: 'PASS secret\r\n', frame: 20 }));
    asm.segment(seg({ from: 'client', seq: 1006, flags: A, payload: 'sEcret', frame: 21 }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'client')).toBe('PASS secret\r\n');
    expect(c!.summary!.anomalies).toEqual([
      expect.objectContaining({ kind: 'conflicting-overlap', direction: 'client', frames: [20, 21] }),
    ]);
  });

  it('declares a gap when the peer acknowledges bytes never seen, and counts their late retransmission', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'AAAA', frame: 4 }));
    asm.segment(seg({ from: 'server', seq: 5009, flags: A, payload: 'CCCC', frame: 5 }));
    asm.segment(seg({ from: 'client', seq: 1001, ack: 5013, flags: A, frame: 6 }));
    asm.segment(seg({ from: 'server', seq: 5005, flags: A, payload: 'BBBB', frame: 7 }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('AAAA[gap 4]CCCC');
    expect(c!.summary!.gaps).toEqual([{ direction: 'server', offset: 4, length: 4, frame: 6 }]);
    expect(c!.summary!.anomalies).toEqual([
      expect.objectContaining({ kind: 'late-retransmission', direction: 'server', frames: [7] }),
    ]);
  });

  it('ignores keep-alive probes (one garbage byte or none at next − 1)', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'AAAA' }));
    asm.segment(seg({ from: 'server', seq: 5004, flags: A, payload: '\0' }));
    asm.segment(seg({ from: 'server', seq: 5004, flags: A }));
    asm.segment(seg({ from: 'client', seq: 1000, flags: A, payload: '\0' })); // before any client data
    asm.segment(seg({ from: 'server', seq: 5005, flags: A, payload: 'B' }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('AAAAB');
    expect(streamText(c!, 'client')).toBe('');
    expect(c!.summary!.anomalies).toEqual([]);
    expect(c!.summary!.gaps).toEqual([]);
  });

  it('delivers the captured part of a snaplen-cut segment, then a gap of the missing bytes', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5001, flags: A, payload: 'ABCD', missing: 6, frame: 4 }));
    asm.segment(seg({ from: 'server', seq: 5011, flags: A, payload: 'XYZ', frame: 5 }));
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('ABCD[gap 6]XYZ');
    expect(c!.summary!.gaps).toEqual([{ direction: 'server', offset: 4, length: 6, frame: 4 }]);
    expect(c!.summary!.bytes.server).toBe(7);
  });

  it('handles sequence numbers that wrap past 2^32', () => {
    const { rec, asm } = setup();
    handshake(asm, CLIENT, SERVER, C_ISN, 0xfffffffa);
    // Server data starts at 0xfffffffb: 5 bytes before the wrap, the rest after.
    asm.segment(seg({ from: 'server', seq: 0, flags: A, payload: 'world' })); // held until the bytes before the wrap arrive
    asm.segment(seg({ from: 'server', seq: 0xfffffffb, flags: A, payload: 'hello' }));
    asm.segment(seg({ from: 'server', seq: 0xfffffffe, flags: A, payload: 'lowo' })); // overlap across the wrap
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('helloworld');
    expect(c!.summary!.anomalies).toEqual([]);
  });
});

describe('connection reuse', () => {
  it('starts a new connection when a SYN arrives on a 4-tuple that closed', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'client', seq: 1001, flags: A | TCP_FIN, payload: 'one', frame: 4 }));
    asm.segment(seg({ from: 'server', seq: 5001, flags: A | TCP_FIN, frame: 5 }));
    asm.segment(seg({ from: 'client', seq: 1005, ack: 5002, flags: A, frame: 6 }));
    handshake(asm, CLIENT, SERVER, 90_000, 70_000, 7);
    asm.segment(seg({ from: 'client', seq: 90_001, flags: A, payload: 'two', frame: 10 }));
    asm.finish();
    expect(rec.connections.map((c) => [c.info.id, c.info.firstFrame, streamText(c, 'client'), c.summary!.ended])).toEqual([
      [1, 1, 'one', 'fin'],
      [2, 7, 'two', 'capture-end'],
    ]);
  });

  it('closes a live connection when a SYN with a different ISN arrives, but not for a retransmitted SYN', () => {
    const { rec, asm } = setup();
    handshake(asm);
    asm.segment(seg({ from: 'client', seq: C_ISN, flags: TCP_SYN, frame: 4 })); // same ISN: retransmission
    asm.segment(seg({ from: 'client', seq: 1001, flags: A, payload: 'old', frame: 5 }));
    handshake(asm, CLIENT, SERVER, 123_456, 654_321, 6);
    asm.segment(seg({ from: 'client', seq: 123_457, flags: A, payload: 'new', frame: 9 }));
    asm.finish();
    expect(rec.connections).toHaveLength(2);
    const [old, fresh] = rec.connections;
    expect(streamText(old!, 'client')).toBe('old');
    expect(old!.summary!.ended).toBe('evicted');
    expect(old!.summary!.anomalies).toEqual([expect.objectContaining({ kind: 'port-reuse', frames: [6] })]);
    expect(streamText(fresh!, 'client')).toBe('new');
    expect(fresh!.info).toMatchObject({ id: 2, firstFrame: 6, midstream: false });
  });
});

describe('memory and time limits', () => {
  it('flushes the oldest held run past a gap when one connection holds too much out of order', () => {
    // Each held segment costs its bytes plus HELD_OVERHEAD (64) of bookkeeping.
    const { rec, asm } = setup({ maxBufferedPerConnection: 10 + 64 });
    handshake(asm);
    asm.segment(seg({ from: 'server', seq: 5101, flags: A, payload: '0123456789', frame: 4 })); // 10 + 64 held: at the cap
    asm.segment(seg({ from: 'server', seq: 5201, flags: A, payload: 'abcdef', frame: 5 })); // 16 + 128 held: over
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('[gap 100]0123456789');
    asm.finish();
    expect(streamText(c!, 'server')).toBe('[gap 100]0123456789[gap 90]abcdef');
    expect(asm.stats.limits).toEqual({ 'ooo-per-connection': 1 });
    expect(c!.summary!.gaps).toEqual([
      { direction: 'server', offset: 0, length: 100, frame: 5 },
      { direction: 'server', offset: 110, length: 90, frame: 5 },
    ]);
    expect(c!.summary!.anomalies).toEqual([expect.objectContaining({ kind: 'ooo-cap-flush', direction: 'server', frames: [5] })]);
  });

  it('bounds a flood of one-byte out-of-order segments by their bookkeeping too', () => {
    const { rec, asm } = setup({ maxBufferedPerConnection: 10 * (1 + 64) }); // room for ten held segments
    handshake(asm);
    // Bytes at stream offsets 1, 3, 5, … 199: every even offset is missing, so all are held.
    for (let i = 0; i < 100; i++) asm.segment(seg({ from: 'server', seq: 5002 + 2 * i, flags: A, payload: 'x' }));
    // From the 11th on, each arrival flushes the oldest held one past its one-byte hole.
    expect(asm.stats.limits).toEqual({ 'ooo-per-connection': 90 });
    asm.finish();
    const [c] = rec.connections;
    expect(streamText(c!, 'server')).toBe('[gap 1]x'.repeat(100));
    expect(c!.summary!.gaps).toHaveLength(100);
    expect(c!.summary!.anomalies.filter((a) => a.kind === 'ooo-cap-flush')).toHaveLength(90);
  });

  it('flushes the least recently active connection first when all connections together hold too much', () => {
    const { rec, asm } = setup({ maxBufferedTotal: 140 }); // each connection will hold 8 + 64
    const c2 = { ip: '10.0.0.3', port: 40001 };
    handshake(asm, CLIENT, SERVER, 100, 200, 1);
    handshake(asm, c2, SERVER, 100, 200, 4);
    asm.segment(seg({ from: 'server', seq: 211, flags: A, payload: '12345678', frame: 7 }));
    asm.segment(seg({ from: 'server', seq: 211, flags: A, payload: 'abcdefgh', frame: 8 }, c2, SERVER));
    const [first, second] = rec.connections;
    expect(streamText(first!, 'server')).toBe('[gap 10]12345678');
    expect(streamText(second!, 'server')).toBe('');
    expect(asm.stats.limits).toEqual({ 'ooo-total': 1 });
  });

  it('evicts the least recently active connection when too many are tracked', () => {
    const { rec, asm } = setup({ maxConnections: 2 });
    const port = (p: number) => ({ ip: '10.0.0.1', port: p });
    asm.segment(seg({ from: 'client', seq: 1, flags: A, payload: 'a', frame: 1 }, port(1), SERVER));
    asm.segment(seg({ from: 'client', seq: 1, flags: A, payload: 'b', frame: 2 }, port(2), SERVER));
    asm.segment(seg({ from: 'client', seq: 2, flags: A, payload: 'a', frame: 3 }, port(1), SERVER)); // 1 is now the more recent
    asm.segment(seg({ from: 'client', seq: 1, flags: A, payload: 'c', frame: 4 }, port(3), SERVER));
    expect(rec.connections.map((c) => c.summary?.ended ?? 'open')).toEqual(['open', 'evicted', 'open']);
    expect(rec.connections[1]!.summary!.lastFrame).toBe(2);
    expect(asm.stats.limits).toEqual({ connections: 1 });
    asm.finish();
    expect(streamText(rec.connections[0]!, 'client')).toBe('aa');
  });

  it('closes connections idle for idleTimeoutSec of capture time', () => {
    const { rec, asm } = setup({ idleTimeoutSec: 60 });
    const other = { ip: '10.0.0.9', port: 50000 };
    asm.segment(seg({ from: 'client', seq: 1, flags: A, payload: 'a', sec: 1000 }));
    asm.segment(seg({ from: 'client', seq: 1, flags: A, payload: 'b', sec: 1030 }, other, SERVER));
    asm.segment(seg({ from: 'client', seq: 2, flags: A, payload: 'b', sec: 1061 }, other, SERVER));
    expect(rec.connections[0]!.summary).toMatchObject({ ended: 'idle', end: { sec: 1000, nsec: 0 } });
    expect(rec.connections[1]!.closes).toBe(0);
    asm.segment(seg({ from: 'client', seq: 2, flags: A, payload: 'z', sec: 1062 }));
    expect(rec.connections).toHaveLength(3); // the idle 4-tuple came back as a new, mid-stream connection
    expect(rec.connections[2]!.info).toMatchObject({ id: 3, midstream: true });
    asm.finish();
    expect(rec.connections.map((c) => c.closes)).toEqual([1, 1, 1]);
  });
});
