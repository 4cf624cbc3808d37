/**
 * Every real fixture: each direction of each TCP connection, reassembled by us,
 * equals byte for byte what `tshark -z follow,tcp,raw,N` printed at recording time.
 */
import { describe, expect, it } from 'vitest';
import { fixtureCaptures, fixturePath, followStreams } from '../support/tshark.js';
import { collectStreams } from '../support/collect-streams.js';

const captures = fixtureCaptures();

describe('reassembly agrees with tshark follow,tcp,raw', () => {
  it('has real fixtures to compare', () => {
    expect(captures.length).toBeGreaterThan(10);
  });

  for (const capture of captures) {
    it(capture, async () => {
      const expected = followStreams(capture);
      expect(expected.length, `tshark follow outputs stored for ${capture}`).toBeGreaterThan(0);
      const ours = await collectStreams(fixturePath(capture));
      expect(ours.length).toBe(expected.length);
      for (const t of expected) {
        // tshark numbers streams from 0 in order of first packet; we number connections from 1.
        const s = ours[t.stream];
        const node0IsClient = t.node0 === endpointText(s.info.client);
        const client = node0IsClient ? t.bytes0 : t.bytes1;
        const server = node0IsClient ? t.bytes1 : t.bytes0;
        expect(s.client.equals(client), `stream ${t.stream} client bytes (${s.client.length} vs ${client.length})`).toBe(true);
        expect(s.server.equals(server), `stream ${t.stream} server bytes (${s.server.length} vs ${server.length})`).toBe(true);
        expect(s.gaps).toBe(0);
      }
    });
  }
});

function endpointText(ep: { ip: string; port: number }): string {
  return ep.ip.includes(':') ? `[${ep.ip}]:${ep.port}` : `${ep.ip}:${ep.port}`;
}
