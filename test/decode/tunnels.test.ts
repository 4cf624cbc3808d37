/**
 * Tunnel decoding, header by header, from frames built after the RFCs
 * (test/support/tunnel-frames.ts): what each carries, what identifies a
 * tunnel, and that every malformed header is a counted skip reason.
 */
import { describe, it, expect } from 'vitest';
import { PacketDecoder } from '../../src/decode/decoder.js';
import { ipv4Datagram, ipv4Fragments, ipv6Packet, packetOf, tcpSegmentBytes, type TcpFrameOptions } from '../support/frames.js';
import {
  ETHERTYPE, erspanII, erspanIII, ethernet, geneve, gre, gtpU, ipEthertype, l2tp, mpls, outerIp, ppp, pppoeSession, udp, vxlan,
} from '../support/tunnel-frames.js';
import { writePcap } from '../support/capture-writer.js';
import { analyzeBytes } from '../integration/analyze-buffer.js';

const seg: TcpFrameOptions = { src: '10.1.0.5', dst: '10.1.0.9', srcPort: 40000, dstPort: 110, seq: 1000, payload: 'USER alice\r\n' };

function innerIp(o: Partial<TcpFrameOptions> = {}): Uint8Array {
  const s = { ...seg, ...o };
  const v6 = s.src.includes(':');
  const tcp = tcpSegmentBytes({ ...s, ipv6: v6 });
  return v6 ? ipv6Packet({ src: s.src, dst: s.dst }, tcp) : ipv4Datagram({ src: s.src, dst: s.dst }, tcp);
}

function decoder(): PacketDecoder {
  return new PacketDecoder({ wantPort: (p) => p === 110 });
}

function decodeFrame(frame: Uint8Array, link: number = 1) {
  const d = decoder();
  const s = d.decode(packetOf(frame, link));
  return { s, skipped: d.skipped };
}

const over4 = (protocol: number, payload: Uint8Array, src = '192.0.2.1', dst = '192.0.2.2') =>
  ethernet(ETHERTYPE.ipv4, outerIp(src, dst, protocol, payload));

describe('each encapsulation carries the segment and names itself', () => {
  const cases: [string, Uint8Array, string[], number?][] = [
    ['GRE, IPv4 inside', over4(47, gre({ protocol: ETHERTYPE.ipv4 }, innerIp())), ['gre']],
    ['GRE with checksum, key and sequence', over4(47, gre({ protocol: ETHERTYPE.ipv4, checksum: true, key: 9, sequence: 3 }, innerIp())), ['gre']],
    ['GRE, IPv6 inside', over4(47, gre({ protocol: ETHERTYPE.ipv6 }, innerIp({ src: 'fd00::5', dst: 'fd00::9' }))), ['gre']],
    ['GRE transparent Ethernet (gretap)', over4(47, gre({ protocol: ETHERTYPE.teb, key: 1 }, ethernet(ETHERTYPE.ipv4, innerIp()))), ['gre']],
    ['GRE over IPv6', ethernet(ETHERTYPE.ipv6, outerIp('2001:db8::1', '2001:db8::2', 47, gre({ protocol: ETHERTYPE.ipv4 }, innerIp()))), ['gre']],
    ['ERSPAN type I (GRE without sequence)', over4(47, gre({ protocol: ETHERTYPE.erspan2 }, ethernet(ETHERTYPE.ipv4, innerIp()))), ['gre']],
    ['ERSPAN type II', over4(47, gre({ protocol: ETHERTYPE.erspan2, sequence: 1 }, erspanII(5, ethernet(ETHERTYPE.ipv4, innerIp())))), ['gre', 'erspan']],
    ['ERSPAN type III with platform subheader', over4(47, gre({ protocol: ETHERTYPE.erspan3, sequence: 1 }, erspanIII(5, ethernet(ETHERTYPE.ipv4, innerIp()), 99, true))), ['gre', 'erspan']],
    ['VXLAN', over4(17, udp(51000, 4789, vxlan(100, ethernet(ETHERTYPE.ipv4, innerIp())))), ['vxlan']],
    ['Geneve with options', over4(17, udp(51000, 6081, geneve(7, ETHERTYPE.teb, ethernet(ETHERTYPE.ipv4, innerIp()), [
      { optionClass: 0x0102, type: 0x80, data: new Uint8Array(8) }, { optionClass: 0xffff, type: 1, data: new Uint8Array(4) },
    ]))), ['geneve']],
    ['Geneve carrying IPv4 directly', over4(17, udp(51000, 6081, geneve(7, ETHERTYPE.ipv4, innerIp()))), ['geneve']],
    ['MPLS label stack on Ethernet', ethernet(ETHERTYPE.mpls, mpls([16, 17, 18], innerIp())), ['mpls']],
    ['MPLS carrying IPv6', ethernet(ETHERTYPE.mpls, mpls([16], innerIp({ src: 'fd00::5', dst: 'fd00::9' }))), ['mpls']],
    ['MPLS in GRE', over4(47, gre({ protocol: ETHERTYPE.mpls }, mpls([100], innerIp()))), ['gre', 'mpls']],
    ['PPPoE session', ethernet(ETHERTYPE.pppoe, pppoeSession(3, ppp(innerIp()))), ['pppoe', 'ppp']],
    ['L2TP, no optional fields, compressed PPP', over4(17, udp(1701, 1701, l2tp({ tunnel: 1, session: 2 }, ppp(innerIp(), { compressProtocol: true })))), ['l2tp', 'ppp']],
    ['L2TP with length, sequence, offset; PPP with address and control', over4(17, udp(1701, 1701,
      l2tp({ tunnel: 1, session: 2, length: true, sequence: [1, 2], offset: 3 }, ppp(innerIp(), { addressControl: true, compressProtocol: true })))), ['l2tp', 'ppp']],
    ['GTP-U with extension headers', over4(17, udp(2152, 2152, gtpU({ teid: 5, sequence: 1, extensions: [
      { type: 0x85, content: Uint8Array.of(1, 2) }, { type: 0x40, content: Uint8Array.of(1, 2, 3, 4, 5, 6) },
    ] }, innerIp()))), ['gtp-u']],
    ['IPv4 in IPv4', over4(4, innerIp()), ['ipip']],
    ['IPv6 in IPv4 (6in4)', over4(41, innerIp({ src: 'fd00::5', dst: 'fd00::9' })), ['6in4']],
    ['IPv4 in IPv6', ethernet(ETHERTYPE.ipv6, outerIp('2001:db8::1', '2001:db8::2', 4, innerIp())), ['4in6']],
    ['IPv6 in IPv6', ethernet(ETHERTYPE.ipv6, outerIp('2001:db8::1', '2001:db8::2', 41, innerIp({ src: 'fd00::5', dst: 'fd00::9' }))), ['6in6']],
    ['MPLS in IP', over4(137, mpls([20], innerIp())), ['mpls']],
    ['GRE then VXLAN', over4(47, gre({ protocol: ETHERTYPE.ipv4 }, outerIp('10.9.0.1', '10.9.0.2', 17,
      udp(1234, 4789, vxlan(3, ethernet(ETHERTYPE.ipv4, innerIp())))))), ['gre', 'vxlan']],
  ];
  for (const [what, frame, path] of cases) {
    it(what, () => {
      const { s, skipped } = decodeFrame(frame);
      expect(skipped).toEqual({});
      expect(s).not.toBeNull();
      expect(new TextDecoder().decode(s!.payload)).toBe('USER alice\r\n');
      expect(s!.dstPort).toBe(110);
      expect(s!.encapsulation).toEqual(path);
    });
  }

  it('LINKTYPE_PPP, LINKTYPE_PPP_HDLC, Cisco HDLC and PPP with direction are link layers, not tunnels', () => {
    for (const [link, frame] of [
      [9, ppp(innerIp())], [9, ppp(innerIp(), { addressControl: true })], [50, ppp(innerIp(), { addressControl: true })],
      [104, Uint8Array.from([0x0f, 0x00, 0x08, 0x00, ...innerIp()])], [204, Uint8Array.from([0x01, ...ppp(innerIp())])],
    ] as [number, Uint8Array][]) {
      const { s, skipped } = decodeFrame(frame, link);
      expect(skipped, `link ${link}`).toEqual({});
      expect(s!.encapsulation).toBeNull();
    }
  });

  it('the tunnel identity is the same both ways and differs between VNIs', () => {
    const vx = (vni: number, fromA: boolean, o: Partial<TcpFrameOptions>) => ethernet(ETHERTYPE.ipv4, outerIp(
      fromA ? '192.0.2.1' : '192.0.2.2', fromA ? '192.0.2.2' : '192.0.2.1', 17, udp(50000, 4789, vxlan(vni, ethernet(ETHERTYPE.ipv4, innerIp(o))))));
    const d = decoder();
    const there = d.decode(packetOf(vx(100, true, {})))!.tunnel;
    const back = d.decode(packetOf(vx(100, false, { src: seg.dst, dst: seg.src, srcPort: 110, dstPort: 40000 })))!.tunnel;
    const other = d.decode(packetOf(vx(200, true, {})))!.tunnel;
    expect(there).toBe(back);
    expect(there).not.toBe(other);
    expect(there).not.toBe('');
  });

  // MPLS labels are per hop and per direction, so the outer IP addresses are all that tells
  // two MPLS-in-IP tunnels apart (RFC 4023), as they do for IP in IP.
  for (const [what, protocol, payload] of [['MPLS in IP', 137, () => mpls([20], innerIp())], ['IPv4 in IPv4', 4, () => innerIp()]] as const) {
    it(`${what}: tunnels between other endpoints are other tunnels, and both ways are one`, () => {
      const d = decoder();
      const identity = (src: string, dst: string) => d.decode(packetOf(over4(protocol, payload(), src, dst)))!.tunnel;
      const there = identity('192.0.2.1', '192.0.2.2');
      expect(identity('192.0.2.2', '192.0.2.1')).toBe(there);
      expect(identity('198.51.100.1', '198.51.100.2')).not.toBe(there);
    });
  }
});

describe('malformed tunnel headers are counted skip reasons', () => {
  const cases: [string, Uint8Array, string, number?][] = [
    ['GRE version 1 (PPTP)', over4(47, gre({ protocol: ETHERTYPE.ipv4, version: 1 }, innerIp())), 'unsupported-gre'],
    ['GRE header longer than the datagram', over4(47, Uint8Array.of(0xb0, 0, 8, 0, 0, 0)), 'malformed-gre'],
    ['GRE carrying something else', over4(47, gre({ protocol: 0x0806 }, new Uint8Array(28))), 'non-ip'],
    ['ERSPAN II with the wrong version', over4(47, gre({ protocol: ETHERTYPE.erspan2, sequence: 1 }, Uint8Array.of(0x20, 0, 0, 1, 0, 0, 0, 0))), 'malformed-erspan'],
    ['VXLAN without the VNI flag', over4(17, udp(1, 4789, new Uint8Array(8))), 'malformed-vxlan'],
    ['Geneve options past their length', over4(17, udp(1, 6081, Uint8Array.of(1, 0, 0x65, 0x58, 0, 0, 7, 0, 1, 2, 3, 0x1f))), 'malformed-geneve'],
    ['MPLS stack without a bottom', ethernet(ETHERTYPE.mpls, Uint8Array.of(0, 1, 0, 64, 0, 2, 0, 64)), 'malformed-mpls'],
    ['PPPoE with the wrong version', ethernet(ETHERTYPE.pppoe, Uint8Array.of(0x21, 0, 0, 1, 0, 2, 0, 0x21)), 'malformed-pppoe'],
    ['PPP control protocol (LCP)', ethernet(ETHERTYPE.pppoe, pppoeSession(1, Uint8Array.of(0xc0, 0x21, 1, 1, 0, 4))), 'non-ip'],
    ['L2TP control message', over4(17, udp(1701, 1701, Uint8Array.of(0xc8, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0))), 'l2tp-control'],
    ['L2TPv3', over4(17, udp(1701, 1701, Uint8Array.of(0x00, 0x03, 0, 0, 0, 1))), 'unsupported-l2tp'],
    ['L2TP length past the datagram', over4(17, udp(1701, 1701, Uint8Array.of(0x40, 0x02, 0x10, 0, 0, 1, 0, 2))), 'malformed-l2tp'],
    ['GTP-U echo request', over4(17, udp(2152, 2152, Uint8Array.of(0x32, 1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0))), 'gtp-u-signalling'],
    ['GTP-U extension of length 0', over4(17, udp(2152, 2152, Uint8Array.of(0x34, 0xff, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0x85, 0, 0, 0, 0))), 'malformed-gtp-u'],
    ['GTP-U length past the datagram', over4(17, udp(2152, 2152, Uint8Array.of(0x30, 0xff, 1, 0, 0, 0, 0, 1))), 'malformed-gtp-u'],
    ['UDP length under 8', over4(17, Uint8Array.of(0, 1, 0x12, 0xb5, 0, 4, 0, 0)), 'malformed-udp'],
    ['UDP to another port', over4(17, udp(53, 53, new Uint8Array(12))), 'non-tcp'],
  ];
  for (const [what, frame, reason] of cases) {
    it(what, () => {
      const { s, skipped } = decodeFrame(frame);
      expect(s).toBeNull();
      expect(skipped).toEqual({ [reason]: 1 });
    });
  }

  it('a tunnel header cut by the snapshot length is truncated, not malformed', () => {
    const frame = over4(17, udp(1, 4789, vxlan(1, ethernet(ETHERTYPE.ipv4, innerIp()))));
    const d = decoder();
    const cut = frame.subarray(0, 14 + 20 + 8 + 4);
    expect(d.decode(packetOf(cut, 'ethernet', { origLen: frame.length }))).toBeNull();
    expect(d.skipped).toEqual({ 'truncated-tunnel-header': 1 });
  });

  it('nesting stops at 8 layers, counted, without recursing further', () => {
    const nest = (depth: number): Uint8Array => {
      let ip = innerIp();
      for (let i = 0; i < depth; i++) ip = outerIp(`192.0.2.${(i % 200) + 1}`, '192.0.2.200', 4, ip);
      return ethernet(ETHERTYPE.ipv4, ip);
    };
    expect(decodeFrame(nest(8)).s!.encapsulation).toEqual(new Array(8).fill('ipip'));
    const deep = decodeFrame(nest(9));
    expect(deep.s).toBeNull();
    expect(deep.skipped).toEqual({ 'encapsulation-too-deep': 1 });
    const hostile = decodeFrame(nest(2000));
    expect(hostile.skipped).toEqual({ 'encapsulation-too-deep': 1 });
  });
});

describe('fragments inside and outside tunnels', () => {
  it('inner fragments are reassembled per tunnel: the same ids in two VNIs stay apart', () => {
    const o = { ...seg, payload: 'X'.repeat(600) };
    const wrap = (vni: number, ip: Uint8Array) => ethernet(ETHERTYPE.ipv4, outerIp('192.0.2.1', '192.0.2.2', 17, udp(5, 4789, vxlan(vni, ethernet(ETHERTYPE.ipv4, ip)))));
    const a = ipv4Fragments(o, { size: 256 }).map((f) => f.subarray(14));
    const b = ipv4Fragments({ ...o, payload: 'Y'.repeat(600) }, { size: 256 }).map((f) => f.subarray(14));
    const d = decoder();
    const out: string[] = [];
    for (let i = 0; i < a.length; i++) {
      for (const [vni, frags] of [[1, a], [2, b]] as const) {
        const s = d.decode(packetOf(wrap(vni, frags[i]!)));
        if (s) out.push(new TextDecoder().decode(s.payload).slice(0, 3) + s.tunnel.includes('#1'));
      }
    }
    expect(out.sort()).toEqual(['XXXtrue', 'YYYfalse']);
  });

  it('outer fragments of a GRE packet are reassembled, then unwrapped', () => {
    const payload = gre({ protocol: ETHERTYPE.ipv4 }, innerIp({ payload: 'Z'.repeat(900) }));
    const d = decoder();
    const first = ipv4Datagram({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 47, id: 77, moreFragments: true }, payload.subarray(0, 512));
    const last = ipv4Datagram({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 47, id: 77, fragmentOffset: 512 }, payload.subarray(512));
    expect(d.decode(packetOf(ethernet(ETHERTYPE.ipv4, last)))).toBeNull();
    const s = d.decode(packetOf(ethernet(ETHERTYPE.ipv4, first)))!;
    expect(s.payload.length).toBe(900);
    expect(s.encapsulation).toEqual(['gre']);
    expect(d.skipped).toEqual({ 'ipv4-fragment': 1 });
  });
});

describe('through the whole pipeline', () => {
  it('the same conversation in two VXLAN tenants with the same inner addresses is two sessions', async () => {
    const tenantFrames = (vni: number, t0: number) => {
      const lines: [boolean, string][] = [[false, '+OK ready\r\n'], [true, 'USER alice\r\n'], [false, '+OK\r\n'], [true, 'QUIT\r\n'], [false, '+OK bye\r\n']];
      let cseq = 1000;
      let sseq = 5000;
      return lines.map(([client, text], i) => {
        const o: TcpFrameOptions = client
          ? { ...seg, seq: cseq, ack: sseq, flags: 0x18, payload: text }
          : { src: seg.dst, dst: seg.src, srcPort: 110, dstPort: 40000, seq: sseq, ack: cseq, flags: 0x18, payload: text };
        if (client) cseq += text.length;
        else sseq += text.length;
        const data = ethernet(ETHERTYPE.ipv4, outerIp(client ? '192.0.2.1' : '192.0.2.2', client ? '192.0.2.2' : '192.0.2.1', 17,
          udp(50000, 4789, vxlan(vni, ethernet(ipEthertype(innerIp(o)), innerIp(o))))));
        return { sec: t0 + i, nsec: 0, data };
      });
    };
    const a = tenantFrames(100, 1000);
    const b = tenantFrames(200, 1000);
    const interleaved = a.flatMap((p, i) => [p, b[i]!]);
    const r = await analyzeBytes(writePcap(interleaved));
    expect(r.sessions).toHaveLength(2);
    for (const s of r.sessions) {
      expect(s.encapsulation).toEqual(['vxlan']);
      expect(s.user).toBe('alice');
      expect(s.ended).toBe('quit');
    }
  });
});
