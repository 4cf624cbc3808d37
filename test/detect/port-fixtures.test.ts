/**
 * Content detection on real recordings (fixtures/ports/, record-ports.sh):
 * dovecot on 2110, 8080 and 25 with poplib, POP3S on 4995 with ALPN pop3,
 * a server that greets -ERR and closes, and SMTP, IMAP, HTTP and TLS (real
 * servers and curl) on 110 and on their own ports. The references are the
 * client's own log (ports/truth/) and tshark's reading (ports/tshark/).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/analyze.js';
import { readTsv } from '../support/tshark.js';
import { asLines, normalise, type Truth } from '../support/truth.js';

const DIR = new URL('../../fixtures/ports/', import.meta.url).pathname;
const path = (name: string) => join(DIR, `${name}.pcap`);
const truth = (name: string) => JSON.parse(readFileSync(join(DIR, 'truth', `${name}.json`), 'utf8')) as Truth;
const tsharkFrames = (name: string) => readTsv(join(DIR, 'tshark', `${name}.frames.tsv`));

function accounted(r: Awaited<ReturnType<typeof analyze>>): void {
  const c = r.captures[0]!;
  expect((c.segments ?? 0) + Object.values(c.skipped).reduce((a, b) => a + b, 0)).toBe(c.packets);
}

describe('POP3 on other ports is found without a flag', () => {
  for (const name of ['pop3-on-2110', 'pop3-on-8080', 'pop3-on-25']) {
    it(`${name}: one session, found by content, the transcript poplib logged`, async () => {
      const r = await analyze(path(name), { showSecrets: true });
      expect(r.sessions).toHaveLength(1);
      const s = r.sessions[0]!;
      expect(s.detection).toBe('content');
      expect(String(s.server.port)).toBe(name.split('-').pop());
      const t = truth(name).sessions[0]!;
      expect(asLines(s).map(normalise)).toEqual(t.lines.map(normalise));
      expect(s.user).toBe('bob');
      expect(r.findings.map((f) => f.rule)).toContain('cleartext-credentials');
      accounted(r);
    });
  }

  it('--no-detect: POP3 on 2110 is not looked at, every packet is other-port', async () => {
    const r = await analyze(path('pop3-on-2110'), { detect: false });
    expect(r.sessions).toHaveLength(0);
    expect(r.captures[0]!.skipped).toEqual({ 'other-port': tsharkFrames('pop3-on-2110').length });
  });

  it('two files read as one capture: each reports its own skip counts, as when read alone', async () => {
    const first = 'smtp-on-2525', second = 'imap-on-110'; // recorded in that order
    // Inputs are read in time order, whatever order they are given in: match them by path.
    const byPath = (rs: Awaited<ReturnType<typeof analyze>>[]) => Object.fromEntries(rs.flatMap((r) => r.captures).map((c) => [c.path, c.skipped]));
    const both = byPath([await analyze([path(first), path(second)])]);
    expect(both).toEqual(byPath([await analyze(path(first)), await analyze(path(second))]));
    expect(both[path(first)]!['not-pop3']).toBeGreaterThan(0);
  });

  it('POP3S on 4995: the ClientHello offers ALPN pop3, so it is an implicit-TLS session', async () => {
    const r = await analyze(path('pop3s-alpn-on-4995'));
    expect(r.sessions).toHaveLength(1);
    const s = r.sessions[0]!;
    expect(s.detection).toBe('content');
    expect(s.transport).toBe('implicit-tls');
    expect(s.tls?.alpn).toContain('pop3');
    expect(truth('pop3s-alpn-on-4995').sessions[0]!.transport).toBe('implicit-tls');
  });

  it('a server that greets -ERR and closes: on 110 a session with that greeting, elsewhere nothing confirms POP3', async () => {
    const on110 = await analyze(path('unavailable-on-110'));
    expect(on110.sessions).toHaveLength(1);
    const greeting = on110.sessions[0]!.transcript[0]!;
    const pop = readTsv(join(DIR, 'tshark', 'unavailable-on-110.pop.tsv'));
    expect(greeting.status).toBe('-ERR');
    expect(`${greeting.status} [${greeting.code}] ${greeting.text}`).toBe(`${pop[0]!['pop.response.indicator']} ${pop[0]!['pop.response.description']}`);
    const on2110 = await analyze(path('unavailable-on-2110'));
    expect(on2110.sessions).toHaveLength(0);
    expect(on2110.connections?.dropped).toBe(1);
  });
});

describe('other protocols are not POP3', () => {
  const cases: [string, string, string][] = [
    ['smtp', '2525', '220 '],
    ['imap', '1143', '* OK'],
    ['http', '8000', 'GET / HTTP/1.1'],
    ['tls', '8443', '\x16\x03'],
  ];
  for (const [protocol, port, opening] of cases) {
    it(`${protocol} on ${port}: no session, the connection dropped, its later packets skipped`, async () => {
      const r = await analyze(path(`${protocol}-on-${port}`));
      expect(r.sessions).toHaveLength(0);
      expect(r.connections?.dropped).toBe(1);
      expect(r.captures[0]!.skipped['not-pop3']).toBeGreaterThan(0);
      accounted(r);
      // tshark saw one TCP connection with data both ways.
      const rows = tsharkFrames(`${protocol}-on-${port}`);
      expect(new Set(rows.map((x) => x['tcp.stream'])).size).toBe(1);
    });

    it(`${protocol} on 110: a notPop3 session with its first bytes (--show-secrets) and no invented transcript`, async () => {
      const r = await analyze(path(`${protocol}-on-110`), { showSecrets: true });
      expect(r.sessions).toHaveLength(1);
      const s = r.sessions[0]!;
      expect(s.detection).toBe('port');
      expect(s.notPop3?.firstBytes.startsWith(opening)).toBe(true);
      expect(s.transcript).toEqual([]);
      expect(s.auth).toEqual([]);
    });
  }
});
