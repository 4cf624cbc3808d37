/**
 * The assembler finds a live connection by the decoder's flow number and then
 * checks the endpoints, so the number is only a shortcut: reassembly must come
 * out the same when every flow shares one number (all collide) or when segments
 * carry none. Run over recorded captures with several connections, and
 * tunnels (where the tunnel, not the 4-tuple, tells tenants apart).
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/input.js';
import { PacketDecoder } from '../../src/decode/decoder.js';
import type { Segment } from '../../src/decode/segment.js';
import { flowHash } from '../../src/decode/flow-hash.js';
import { TcpAssembler } from '../../src/tcp/assembler.js';
import type { ConnectionInfo, StreamHandler } from '../../src/tcp/stream.js';
import { FIXTURES_DIR } from '../capture/fixture-files.js';
import { writePcap } from '../support/capture-writer.js';
import { ipv4Bytes, ipv6Bytes } from '../support/frames.js';

type FlowRule = (s: Segment) => void;

async function reassemble(path: string | Uint8Array, rule: FlowRule): Promise<unknown[]> {
  const streams: { info: ConnectionInfo; client: number[]; server: number[]; ended?: string }[] = [];
  const assembler = new TcpAssembler({
    open(info: ConnectionInfo): StreamHandler {
      const s = { info, client: [] as number[], server: [] as number[], ended: undefined as string | undefined };
      streams.push(s);
      return {
        data(dir, bytes) { for (const b of bytes) s[dir].push(b); },
        gap() {},
        close(summary) { s.ended = summary.ended; },
      };
    },
  }, { isServerPort: (p) => p === 110 || p === 995 });
  const decoder = new PacketDecoder({ wantPort: () => true });
  await readCapture(typeof path === 'string' ? path : Readable.from([path]), {
    packet(p) {
      const s = decoder.decode(p);
      if (s === null) return;
      rule(s);
      assembler.segment(s);
    },
  });
  assembler.finish();
  return streams.map((s) => [s.info.id, s.info.client, s.info.server, s.info.encapsulation, s.client.length, s.server.length, Buffer.from(s.client).toString('latin1'), Buffer.from(s.server).toString('latin1'), s.ended]);
}

const CAPTURES = [
  'sample.pcapng',
  'captures/failed-logins-then-success.pcap',
  'captures/baseline-run3.pcap',
  'tunnels/vxlan-in-vxlan.pcap',
  'tunnels/gre-vxlan.pcap',
  'captures/ipv6-loopback.pcap',
].map((p) => join(FIXTURES_DIR, p));

describe('connection lookup by flow number', () => {
  for (const path of CAPTURES) {
    it(`reassembles ${path.slice(FIXTURES_DIR.length)} alike with real, colliding and absent flow numbers`, async () => {
      const real = await reassemble(path, () => {});
      expect(real.length).toBeGreaterThan(0);
      expect(await reassemble(path, (s) => { s.flow = 7; })).toEqual(real);
      expect(await reassemble(path, (s) => { delete s.flow; })).toEqual(real);
    });
  }

  it('keeps connections that are open at once apart when their numbers collide', async () => {
    // Four recordings, their packets taken in turn: four connections open at once.
    const merged = await interleave(['failed-logins-then-success.pcap', 'baseline-run3.pcap', 'user-pass-retr-dele-quit.pcap', 'ipv6-loopback.pcap']
      .map((f) => join(FIXTURES_DIR, 'captures', f)));
    const real = await reassemble(merged, () => {});
    expect(real.length).toBeGreaterThanOrEqual(4);
    expect(await reassemble(merged, (s) => { s.flow = 7; })).toEqual(real);
  });

  it('gives both directions of a flow one number, and other flows and tunnels other numbers', () => {
    const a = ipv4Bytes('10.0.0.1');
    const b = ipv4Bytes('10.0.0.2');
    const ports = (sp: number, dp: number) => Uint8Array.from([sp >> 8, sp & 0xff, dp >> 8, dp & 0xff]);
    const pair = (x: Uint8Array, y: Uint8Array) => Uint8Array.from([...x, ...y]);
    const there = flowHash(pair(a, b), 0, 4, ports(40000, 110), 0, 0);
    expect(flowHash(pair(b, a), 0, 4, ports(110, 40000), 0, 0)).toBe(there);
    expect(flowHash(pair(a, b), 0, 4, ports(40001, 110), 0, 0)).not.toBe(there);
    expect(flowHash(pair(a, b), 0, 4, ports(40000, 110), 0, 5)).not.toBe(there);
    // Equal addresses: the ports decide the order.
    expect(flowHash(pair(a, a), 0, 4, ports(110, 40000), 0, 0)).toBe(flowHash(pair(a, a), 0, 4, ports(40000, 110), 0, 0));
    const c = ipv6Bytes('2001:db8::1');
    const d = ipv6Bytes('2001:db8::2');
    expect(flowHash(pair(c, d), 0, 16, ports(40000, 110), 0, 0)).toBe(flowHash(pair(d, c), 0, 16, ports(110, 40000), 0, 0));
    expect(flowHash(pair(c, d), 0, 16, ports(40000, 110), 0, 0)).not.toBe(flowHash(pair(c, d), 0, 16, ports(40000, 995), 0, 0));
  });
});

/** One pcap holding the packets of `paths` in turn (one of each, then the next of each, …), times made increasing. */
async function interleave(paths: string[]): Promise<Uint8Array> {
  const lists = await Promise.all(paths.map(async (path) => {
    const packets: Uint8Array[] = [];
    await readCapture(path, { packet(p) { packets.push(p.data.slice()); } });
    return packets;
  }));
  const out: { sec: number; nsec: number; data: Uint8Array }[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length) out.push({ sec: 1_700_000_000 + out.length, nsec: 0, data: l[i]! });
  }
  return writePcap(out);
}
