/**
 * `PacketDecoder.dismiss()` is a shortcut taken before the capture layer makes a
 * packet view: it must change nothing. Every packet is run through two decoders, one
 * that only decodes and one that asks `dismiss()` first (as the analysis does), and
 * both must give the same segments and the same skip counts. The packets are every
 * recorded fixture (real traffic, tunnels, other protocols on other ports) and
 * frames built here and then damaged at random.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../../src/capture/reader.js';
import type { Packet } from '../../src/capture/packet.js';
import { PacketDecoder } from '../../src/decode/decoder.js';
import type { Segment } from '../../src/decode/segment.js';
import { TCP_ACK, TCP_PSH, TCP_SYN } from '../../src/decode/segment.js';
import { captureFixtures, FIXTURES_DIR } from '../capture/fixture-files.js';
import { writePcap } from '../support/capture-writer.js';
import { ipv4Datagram, ipv6Packet, linkFrame, tcpFrame } from '../support/frames.js';

const POP3_PORTS = new Set([110, 995]);

/** What one segment says, for comparison (payload as bytes, not a view). */
function segmentFacts(s: Segment): unknown[] {
  return [s.frame, s.src, s.dst, s.srcPort, s.dstPort, s.seq, s.ack, s.flags, s.window, Array.from(s.payload), s.missing, s.tunnel ?? ''];
}

/**
 * Both decoders over the same records. A flow on another port is turned down on its
 * first segment that is not a SYN (as content detection would once it has seen enough).
 */
function runBoth(feed: (sink: { packet(p: Packet): void; dismiss?(p: Packet, d: Uint8Array, s: number, l: number): boolean }) => void, detect: boolean) {
  const results = [false, true].map((useDismiss) => {
    const decoder = new PacketDecoder({ wantPort: (port) => POP3_PORTS.has(port), detect });
    const segments: unknown[][] = [];
    let dismissed = 0;
    feed({
      packet(p) {
        const s = decoder.decode(p);
        if (s === null) return;
        segments.push(segmentFacts(s));
        if (!POP3_PORTS.has(s.srcPort) && !POP3_PORTS.has(s.dstPort) && (s.flags & TCP_SYN) === 0) decoder.ignoreLastFlow();
      },
      ...(useDismiss ? {
        dismiss(p: Packet, d: Uint8Array, start: number, length: number) {
          const yes = decoder.dismiss(p.linkType, d, start, length);
          if (yes) dismissed++;
          return yes;
        },
      } : {}),
    });
    decoder.finish();
    return { segments, skipped: decoder.skipped, dismissed };
  });
  return { plain: results[0]!, quick: results[1]! };
}

function fromFile(path: string) {
  return (sink: Parameters<Parameters<typeof runBoth>[0]>[0]) => {
    const reader = new CaptureReader(sink);
    const bytes = readFileSync(path);
    // Small chunks, so records straddle chunk ends (the tail buffer's path) too.
    for (let at = 0; at < bytes.length; at += 4096) reader.push(bytes.subarray(at, at + 4096));
    reader.end();
  };
}

function recordedCaptures(): string[] {
  const paths = captureFixtures().map((f) => f.path).filter((p) => !p.endsWith('.gz'));
  for (const dir of ['tunnels', 'ports', 'tls/captures', 'pcapng-variants']) {
    for (const file of readdirSync(join(FIXTURES_DIR, dir)).sort()) {
      if (/\.(pcap|pcapng)$/.test(file)) paths.push(join(FIXTURES_DIR, dir, file));
    }
  }
  return paths;
}

describe('dismiss() agrees with decode()', () => {
  const paths = recordedCaptures();

  it('finds the recorded captures it compares on', () => {
    // Fixtures, tunnels, other ports and TLS recordings: dozens of files.
    expect(paths.length).toBeGreaterThanOrEqual(40);
  });

  it('gives the same segments and skip counts on every recorded capture, with and without detection', () => {
    let dismissedTotal = 0;
    for (const path of paths) {
      for (const detect of [true, false]) {
        const { plain, quick } = runBoth(fromFile(path), detect);
        expect(quick.segments, path).toEqual(plain.segments);
        expect(quick.skipped, path).toEqual(plain.skipped);
        dismissedTotal += quick.dismissed;
      }
    }
    // The shortcut is taken at all (other-port traffic without detection, DNS, turned-down flows).
    expect(dismissedTotal).toBeGreaterThan(100);
  });

  it('takes the shortcut on Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback, IPv4 and IPv6, and only on other traffic', () => {
    for (const [link, linkType] of [['ethernet', 1], ['sll', 113], ['sll2', 276], ['raw', 101], ['null', 0], ['loop', 108]] as const) {
      const frames = [
        tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 443, flags: TCP_ACK, payload: new Uint8Array(8), link }),
        tcpFrame({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 40001, dstPort: 25, flags: TCP_ACK, payload: new Uint8Array(8), link }),
        tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40002, dstPort: 110, flags: TCP_ACK, payload: new Uint8Array(8), link }),
      ];
      const feed = (sink: Parameters<Parameters<typeof runBoth>[0]>[0]) => {
        const reader = new CaptureReader(sink);
        reader.push(writePcap(frames.map((data, i) => ({ sec: 1_700_000_000 + i, nsec: 0, data })), { linkType }));
        reader.end();
      };
      const { plain, quick } = runBoth(feed, false);
      expect(quick.segments, link).toEqual(plain.segments);
      expect(quick.skipped, link).toEqual({ 'other-port': 2 });
      expect(quick.dismissed, link).toBe(2);
    }
  });

  it('gives the same answers on built frames damaged at random', () => {
    const frame = fc.record({
      // Few ports, so that flows repeat: a SYN on a turned-down flow is a case of its own.
      srcPort: fc.constantFrom(110, 443, 4789, 6081),
      dstPort: fc.constantFrom(995, 25, 4789),
      flags: fc.constantFrom(TCP_SYN, TCP_ACK, TCP_ACK | TCP_PSH),
      // None, one 802.1Q tag, or an 802.1ad tag over an 802.1Q one (Ethernet and SLL carry them).
      vlan: fc.constantFrom(0, 1, 2),
      v6: fc.boolean(),
      udp: fc.boolean(),
      payload: fc.uint8Array({ maxLength: 40 }),
      // Most frames whole and sound (the shortcut's own case), some damaged or cut short.
      damage: fc.oneof(
        { arbitrary: fc.constant([] as [number, number][]), weight: 3 },
        { arbitrary: fc.array(fc.tuple(fc.nat(70), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), weight: 2 },
      ),
      cut: fc.constantFrom(0, 0, 0, 0, 1, 4, 8),
    });
    // The link types the shortcut reads (SLL2 is what `tcpdump -i any` writes), one per capture.
    const links = { ethernet: 1, sll: 113, sll2: 276, raw: 101, null: 0, loop: 108 } as const;
    const link = fc.constantFrom(...(Object.keys(links) as (keyof typeof links)[]));
    fc.assert(fc.property(link, fc.array(frame, { minLength: 1, maxLength: 12 }), (kind, specs) => {
      const frames = specs.map((f) => {
        const vlan = [[], [7], [5, 7]][f.vlan]!;
        const vlanTpids = f.vlan === 2 ? [0x88a8, 0x8100] : undefined;
        const [src, dst] = f.v6 ? ['2001:db8::1', '2001:db8::2'] : ['10.0.0.1', '10.0.0.2'];
        const udp = udpBytes(f.srcPort, f.dstPort, f.payload);
        let bytes = f.udp
          ? linkFrame(f.v6 ? ipv6Packet({ src, dst, protocol: 17 }, udp) : ipv4Datagram({ src, dst, protocol: 17 }, udp), { vlan, vlanTpids, link: kind })
          : tcpFrame({ src, dst, srcPort: f.srcPort, dstPort: f.dstPort, flags: f.flags, payload: f.payload, vlan, vlanTpids, link: kind });
        bytes = Uint8Array.from(bytes);
        for (const [at, value] of f.damage) if (at < bytes.length) bytes[at] = value;
        return bytes.subarray(0, Math.max(0, bytes.length - f.cut));
      });
      const feed = (sink: Parameters<Parameters<typeof runBoth>[0]>[0]) => {
        // Each frame twice: the second time its flow may have been turned down.
        const all = [...frames, ...frames];
        const reader = new CaptureReader(sink);
        reader.push(writePcap(all.map((data, i) => ({ sec: 1_700_000_000 + i, nsec: 0, data })), { linkType: links[kind] }));
        reader.end();
      };
      for (const detect of [true, false]) {
        const { plain, quick } = runBoth(feed, detect);
        expect(quick.segments).toEqual(plain.segments);
        expect(quick.skipped).toEqual(plain.skipped);
      }
    }), { numRuns: 600 });
  });
});

function udpBytes(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  u[0] = srcPort >> 8; u[1] = srcPort & 0xff; u[2] = dstPort >> 8; u[3] = dstPort & 0xff;
  u[4] = u.length >> 8; u[5] = u.length & 0xff;
  u.set(payload, 8);
  return u;
}
