import { describe, it, expect } from 'vitest';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../src/decode/segment.js';
import { ipv4Datagram, linkFrame, packetOf, tcpFrame, tcpSegmentBytes } from '../support/frames.js';

const pop3 = (port: number): boolean => port === 110 || port === 995;
const decoder = (): PacketDecoder => new PacketDecoder({ wantPort: pop3 });
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

const base = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 110, seq: 1, ack: 1, flags: TCP_ACK | TCP_PSH, window: 1024 };

describe('IPv4 header', () => {
  it('options (IHL > 5) are stepped over', () => {
    // Record route with room for two addresses (RFC 791): type 7, length 11, pointer 4, then pad.
    const ipOptions = Uint8Array.from([7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const f = tcpFrame({ ...base, payload: 'STAT\r\n', ipOptions });
    expect(f[14]).toBe(0x48); // version 4, IHL 8 = 20 + 12 bytes of options
    const s = decoder().decode(packetOf(f))!;
    expect([s.src, s.dst, s.dstPort, text(s.payload)]).toEqual(['10.0.0.1', '10.0.0.2', 110, 'STAT\r\n']);
  });

  it('Ethernet padding after a short segment is not payload', () => {
    // 14 + 20 + 20 + 0 = 54 bytes on the wire; Ethernet pads to 60.
    const f = tcpFrame({ ...base, flags: TCP_ACK, payload: '', trailer: new Uint8Array(6).fill(0xee) });
    expect(f.length).toBe(60);
    const s = decoder().decode(packetOf(f))!;
    expect(s.payload.length).toBe(0);
    expect(s.missing).toBe(0);
  });

  it('a frame check sequence after a segment with data is not payload', () => {
    const f = tcpFrame({ ...base, payload: '+OK\r\n', trailer: Uint8Array.from([1, 2, 3, 4]) });
    expect(text(decoder().decode(packetOf(f))!.payload)).toBe('+OK\r\n');
  });

  it('a segment cut by the snapshot length reports the bytes it lacks', () => {
    const f = tcpFrame({ ...base, payload: 'RETR 1\r\n'.repeat(25) }); // 200 bytes of payload
    const cut = f.subarray(0, 14 + 20 + 20 + 50);
    const s = decoder().decode(packetOf(cut, 'ethernet', { origLen: f.length }))!;
    expect(s.payload.length).toBe(50);
    expect(s.missing).toBe(150);
  });

  it('a total length of zero (segmentation offload) takes the frame length', () => {
    const f = tcpFrame({ ...base, payload: 'NOOP\r\n' });
    f[16] = 0;
    f[17] = 0;
    const s = decoder().decode(packetOf(f))!;
    expect(text(s.payload)).toBe('NOOP\r\n');
    expect(s.missing).toBe(0);
  });

  it('a total length beyond the frame on the wire gives no negative or phantom bytes', () => {
    const f = tcpFrame({ ...base, payload: 'QUIT\r\n' });
    f[16] = 0x05; // claims 1280 bytes
    f[17] = 0x00;
    const s = decoder().decode(packetOf(f))!;
    expect(text(s.payload)).toBe('QUIT\r\n');
    expect(s.missing).toBe(0);
  });

  it('non-TCP protocols are skipped', () => {
    const d = decoder();
    const udp = linkFrame(ipv4Datagram({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17 }, new Uint8Array(8)));
    const icmp = linkFrame(ipv4Datagram({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 1 }, new Uint8Array(8)));
    expect(d.decode(packetOf(udp))).toBeNull();
    expect(d.decode(packetOf(icmp))).toBeNull();
    expect(d.skipped).toEqual({ 'non-tcp': 2 });
  });

  it('malformed headers are counted as malformed-ipv4', () => {
    const d = decoder();
    const good = tcpFrame({ ...base, payload: 'x' });
    const wrongVersion = good.slice();
    wrongVersion[14] = 0x55;
    const shortIhl = good.slice();
    shortIhl[14] = 0x44;
    const lengthUnderHeader = good.slice();
    lengthUnderHeader[17] = 19;
    const ihlPastFrame = good.slice(0, 14 + 20);
    ihlPastFrame[14] = 0x4f; // 60-byte header in a 20-byte packet
    for (const f of [wrongVersion, shortIhl, lengthUnderHeader, ihlPastFrame, good.slice(0, 14 + 19)]) {
      expect(d.decode(packetOf(f))).toBeNull();
    }
    expect(d.skipped).toEqual({ 'malformed-ipv4': 5 });
  });

  it('an IPv4 header cut by the snapshot length is truncated, not malformed', () => {
    const d = decoder();
    const f = tcpFrame({ ...base, payload: 'x' });
    expect(d.decode(packetOf(f.subarray(0, 30), 'ethernet', { origLen: f.length }))).toBeNull();
    expect(d.skipped).toEqual({ 'truncated-ip-header': 1 });
  });
});

describe('TCP header', () => {
  it('options (data offset > 5) are stepped over', () => {
    // MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (RFC 9293, 7323, 2018): 20 bytes.
    const tcpOptions = Uint8Array.from([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]);
    const f = tcpFrame({ ...base, flags: TCP_SYN, payload: '', tcpOptions });
    expect(f[14 + 20 + 12]).toBe(0xa0); // data offset 10
    const s = decoder().decode(packetOf(f))!;
    expect([s.flags, s.payload.length]).toEqual([TCP_SYN, 0]);
    const g = tcpFrame({ ...base, payload: '+OK\r\n', tcpOptions: Uint8Array.from([1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8]) });
    expect(text(decoder().decode(packetOf(g))!.payload)).toBe('+OK\r\n');
  });

  it('sequence and acknowledgement numbers are unsigned 32-bit', () => {
    const s = decoder().decode(packetOf(tcpFrame({ ...base, seq: 0xffffffff, ack: 0x80000000 })))!;
    expect(s.seq).toBe(4294967295);
    expect(s.ack).toBe(2147483648);
  });

  it('every flag bit comes through, window too', () => {
    const all = TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG | 0x40 | 0x80;
    const s = decoder().decode(packetOf(tcpFrame({ ...base, flags: all, window: 0xfedc })))!;
    expect(s.flags).toBe(0xff);
    expect(s.window).toBe(65244);
  });

  it('either port may be the wanted one; other ports are skipped', () => {
    const d = decoder();
    expect(d.decode(packetOf(tcpFrame({ ...base, srcPort: 995, dstPort: 50000 })))?.srcPort).toBe(995);
    expect(d.decode(packetOf(tcpFrame({ ...base, srcPort: 443, dstPort: 50000 })))).toBeNull();
    expect(d.decode(packetOf(tcpFrame({ ...base, srcPort: 50000, dstPort: 25 })))).toBeNull();
    expect(d.skipped).toEqual({ 'other-port': 2 });
  });

  it('malformed headers are counted as malformed-tcp', () => {
    const d = decoder();
    const offsetUnder5 = tcpFrame({ ...base, payload: 'abc' });
    offsetUnder5[14 + 20 + 12] = 0x40;
    const offsetPastDatagram = tcpFrame({ ...base, payload: 'abc' });
    offsetPastDatagram[14 + 20 + 12] = 0xf0; // 60-byte header in a 23-byte segment
    const noRoom = linkFrame(ipv4Datagram({ src: '10.0.0.1', dst: '10.0.0.2' }, tcpSegmentBytes(base).subarray(0, 12)));
    for (const f of [offsetUnder5, offsetPastDatagram, noRoom]) expect(d.decode(packetOf(f))).toBeNull();
    expect(d.skipped).toEqual({ 'malformed-tcp': 3 });
  });

  it('a TCP header cut by the snapshot length is truncated', () => {
    const d = decoder();
    const f = tcpFrame({ ...base, payload: 'abc' });
    expect(d.decode(packetOf(f.subarray(0, 14 + 20 + 10), 'ethernet', { origLen: f.length }))).toBeNull();
    const withOptions = tcpFrame({ ...base, tcpOptions: new Uint8Array(12).fill(1) });
    expect(d.decode(packetOf(withOptions.subarray(0, 14 + 20 + 24), 'ethernet', { origLen: withOptions.length }))).toBeNull();
    expect(d.skipped).toEqual({ 'truncated-tcp-header': 2 });
  });
});
