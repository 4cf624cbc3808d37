/**
 * The tunnels that need daemons to record for real (L2TP/PPP, PPPoE, GTP-U,
 * ERSPAN), those this machine's kernel cannot build (GRE, gretap, Geneve,
 * IPIP, SIT, ip6tnl, MPLS: see record-tunnels.sh) and the PPP link types, made
 * by wrapping every packet of a recorded capture (fixtures/captures/
 * poplib-apop.pcap or, for IPv6 inside, ipv6-loopback.pcap: real dovecot
 * sessions) in the tunnel's headers. `fixtures/make-tunnel-fixtures.sh` writes them to
 * fixtures/tunnels/ once and stores tshark's reading beside them; the tests
 * read both and never run tshark.
 */
import { readFileSync } from 'node:fs';
import { writePcap, type PacketToWrite } from './capture-writer.js';
import {
  ETHERTYPE, erspanII, geneve, mpls, erspanIII, ethernet, gre, gtpU, l2tp, outerIp, ppp, pppoeSession, udp, vxlan,
} from './tunnel-frames.js';

export const TUNNEL_BASE_CAPTURE = new URL('../../fixtures/captures/poplib-apop.pcap', import.meta.url).pathname;
export const TUNNEL_BASE_CAPTURE_IPV6 = new URL('../../fixtures/captures/ipv6-loopback.pcap', import.meta.url).pathname;

interface BasePacket {
  sec: number;
  nsec: number;
  frame: Uint8Array;
  /** The IP packet inside the Ethernet frame. */
  ip: Uint8Array;
  /** Sent by the client (to port 110). */
  fromClient: boolean;
}

/** The packets of a classic little-endian microsecond pcap on Ethernet (what tcpdump -i lo wrote). */
export function readBaseCapture(path = TUNNEL_BASE_CAPTURE): BasePacket[] {
  const d = readFileSync(path);
  if (d.readUInt32LE(0) !== 0xa1b2c3d4 || d.readUInt32LE(20) !== 1) throw new Error(`${path}: not a LE µs Ethernet pcap`);
  const out: BasePacket[] = [];
  for (let at = 24; at + 16 <= d.length;) {
    const sec = d.readUInt32LE(at);
    const usec = d.readUInt32LE(at + 4);
    const len = d.readUInt32LE(at + 8);
    const frame = new Uint8Array(d.subarray(at + 16, at + 16 + len));
    at += 16 + len;
    const ip = frame.subarray(14);
    const tcpAt = ip[0]! >> 4 === 6 ? 40 : (ip[0]! & 0x0f) * 4;
    const dstPort = (ip[tcpAt + 2]! << 8) | ip[tcpAt + 3]!;
    out.push({ sec, nsec: usec * 1000, frame, ip, fromClient: dstPort === 110 });
  }
  return out;
}

export interface TunnelFixture {
  /** File base name under fixtures/tunnels/. */
  name: string;
  linkType: number;
  /** The recorded capture it wraps (default TUNNEL_BASE_CAPTURE). */
  base?: string;
  /** What sessions must show in `encapsulation` (null: not a tunnel). */
  encapsulation: string[] | null;
  /** Layers tshark's frame.protocols must show, in this order, for every TCP frame. */
  tsharkChain: string;
  wrap(p: BasePacket, index: number): Uint8Array;
}

const CLIENT_SIDE = '198.51.100.1';
const SERVER_SIDE = '198.51.100.2';
const SENSOR = '203.0.113.10';
const COLLECTOR = '203.0.113.20';

/** Outer addresses: the client's side sends from CLIENT_SIDE. */
function ends(p: BasePacket): [string, string] {
  return p.fromClient ? [CLIENT_SIDE, SERVER_SIDE] : [SERVER_SIDE, CLIENT_SIDE];
}

export const TUNNEL_FIXTURES: TunnelFixture[] = [
  {
    // Each direction its own receiver's tunnel and session ids (RFC 2661); the
    // client's side sends every optional field and full PPP, the other none and compressed PPP.
    name: 'l2tp-ppp',
    linkType: 1,
    encapsulation: ['l2tp', 'ppp'],
    tsharkChain: 'ip:udp:l2tp:ppp:ip:tcp',
    wrap(p, i) {
      const [src, dst] = ends(p);
      const message = p.fromClient
        ? l2tp({ tunnel: 7, session: 9, length: true, sequence: [i & 0xffff, 0], offset: 2 }, ppp(p.ip, { addressControl: true }))
        : l2tp({ tunnel: 11, session: 13 }, ppp(p.ip, { compressProtocol: true }));
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 17, udp(1701, 1701, message)), !p.fromClient);
    },
  },
  {
    name: 'pppoe-session',
    linkType: 1,
    encapsulation: ['pppoe', 'ppp'],
    tsharkChain: 'eth:ethertype:pppoes:ppp:ip:tcp',
    wrap(p) {
      return ethernet(ETHERTYPE.pppoe, pppoeSession(0x2a17, ppp(p.ip)), !p.fromClient);
    },
  },
  {
    // TEIDs differ by direction (each end chooses the one it receives on); uplink carries
    // a sequence number and a PDU session container extension header.
    name: 'gtp-u',
    linkType: 1,
    encapsulation: ['gtp-u'],
    tsharkChain: 'ip:udp:gtp:ip:tcp',
    wrap(p, i) {
      const [src, dst] = ends(p);
      const message = p.fromClient
        ? gtpU({ teid: 0x1001, sequence: i, extensions: [{ type: 0x85, content: Uint8Array.of(0x10, 0x09) }] }, p.ip)
        : gtpU({ teid: 0x2002 }, p.ip);
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 17, udp(2152, 2152, message)), !p.fromClient);
    },
  },
  {
    // A mirror: both directions go from the switch to the collector.
    name: 'erspan-ii',
    linkType: 1,
    encapsulation: ['gre', 'erspan'],
    tsharkChain: 'ip:gre:erspan:eth:ethertype:ip:tcp',
    wrap(p, i) {
      const inner = gre({ protocol: ETHERTYPE.erspan2, sequence: i }, erspanII(42, p.frame, 3));
      return ethernet(ETHERTYPE.ipv4, outerIp(SENSOR, COLLECTOR, 47, inner));
    },
  },
  {
    name: 'erspan-iii',
    linkType: 1,
    encapsulation: ['gre', 'erspan'],
    tsharkChain: 'ip:gre:erspan:eth:ethertype:ip:tcp',
    wrap(p, i) {
      const inner = gre({ protocol: ETHERTYPE.erspan3, sequence: i }, erspanIII(7, p.frame, i * 1000, i % 2 === 0));
      return ethernet(ETHERTYPE.ipv4, outerIp(SENSOR, COLLECTOR, 47, inner));
    },
  },
  {
    // GRE with every optional word, carrying IPv4 that carries VXLAN: two tunnel layers.
    name: 'gre-vxlan',
    linkType: 1,
    encapsulation: ['gre', 'vxlan'],
    tsharkChain: 'ip:gre:ip:udp:vxlan:eth:ethertype:ip:tcp',
    wrap(p, i) {
      const [src, dst] = ends(p);
      const vtepA = '10.200.0.1';
      const vtepB = '10.200.0.2';
      const overlay = outerIp(p.fromClient ? vtepA : vtepB, p.fromClient ? vtepB : vtepA, 17,
        udp(40000 + (i % 7), 4789, vxlan(5001, p.frame)));
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 47, gre({ protocol: ETHERTYPE.ipv4, checksum: true, key: 77, sequence: i }, overlay)));
    },
  },
  {
    // The kernel's `ip link add type gre ... key 42 csum seq`: every optional word.
    name: 'gre-key-checksum-sequence',
    linkType: 1,
    encapsulation: ['gre'],
    tsharkChain: 'ip:gre:ip:tcp',
    wrap(p, i) {
      const [src, dst] = ends(p);
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 47, gre({ protocol: ETHERTYPE.ipv4, checksum: true, key: 42, sequence: i }, p.ip)), !p.fromClient);
    },
  },
  {
    name: 'gretap',
    linkType: 1,
    encapsulation: ['gre'],
    tsharkChain: 'ip:gre:eth:ethertype:ip:tcp',
    wrap(p) {
      const [src, dst] = ends(p);
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 47, gre({ protocol: ETHERTYPE.teb }, p.frame)), !p.fromClient);
    },
  },
  {
    name: 'geneve-options',
    linkType: 1,
    encapsulation: ['geneve'],
    tsharkChain: 'ip:udp:geneve:eth:ethertype:ip:tcp',
    wrap(p, i) {
      const [src, dst] = ends(p);
      const options = [{ optionClass: 0x0103, type: 0x80, data: Uint8Array.of(0, 0, 0, i & 0xff) }];
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 17, udp(49152 + (i % 13), 6081, geneve(77, ETHERTYPE.teb, p.frame, options))), !p.fromClient);
    },
  },
  {
    name: 'ipip',
    linkType: 1,
    encapsulation: ['ipip'],
    tsharkChain: 'ethertype:ip:ip:tcp',
    wrap(p) {
      const [src, dst] = ends(p);
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 4, p.ip), !p.fromClient);
    },
  },
  {
    name: 'sit-6in4',
    linkType: 1,
    base: TUNNEL_BASE_CAPTURE_IPV6,
    encapsulation: ['6in4'],
    tsharkChain: 'ethertype:ip:ipv6:tcp',
    wrap(p) {
      const [src, dst] = ends(p);
      return ethernet(ETHERTYPE.ipv4, outerIp(src, dst, 41, p.ip), !p.fromClient);
    },
  },
  {
    name: 'ip6tnl-4in6',
    linkType: 1,
    encapsulation: ['4in6'],
    tsharkChain: 'ethertype:ipv6:ip:tcp',
    wrap(p) {
      const [src, dst] = p.fromClient ? ['2001:db8:99::1', '2001:db8:99::2'] : ['2001:db8:99::2', '2001:db8:99::1'];
      return ethernet(ETHERTYPE.ipv6, outerIp(src, dst, 4, p.ip), !p.fromClient);
    },
  },
  {
    name: 'ip6tnl-6in6',
    linkType: 1,
    base: TUNNEL_BASE_CAPTURE_IPV6,
    encapsulation: ['6in6'],
    tsharkChain: 'ethertype:ipv6:ipv6:tcp',
    wrap(p) {
      const [src, dst] = p.fromClient ? ['2001:db8:99::1', '2001:db8:99::2'] : ['2001:db8:99::2', '2001:db8:99::1'];
      return ethernet(ETHERTYPE.ipv6, outerIp(src, dst, 41, p.ip), !p.fromClient);
    },
  },
  {
    // Labels differ by direction, as an LSP's do; the client's side carries a two-label stack.
    name: 'mpls',
    linkType: 1,
    encapsulation: ['mpls'],
    tsharkChain: 'ethertype:mpls:ip:tcp',
    wrap(p) {
      return ethernet(ETHERTYPE.mpls, mpls(p.fromClient ? [1000, 16] : [2000], p.ip), !p.fromClient);
    },
  },
  {
    // LINKTYPE_PPP: no tunnel, PPP is the capture's link layer (what pppd's interface gives tcpdump).
    name: 'linktype-ppp',
    linkType: 9,
    encapsulation: null,
    tsharkChain: 'ppp:ip:tcp',
    wrap(p) {
      return ppp(p.ip, { addressControl: true });
    },
  },
  {
    name: 'linktype-ppp-hdlc',
    linkType: 50,
    encapsulation: null,
    tsharkChain: 'ppp:ip:tcp',
    wrap(p) {
      return ppp(p.ip, { addressControl: true });
    },
  },
];

/** The fixture's packets, in the base capture's order and times. */
export function tunnelFixturePackets(f: TunnelFixture, base = readBaseCapture(f.base)): PacketToWrite[] {
  return base.map((p, i) => ({ sec: p.sec, nsec: p.nsec, data: f.wrap(p, i) }));
}

export function tunnelFixtureFile(f: TunnelFixture): Buffer {
  return writePcap(tunnelFixturePackets(f), { linkType: f.linkType });
}
