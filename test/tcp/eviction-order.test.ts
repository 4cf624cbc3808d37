/**
 * Past the connection limit the least recently active connection is closed
 * as `evicted`. The eviction order below is worked out by hand from that rule
 * alone, over a run long enough that activity, closes and reopenings
 * interleave with many evictions.
 */
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_RST } from '../../src/decode/segment.js';
import { TcpAssembler } from '../../src/tcp/assembler.js';
import { Recorder, SERVER, pop3Ports, seg } from './harness.js';

describe('eviction order', () => {
  it('always closes the least recently active connection, however activity and closes interleave', () => {
    const rec = new Recorder();
    const asm = new TcpAssembler(rec, { ...pop3Ports, maxConnections: 3 });
    const seq = new Map<number, number>();
    let frame = 0;
    /** One byte from the client on this port: opens its connection or makes it the most recent. */
    const touch = (port: number) => {
      const s = seq.get(port) ?? 1;
      seq.set(port, s + 1);
      asm.segment(seg({ from: 'client', seq: s, flags: TCP_ACK, payload: 'x', frame: ++frame }, { ip: '10.0.0.1', port }, SERVER));
    };
    /** Which client ports have been evicted so far, in the order their connections were opened. */
    const evicted = () => rec.connections.filter((c) => c.summary?.ended === 'evicted').map((c) => c.info.client.port);

    touch(1); touch(2); touch(3); // oldest first: 1 2 3
    touch(4); // 1 goes: 2 3 4
    expect(evicted()).toEqual([1]);
    touch(2); // 3 4 2
    touch(5); // 3 goes: 4 2 5
    touch(6); // 4 goes: 2 5 6
    expect(evicted()).toEqual([1, 3, 4]);
    asm.segment(seg({ from: 'client', seq: seq.get(5)!, flags: TCP_RST | TCP_ACK, frame: ++frame }, { ip: '10.0.0.1', port: 5 }, SERVER));
    touch(7); // 5 closed by its RST: 2 6 7, nothing evicted
    expect(evicted()).toEqual([1, 3, 4]);
    touch(8); // 2 goes: 6 7 8
    touch(6); // 7 8 6
    touch(9); // 7 goes: 8 6 9
    touch(10); // 8 goes: 6 9 10
    touch(11); // 6 goes: 9 10 11
    expect(evicted()).toEqual([1, 2, 3, 4, 6, 7, 8]);
    expect(rec.connections.find((c) => c.info.client.port === 5)!.summary!.ended).toBe('rst');
    expect(asm.stats.limits).toEqual({ connections: 7 });

    // After the capture ends, a new run of connections evicts from its own start.
    asm.finish();
    touch(21); touch(22); touch(23); touch(24);
    expect(rec.connections.filter((c) => c.summary?.ended === 'evicted').map((c) => c.info.client.port)).toEqual([1, 2, 3, 4, 6, 7, 8, 21]);
  });
});
