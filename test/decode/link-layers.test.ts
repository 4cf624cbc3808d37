import { describe, it, expect } from 'vitest';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { TCP_ACK, TCP_PSH } from '../../src/decode/segment.js';
import { packetOf, tcpFrame, type LinkKind } from '../support/frames.js';

const pop3 = (port: number): boolean => port === 110 || port === 995;
const decoder = (): PacketDecoder => new PacketDecoder({ wantPort: pop3 });

/** Bytes from hex, ignoring spaces. */
function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g)!.map((h) => parseInt(h, 16)));
}

const v4 = { src: '192.0.2.10', dst: '198.51.100.20', srcPort: 51000, dstPort: 110, seq: 1000, ack: 2000, flags: TCP_PSH | TCP_ACK, window: 512, payload: 'USER alice\r\n' };
const v6 = { ...v4, src: '2001:db8::10', dst: '2001:db8::1:0:0:20' };

describe('a frame written out byte by byte', () => {
  // Ethernet II, IPv4 (total length 0x2d = 45), TCP to port 110 carrying "+OK\r\n",
  // then one byte of Ethernet padding that must not become payload.
  const frame = hex(`
    001122334455 66778899aabb 0800
    45 00 002d 0001 4000 40 06 0000 c0a80001 c0a80002
    006e d431 fffffffe 80000001 50 18 0100 0000 0000
    2b4f4b0d0a
    00`);

  it('decodes every field as the header states it', () => {
    const s = decoder().decode(packetOf(frame, 'ethernet', { frame: 7, sec: 12, nsec: 345 }))!;
    expect(s).toEqual({
      frame: 7, sec: 12, nsec: 345,
      src: '192.168.0.1', dst: '192.168.0.2',
      srcPort: 110, dstPort: 54321,
      seq: 4294967294, ack: 2147483649,
      flags: TCP_PSH | TCP_ACK, window: 256,
      payload: new TextEncoder().encode('+OK\r\n'),
      missing: 0,
      encapsulation: null, tunnel: '',
      flow: expect.any(Number),
    });
  });
});

describe('every link layer carries IPv4 and IPv6', () => {
  const links: LinkKind[] = ['ethernet', 'sll', 'sll2', 'raw', 'null', 'loop'];
  for (const link of links) {
    for (const [name, o] of [['IPv4', v4], ['IPv6', v6]] as const) {
      it(`${link} / ${name}`, () => {
        const d = decoder();
        const s = d.decode(packetOf(tcpFrame({ ...o, link }), link))!;
        expect(s).not.toBeNull();
        expect([s.src, s.dst, s.srcPort, s.dstPort, s.seq, s.ack, s.flags, s.window]).toEqual(
          [o.src, o.dst, 51000, 110, 1000, 2000, TCP_PSH | TCP_ACK, 512]);
        expect(new TextDecoder().decode(s.payload)).toBe('USER alice\r\n');
        expect(d.skipped).toEqual({});
      });
    }
  }

  it('raw IP under link types 12, 14, 228 (IPv4) and 229 (IPv6)', () => {
    const d = decoder();
    for (const lt of [12, 14, 228]) expect(d.decode(packetOf(tcpFrame({ ...v4, link: 'raw' }), lt))?.src).toBe(v4.src);
    for (const lt of [12, 14, 229]) expect(d.decode(packetOf(tcpFrame({ ...v6, link: 'raw' }), lt))?.src).toBe(v6.src);
    expect(d.skipped).toEqual({});
  });

  it('link types 228 and 229 insist on their IP version', () => {
    const d = decoder();
    expect(d.decode(packetOf(tcpFrame({ ...v6, link: 'raw' }), 228))).toBeNull();
    expect(d.decode(packetOf(tcpFrame({ ...v4, link: 'raw' }), 229))).toBeNull();
    expect(d.skipped).toEqual({ 'malformed-ipv4': 1, 'malformed-ipv6': 1 });
  });

  it('raw IP with a version nibble other than 4 or 6 is not IP', () => {
    const d = decoder();
    const f = tcpFrame({ ...v4, link: 'raw' });
    f[0] = 0x55;
    expect(d.decode(packetOf(f, 'raw'))).toBeNull();
    expect(d.decode(packetOf(new Uint8Array(0), 'raw'))).toBeNull();
    expect(d.skipped).toEqual({ 'non-ip': 1, 'malformed-ip': 1 });
  });
});

describe('BSD loopback', () => {
  it('NULL reads the family in either byte order (the capturing host\'s)', () => {
    const d = decoder();
    for (const order of ['le', 'be'] as const) {
      const f = tcpFrame({ ...v4, link: 'null', nullByteOrder: order });
      expect(Array.from(f.subarray(0, 4))).toEqual(order === 'le' ? [2, 0, 0, 0] : [0, 0, 0, 2]);
      expect(d.decode(packetOf(f, 'null'))?.dst).toBe(v4.dst);
    }
  });

  it('NULL and LOOP know IPv6 as 24 (NetBSD, OpenBSD), 28 (FreeBSD) and 30 (macOS)', () => {
    const d = decoder();
    for (const family of [24, 28, 30]) {
      for (const order of ['le', 'be'] as const) {
        const f = tcpFrame({ ...v6, link: 'null', nullByteOrder: order, nullInet6: family });
        expect(d.decode(packetOf(f, 'null'))?.src).toBe(v6.src);
      }
      expect(d.decode(packetOf(tcpFrame({ ...v6, link: 'loop', nullInet6: family }), 'loop'))?.src).toBe(v6.src);
    }
    expect(d.skipped).toEqual({});
  });

  it('LOOP is always network byte order, and other families are not IP', () => {
    const d = decoder();
    const f = tcpFrame({ ...v4, link: 'loop' });
    expect(Array.from(f.subarray(0, 4))).toEqual([0, 0, 0, 2]);
    f.set([2, 0, 0, 0], 0); // little-endian 2 is 0x02000000 in network order
    expect(d.decode(packetOf(f, 'loop'))).toBeNull();
    const n = tcpFrame({ ...v4, link: 'null' });
    n[0] = 17; // AF_LINK-ish
    expect(d.decode(packetOf(n, 'null'))).toBeNull();
    expect(d.decode(packetOf(Uint8Array.from([2, 0]), 'null'))).toBeNull();
    expect(d.skipped).toEqual({ 'non-ip': 2, 'malformed-loopback': 1 });
  });
});

describe('VLAN tags', () => {
  it('one 802.1Q tag', () => {
    const f = tcpFrame({ ...v4, vlan: [42] });
    expect(Array.from(f.subarray(12, 18))).toEqual([0x81, 0x00, 0x00, 42, 0x08, 0x00]);
    expect(decoder().decode(packetOf(f))?.payload.length).toBe(12);
  });

  it('QinQ with 0x88a8 and with 0x9100 outer tags, and a stack of three', () => {
    const d = decoder();
    expect(d.decode(packetOf(tcpFrame({ ...v4, vlan: [100, 42], vlanTpids: [0x88a8, 0x8100] })))?.dstPort).toBe(110);
    expect(d.decode(packetOf(tcpFrame({ ...v6, vlan: [100, 42], vlanTpids: [0x9100, 0x8100] })))?.src).toBe(v6.src);
    expect(d.decode(packetOf(tcpFrame({ ...v4, vlan: [1, 2, 3], vlanTpids: [0x88a8, 0x88a8, 0x8100] })))?.seq).toBe(1000);
    expect(d.skipped).toEqual({});
  });

  it('a tag on Linux cooked (v1) capture', () => {
    expect(decoder().decode(packetOf(tcpFrame({ ...v4, link: 'sll', vlan: [7] }), 'sll'))?.src).toBe(v4.src);
  });

  it('a frame that ends inside its tags is malformed', () => {
    const d = decoder();
    const f = tcpFrame({ ...v4, vlan: [1, 2] });
    expect(d.decode(packetOf(f.subarray(0, 18)))).toBeNull();
    expect(d.skipped).toEqual({ 'malformed-ethernet': 1 });
  });
});

describe('frames the decoder skips, by reason', () => {
  it('unknown link types are counted by number', () => {
    const d = decoder();
    const f = tcpFrame(v4);
    d.decode(packetOf(f, 105));
    d.decode(packetOf(f, 105));
    d.decode(packetOf(f, 127));
    expect(d.skipped).toEqual({ 'unknown-link-type:105': 2, 'unknown-link-type:127': 1 });
  });

  it('ARP and 802.3 length-field frames are not IP', () => {
    const d = decoder();
    const arp = hex('ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 c0000201 000000000000 c0000202');
    const llc = hex('0180c2000000 020000000001 0026 4242 03 000000');
    expect(d.decode(packetOf(arp))).toBeNull();
    expect(d.decode(packetOf(llc))).toBeNull();
    expect(d.skipped).toEqual({ 'non-ip': 2 });
  });

  it('link headers cut short are malformed, by link', () => {
    const d = decoder();
    d.decode(packetOf(new Uint8Array(13), 'ethernet'));
    d.decode(packetOf(new Uint8Array(15), 'sll'));
    d.decode(packetOf(new Uint8Array(19), 'sll2'));
    d.decode(packetOf(new Uint8Array(3), 'loop'));
    expect(d.skipped).toEqual({ 'malformed-ethernet': 1, 'malformed-sll': 1, 'malformed-sll2': 1, 'malformed-loopback': 1 });
  });

  it('SLL2 with a non-IP protocol', () => {
    const d = decoder();
    const f = tcpFrame({ ...v4, link: 'sll2' });
    f[0] = 0x08;
    f[1] = 0x06;
    expect(d.decode(packetOf(f, 'sll2'))).toBeNull();
    expect(d.skipped).toEqual({ 'non-ip': 1 });
  });
});
