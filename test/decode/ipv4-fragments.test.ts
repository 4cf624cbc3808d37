import { describe, it, expect } from 'vitest';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { TCP_ACK, TCP_PSH } from '../../src/decode/segment.js';
import { ipv4FragmentFrame, ipv4Fragments, packetOf, tcpSegmentBytes } from '../support/frames.js';

const pop3 = (port: number): boolean => port === 110 || port === 995;
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

// 20-byte TCP header + 44 bytes of payload = 64 bytes, so 16-byte fragments make four.
const PAYLOAD = '+OK 2 messages (320 octets), welcome back!\r\n';
const seg = { src: '192.0.2.1', dst: '192.0.2.2', srcPort: 110, dstPort: 40001, seq: 77, ack: 88, flags: TCP_ACK | TCP_PSH, window: 900, payload: PAYLOAD, ipId: 0x0101 };

function run(d: PacketDecoder, frames: Uint8Array[], sec = (i: number) => 100 + i) {
  return frames.map((f, i) => d.decode(packetOf(f, 'ethernet', { frame: i + 1, sec: sec(i) })));
}

describe('IPv4 fragment reassembly', () => {
  it('the builder makes four fragments of the 64-byte segment', () => {
    expect(PAYLOAD.length).toBe(44);
    expect(ipv4Fragments(seg).length).toBe(4);
  });

  it('in order: the last fragment gives the whole segment', () => {
    const d = new PacketDecoder({ wantPort: pop3 });
    const out = run(d, ipv4Fragments(seg));
    expect(out.slice(0, 3)).toEqual([null, null, null]);
    const s = out[3]!;
    expect([s.frame, s.sec, s.src, s.dst, s.srcPort, s.dstPort, s.seq, s.ack, s.window, s.missing])
      .toEqual([4, 103, '192.0.2.1', '192.0.2.2', 110, 40001, 77, 88, 900, 0]);
    expect(text(s.payload)).toBe(PAYLOAD);
    expect(d.skipped).toEqual({ 'ipv4-fragment': 3 });
  });

  it('reversed and shuffled orders give the same segment at the frame that completes it', () => {
    for (const order of [[3, 2, 1, 0], [2, 0, 3, 1]]) {
      const d = new PacketDecoder({ wantPort: pop3 });
      const out = run(d, ipv4Fragments(seg, { order }));
      expect(out.slice(0, 3)).toEqual([null, null, null]);
      expect(out[3]!.frame).toBe(4);
      expect(out[3]!.srcPort).toBe(110);
      expect(text(out[3]!.payload)).toBe(PAYLOAD);
    }
  });

  it('a duplicated fragment changes nothing', () => {
    const d = new PacketDecoder({ wantPort: pop3 });
    const out = run(d, ipv4Fragments(seg, { order: [0, 1, 1, 2, 3] }));
    expect(text(out[4]!.payload)).toBe(PAYLOAD);
    expect(d.skipped).toEqual({ 'ipv4-fragment': 4 });
  });

  it('overlapping fragments: the bytes seen first win', () => {
    const tcp = tcpSegmentBytes({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 110, dstPort: 40001, payload: 'AAAAAAAABBBBBBBB' });
    expect(tcp.length).toBe(36);
    const ids = { src: '192.0.2.1', dst: '192.0.2.2', id: 9 };
    const first = ipv4FragmentFrame({ ...ids, offset: 0, more: true }, tcp.subarray(0, 24)); // header + AAAA
    // Covers 16..32: its first 8 bytes overlap the first fragment and say XXXXXXXX instead of header+AAAA.
    const overlap = ipv4FragmentFrame({ ...ids, offset: 16, more: true }, Uint8Array.from([...'XXXXXXXXYYYYYYYY'].map((c) => c.charCodeAt(0))));
    const last = ipv4FragmentFrame({ ...ids, offset: 32, more: false }, tcp.subarray(32));
    const d = new PacketDecoder({ wantPort: pop3 });
    const out = run(d, [first, overlap, last]);
    // Bytes 20..24 ("AAAA") from the first fragment, 24..32 from the overlapping one, 32..36 from the last.
    expect(text(out[2]!.payload)).toBe('AAAAYYYYYYYYBBBB');

    // The same three in another order: the overlapping one now comes first and wins at 16..24.
    // Bytes 16..20 are the TCP checksum and urgent pointer, so the ports still decode.
    const d2 = new PacketDecoder({ wantPort: pop3 });
    const out2 = run(d2, [overlap, last, first]);
    expect(text(out2[2]!.payload)).toBe('XXXXYYYYYYYYBBBB');
    expect(out2[2]!.srcPort).toBe(110);
    expect(d2.skipped).toEqual({ 'ipv4-fragment': 2 });
  });

  it('an incomplete datagram is counted when it times out, and at the end of input', () => {
    const d = new PacketDecoder({ wantPort: pop3, fragmentTimeoutSec: 30 });
    const frags = ipv4Fragments(seg);
    d.decode(packetOf(frags[0]!, 'ethernet', { sec: 100 }));
    d.decode(packetOf(frags[1]!, 'ethernet', { sec: 110 }));
    // Another datagram's fragment 31 s after the first: the first is given up.
    const other = ipv4Fragments({ ...seg, ipId: 0x0202 });
    d.decode(packetOf(other[0]!, 'ethernet', { sec: 131 }));
    expect(d.skipped['ipv4-fragments-incomplete']).toBe(1);
    // The rest of the first datagram arrives too late to complete it.
    expect(d.decode(packetOf(frags[2]!, 'ethernet', { sec: 132 }))).toBeNull();
    expect(d.decode(packetOf(frags[3]!, 'ethernet', { sec: 132 }))).toBeNull();
    d.finish();
    expect(d.skipped).toEqual({ 'ipv4-fragment': 5, 'ipv4-fragments-incomplete': 3 });
  });

  it('the number of datagrams held at once is bounded: the oldest is given up', () => {
    const d = new PacketDecoder({ wantPort: pop3, maxFragmentSets: 2 });
    const a = ipv4Fragments({ ...seg, ipId: 1 });
    const b = ipv4Fragments({ ...seg, ipId: 2 });
    const c = ipv4Fragments({ ...seg, ipId: 3 });
    run(d, [a[0]!, b[0]!, c[0]!]);
    expect(d.skipped['ipv4-fragments-incomplete']).toBe(1);
    // b and c still complete.
    const out = run(d, [b[1]!, b[2]!, b[3]!, c[1]!, c[2]!, c[3]!]);
    expect(out.filter((s) => s !== null).length).toBe(2);
    // a's first fragment is gone: the rest cannot complete it.
    expect(run(d, [a[1]!, a[2]!, a[3]!])).toEqual([null, null, null]);
    d.finish();
    expect(d.skipped['ipv4-fragments-incomplete']).toBe(2);
  });

  it('a limit of zero datagrams holds at most one and never throws', () => {
    const d = new PacketDecoder({ wantPort: pop3, maxFragmentSets: 0 });
    const a = ipv4Fragments({ ...seg, ipId: 1 });
    const b = ipv4Fragments({ ...seg, ipId: 2 });
    run(d, [a[0]!, b[0]!]);
    expect(d.fragmentsPending).toBe(1);
    expect(d.skipped).toEqual({ 'ipv4-fragment': 2, 'ipv4-fragments-incomplete': 1 });
  });

  it('a datagram larger than the limit is dropped', () => {
    const d = new PacketDecoder({ wantPort: pop3, maxFragmentBytes: 40 });
    const out = run(d, ipv4Fragments(seg));
    expect(out).toEqual([null, null, null, null]);
    expect(d.skipped).toEqual({ 'ipv4-fragment': 2, 'ipv4-fragment-oversize': 2 });
    d.finish();
    expect(d.skipped['ipv4-fragments-incomplete']).toBeUndefined();
  });

  it('fragments of a datagram on other ports are dropped once the first fragment shows the ports', () => {
    const d = new PacketDecoder({ wantPort: pop3 });
    const out = run(d, ipv4Fragments({ ...seg, srcPort: 443, dstPort: 50000 }, { order: [1, 0, 2, 3] }));
    expect(out).toEqual([null, null, null, null]);
    expect(d.skipped).toEqual({ 'ipv4-fragment': 1, 'other-port': 3 });
    d.finish();
    expect(d.skipped['ipv4-fragments-incomplete']).toBeUndefined();
  });

  it('fragments are keyed by source, destination and id: two datagrams interleaved', () => {
    const d = new PacketDecoder({ wantPort: pop3 });
    const a = ipv4Fragments({ ...seg, ipId: 7 });
    const b = ipv4Fragments({ ...seg, ipId: 7, src: '192.0.2.9', payload: PAYLOAD.toLowerCase() });
    const out = run(d, [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!, b[2]!, b[3]!, a[3]!]);
    expect(text(out[6]!.payload)).toBe(PAYLOAD.toLowerCase());
    expect(out[6]!.src).toBe('192.0.2.9');
    expect(text(out[7]!.payload)).toBe(PAYLOAD);
  });

  it('fragments of non-TCP datagrams are never held', () => {
    const d = new PacketDecoder({ wantPort: pop3 });
    d.decode(packetOf(ipv4FragmentFrame({ src: '192.0.2.1', dst: '192.0.2.2', id: 5, offset: 0, more: true, protocol: 17 }, new Uint8Array(16))));
    expect(d.skipped).toEqual({ 'non-tcp': 1 });
  });

  it('fragments work with IP options and over other links', () => {
    const d = new PacketDecoder({ wantPort: pop3 });
    const frames = ipv4Fragments({ ...seg, link: 'sll2', ipOptions: Uint8Array.from([1, 1, 1, 0]) }, { size: 24 });
    const out = frames.map((f) => d.decode(packetOf(f, 'sll2')));
    expect(text(out[out.length - 1]!.payload)).toBe(PAYLOAD);
  });
});
