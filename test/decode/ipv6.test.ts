import { describe, it, expect } from 'vitest';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { TCP_ACK, TCP_PSH } from '../../src/decode/segment.js';
import { ipv6Fragments, ipv6Packet, linkFrame, packetOf, tcpFrame } from '../support/frames.js';

const pop3 = (port: number): boolean => port === 110 || port === 995;
const decoder = (): PacketDecoder => new PacketDecoder({ wantPort: pop3 });
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

const base = { src: '2001:db8::1', dst: 'fe80::2', srcPort: 110, dstPort: 41000, seq: 5, ack: 6, flags: TCP_ACK | TCP_PSH, window: 100, payload: '+OK ready\r\n' };

describe('IPv6 header', () => {
  it('a plain IPv6 segment, addresses in RFC 5952 form', () => {
    const s = decoder().decode(packetOf(tcpFrame({ ...base, src: '2001:0db8:0000:0000:0001:0000:0000:0001', dst: '0:0:0:0:0:0:0:1' })))!;
    expect([s.src, s.dst, s.srcPort, text(s.payload)]).toEqual(['2001:db8::1:0:0:1', '::1', 110, '+OK ready\r\n']);
  });

  const single: Array<[string, number, Uint8Array]> = [
    ['hop-by-hop options', 0, Uint8Array.from([5, 2, 0, 0, 1, 0])], // router alert + PadN
    ['routing', 43, Uint8Array.from([0, 0, 0, 0, 0, 0, ...new Array(16).fill(0x20)])],
    ['destination options', 60, Uint8Array.from([1, 4, 0, 0, 0, 0])], // PadN
    ['authentication header', 51, Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 7, ...new Array(12).fill(0xaa)])],
  ];
  for (const [name, type, body] of single) {
    it(`steps over a ${name} header (${type})`, () => {
      const f = tcpFrame({ ...base, ipv6Extensions: [{ type, body }] });
      expect(f[14 + 6]).toBe(type);
      const s = decoder().decode(packetOf(f))!;
      expect([s.srcPort, s.dstPort, s.seq, text(s.payload)]).toEqual([110, 41000, 5, '+OK ready\r\n']);
    });
  }

  it('steps over a chain of them', () => {
    const f = tcpFrame({ ...base, ipv6Extensions: [{ type: 0 }, { type: 60 }, { type: 43, body: new Uint8Array(22) }, { type: 51, body: new Uint8Array(10) }, { type: 60 }] });
    expect(text(decoder().decode(packetOf(f))!.payload)).toBe('+OK ready\r\n');
  });

  it('an atomic fragment (offset 0, no more fragments: RFC 6946) is a whole packet', () => {
    const f = tcpFrame({ ...base, ipv6Extensions: [{ type: 44, body: Uint8Array.from([0, 0, 0, 0, 0, 9]) }] });
    expect(text(decoder().decode(packetOf(f))!.payload)).toBe('+OK ready\r\n');
  });

  it('non-TCP next headers are skipped: UDP, ICMPv6, no next header, and behind an extension', () => {
    const d = decoder();
    for (const protocol of [17, 58, 59]) d.decode(packetOf(linkFrame(ipv6Packet({ src: '::1', dst: '::1', protocol }, new Uint8Array(8)))));
    d.decode(packetOf(linkFrame(ipv6Packet({ src: '::1', dst: '::1', protocol: 17, extensions: [{ type: 0 }] }, new Uint8Array(8)))));
    expect(d.skipped).toEqual({ 'non-tcp': 4 });
  });

  it('malformed: wrong version, too short, an extension header past the payload length', () => {
    const d = decoder();
    const good = tcpFrame({ ...base, ipv6Extensions: [{ type: 60 }] });
    const wrongVersion = good.slice();
    wrongVersion[14] = 0x40;
    const extPastPayload = good.slice();
    extPastPayload[14 + 40 + 1] = 200; // 1608-byte destination options
    const payloadLengthTooShort = tcpFrame({ ...base, ipv6Extensions: [{ type: 60 }] });
    payloadLengthTooShort[14 + 4] = 0;
    payloadLengthTooShort[14 + 5] = 4; // not even room for the 8-byte extension
    for (const f of [wrongVersion, good.slice(0, 14 + 39), extPastPayload, payloadLengthTooShort]) {
      expect(d.decode(packetOf(f))).toBeNull();
    }
    expect(d.skipped).toEqual({ 'malformed-ipv6': 4 });
  });

  it('headers cut by the snapshot length are truncated, and a cut payload reports what it lacks', () => {
    const d = decoder();
    const f = tcpFrame({ ...base, ipv6Extensions: [{ type: 0, body: new Uint8Array(14) }] }); // 16-byte hop-by-hop
    expect(d.decode(packetOf(f.subarray(0, 14 + 30), 'ethernet', { origLen: f.length }))).toBeNull();
    expect(d.decode(packetOf(f.subarray(0, 14 + 40 + 10), 'ethernet', { origLen: f.length }))).toBeNull();
    expect(d.skipped).toEqual({ 'truncated-ip-header': 2 });
    const s = d.decode(packetOf(f.subarray(0, f.length - 4), 'ethernet', { origLen: f.length }))!;
    expect([text(s.payload), s.missing]).toEqual(['+OK rea', 4]);
  });

  it('a payload length of zero (jumbogram or offload) takes the frame length', () => {
    const f = tcpFrame(base);
    f[14 + 4] = 0;
    f[14 + 5] = 0;
    expect(text(decoder().decode(packetOf(f))!.payload)).toBe('+OK ready\r\n');
  });
});

describe('IPv6 fragment reassembly', () => {
  // 20 + 44 = 64 bytes of fragmentable part: four 16-byte fragments.
  const long = { ...base, payload: '+OK 2 messages (320 octets), welcome back!\r\n' };

  it('in order and reversed, the completing fragment gives the segment', () => {
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0]]) {
      const d = decoder();
      const out = ipv6Fragments(long, { order }).map((f, i) => d.decode(packetOf(f, 'ethernet', { frame: 10 + i })));
      expect(out.slice(0, 3)).toEqual([null, null, null]);
      const s = out[3]!;
      expect([s.frame, s.src, s.dst, s.srcPort, s.dstPort, s.seq, text(s.payload)])
        .toEqual([13, '2001:db8::1', 'fe80::2', 110, 41000, 5, long.payload]);
      expect(d.skipped).toEqual({ 'ipv6-fragment': 3 });
    }
  });

  it('with a hop-by-hop header in front of the fragment header', () => {
    const d = decoder();
    const frames = ipv6Fragments({ ...long, ipv6Extensions: [{ type: 0 }] }, { size: 32 });
    expect(frames.length).toBe(2);
    const out = frames.map((f) => d.decode(packetOf(f)));
    expect(text(out[1]!.payload)).toBe(long.payload);
  });

  it('an incomplete datagram is counted at the end of input', () => {
    const d = decoder();
    ipv6Fragments(long, { order: [0, 2, 3] }).forEach((f) => d.decode(packetOf(f)));
    d.finish();
    expect(d.skipped).toEqual({ 'ipv6-fragment': 3, 'ipv6-fragments-incomplete': 1 });
  });

  it('fragments of a datagram on other ports are dropped', () => {
    const d = decoder();
    ipv6Fragments({ ...long, srcPort: 22, dstPort: 40000 }).forEach((f) => d.decode(packetOf(f)));
    d.finish();
    expect(d.skipped).toEqual({ 'other-port': 4 });
  });
});
