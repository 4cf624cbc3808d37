/**
 * Every real fixture: wherever tshark's POP dissector parsed a line (fixtures/tshark/NAME.pop.tsv,
 * recorded with tshark 4.0.17), our transcript holds the same line in the same TCP stream and
 * frame, with the same command and argument, or the same status and text.
 *
 * tshark is shallow in known ways (fixtures/README.md, "Where tshark's POP dissector is
 * shallow"). Each of those rows is recognised by name, and the test asserts that what we say
 * there is what the RFC says it is. A row that fits no category fails the test.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult, SessionOut, TranscriptEntry } from '../../src/model.js';
import { fixtureCaptures, fixturePath, readTsv, tsharkFile } from '../support/tshark.js';

/** How one tshark occurrence relates to our transcript. */
type Category =
  | 'agrees'
  /** RFC 5034 §4: a client line after a `+` challenge is a base64 answer, not a command. */
  | 'sasl-answer-as-command'
  /** RFC 5034 §4: a lone `*` cancels the exchange; tshark takes it for a command keyword. */
  | 'sasl-cancel-as-command'
  /** RFC 5034 §4: the server's `+ [base64]` challenge; tshark shows no indicator. */
  | 'continuation-without-indicator'
  /** RFC 1939 §3: later segments of a multi-line response are data, up to the `.` line. */
  | 'multi-line-data-segment'
  /** RFC 1939 §7 (PASS, APOP), RFC 5034 §4 (initial response): tshark prints the secret. */
  | 'secret-in-clear'
  /** RFC 2449 §6.6 / RFC 1939 §3: several lines in one segment; tshark shows only the first. */
  | 'first-line-of-several';

interface Occurrence {
  frame: number;
  stream: number;
  command: string;
  parameter: string;
  indicator: string;
  description: string;
}

/** A tshark row splits into one occurrence per `|`-aggregated value. */
function occurrences(row: Record<string, string>): Occurrence[] {
  const split = (k: string) => (row[k] ?? '').split('|');
  const cmd = split('pop.request.command');
  const par = split('pop.request.parameter');
  const ind = split('pop.response.indicator');
  const desc = split('pop.response.description');
  const n = Math.max(cmd.length, par.length, ind.length, desc.length);
  const out: Occurrence[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      frame: Number(row['frame.number']),
      stream: Number(row['tcp.stream']),
      command: cmd[i] ?? '',
      parameter: par[i] ?? '',
      indicator: ind[i] ?? '',
      description: desc[i] ?? '',
    });
  }
  return out;
}

/** The rest of a response line after its status, as tshark's description holds it. */
function responseRest(e: TranscriptEntry): string {
  return [e.code !== undefined ? `[${e.code}]` : '', e.text ?? ''].filter((x) => x !== '').join(' ');
}

interface Verdict {
  category: Category;
  entry: TranscriptEntry | null;
}

/**
 * Classifies one occurrence against our session; asserts what the category requires.
 * `redacted` is the same session analysed with the default (secrets hidden).
 */
function judge(o: Occurrence, s: SessionOut, redacted: SessionOut): Verdict {
  const at = (from: 'client' | 'server') => s.transcript.filter((e) => e.frame === o.frame && e.from === from);
  const where = `frame ${o.frame}`;
  if (o.command !== '') {
    const ours = at('client');
    expect(ours.length, `${where}: a client line of ours`).toBeGreaterThan(0);
    if (o.command === '*') {
      const cancel = ours.find((e) => e.command === '*');
      expect(cancel, `${where}: our SASL cancel`).toBeDefined();
      // The line before it from the server was a challenge (RFC 5034 §4).
      const i = s.transcript.indexOf(cancel!);
      const challenge = s.transcript.slice(0, i).reverse().find((e) => e.from === 'server');
      expect(challenge?.status, `${where}: cancel follows a challenge`).toBe('+');
      return { category: 'sasl-cancel-as-command', entry: cancel! };
    }
    const sasl = ours.find((e) => e.sasl === true);
    if (sasl !== undefined && sasl === ours[0]) {
      // tshark splits the base64 line at a space as if it were keyword and parameter.
      const line = o.parameter === '' ? o.command : `${o.command} ${o.parameter}`;
      expect(sasl.command, `${where}: no keyword on a SASL answer`).toBeUndefined();
      expect(sasl.argument, `${where}: the SASL answer`).toBe(line);
      expect(sasl.secret, `${where}: a SASL answer is a secret`).toBe(true);
      return { category: 'sasl-answer-as-command', entry: sasl };
    }
    const first = ours[0]!;
    expect(first.command, `${where}: command`).toBe(o.command.toUpperCase());
    expect(first.argument ?? '', `${where}: argument`).toBe(o.parameter);
    if (first.secret === true) {
      const hidden = redacted.transcript[s.transcript.indexOf(first)]!;
      expect(hidden.argument, `${where}: redacted by default`).not.toContain(secretPart(first));
      expect(hidden.argument, `${where}: redacted by default`).toContain('[redacted]');
      return { category: 'secret-in-clear', entry: first };
    }
    return { category: ours.length > 1 ? 'first-line-of-several' : 'agrees', entry: first };
  }
  if (o.indicator !== '') {
    const ours = at('server').filter((e) => e.status !== undefined);
    expect(ours.length, `${where}: a response of ours`).toBeGreaterThan(0);
    const first = ours[0]!;
    expect(first.status, `${where}: status`).toBe(o.indicator);
    expect(responseRest(first), `${where}: text`).toBe(o.description);
    const lines = at('server').length + (first.data !== undefined && first.data.lastFrame === o.frame && first.data.lines > 0 ? 1 : 0);
    return { category: lines > 1 ? 'first-line-of-several' : 'agrees', entry: first };
  }
  // A row with no field: either a SASL challenge or a later segment of multi-line data.
  const challenge = at('server').find((e) => e.status === '+');
  if (challenge !== undefined) return { category: 'continuation-without-indicator', entry: challenge };
  const carrier = s.transcript.find(
    (e) => e.data !== undefined && frameNo(e.data.firstFrame) < o.frame && o.frame <= frameNo(e.data.lastFrame),
  );
  expect(carrier, `${where}: an empty row must be a challenge or inside multi-line data`).toBeDefined();
  return { category: 'multi-line-data-segment', entry: carrier! };
}

function frameNo(f: number | string): number {
  return typeof f === 'number' ? f : Number(String(f).split('#').pop());
}

/** The secret part of an argument: the last word (PASS x, APOP user digest, AUTH PLAIN ir). */
function secretPart(e: TranscriptEntry): string {
  const words = (e.argument ?? '').split(' ');
  return words[words.length - 1]!;
}

const captures = fixtureCaptures();

/** What fixtures/README.md cites for each category: capture, frame. Re-recording may move frames. */
const README_EXAMPLES: [string, number, Category][] = [
  ['auth-plain.pcap', 12, 'sasl-answer-as-command'],
  ['auth-login.pcap', 12, 'sasl-answer-as-command'],
  ['auth-login.pcap', 14, 'sasl-answer-as-command'],
  ['auth-cram-md5.pcap', 12, 'sasl-answer-as-command'],
  ['fetchmail-keep.pcap', 12, 'sasl-answer-as-command'],
  ['auth-cancelled.pcap', 9, 'sasl-cancel-as-command'],
  ['auth-cancelled.pcap', 16, 'sasl-cancel-as-command'],
  ['auth-cancelled.pcap', 21, 'sasl-cancel-as-command'],
  ['auth-plain.pcap', 11, 'continuation-without-indicator'],
  ['auth-login.pcap', 11, 'continuation-without-indicator'],
  ['auth-login.pcap', 13, 'continuation-without-indicator'],
  ['auth-cram-md5.pcap', 11, 'continuation-without-indicator'],
  ...[8, 13, 15, 20].map((f): [string, number, Category] => ['auth-cancelled.pcap', f, 'continuation-without-indicator']),
  ...[43, 45, 47, 49].map((f): [string, number, Category] => ['user-pass-retr-dele-quit.pcap', f, 'multi-line-data-segment']),
  ['user-pass-retr-dele-quit.pcap', 41, 'agrees'],
  ['user-pass-retr-dele-quit.pcap', 12, 'secret-in-clear'],
  ['auth-plain-initial-response.pcap', 9, 'secret-in-clear'],
  ['sample.pcapng', 107, 'secret-in-clear'],
  ['pipelined-burst.pcap', 6, 'first-line-of-several'],
  ['pipelined-burst.pcap', 12, 'first-line-of-several'],
  ['user-pass-retr-dele-quit.pcap', 35, 'first-line-of-several'],
  ['user-pass-retr-dele-quit.pcap', 20, 'first-line-of-several'],
];

describe("our transcripts agree with tshark's POP fields", () => {
  it('has real fixtures with stored pop.tsv', () => {
    expect(captures.length).toBeGreaterThan(10);
  });

  const seen = new Map<string, Category>();
  for (const capture of captures) {
    it(capture, async () => {
      const rows = readTsv(tsharkFile(capture, 'pop.tsv'));
      const [shown, hidden]: AnalysisResult[] = await Promise.all([
        analyze(fixturePath(capture), { showSecrets: true }),
        analyze(fixturePath(capture)),
      ]);
      for (const row of rows) {
        for (const o of occurrences(row)) {
          // tshark numbers streams from 0 in order of first packet; our ids start at 1.
          const s = shown.sessions.find((x) => x.id === String(o.stream + 1));
          const r = hidden.sessions.find((x) => x.id === String(o.stream + 1));
          expect(s, `${capture} stream ${o.stream}`).toBeDefined();
          const v = judge(o, s!, r!);
          seen.set(`${capture}#${o.frame}`, v.category);
        }
        // tshark never parses inside TLS (RFC 2595 §4, RFC 8314 §3.3): no row after TLS began.
        const s = shown.sessions.find((x) => x.id === String(Number(row['tcp.stream']) + 1))!;
        if (s.tls?.startFrame != null) expect(Number(row['frame.number'])).toBeLessThan(frameNo(s.tls.startFrame));
      }
      if (rows.length === 0) {
        // Implicit TLS from the first byte: tshark has nothing to say, we say why.
        expect(shown.sessions.every((x) => x.transport === 'implicit-tls')).toBe(true);
      }
    });
  }

  it.each(README_EXAMPLES)('%s frame %i is recognised as %s', (capture, frame, category) => {
    // Filled by the per-capture tests above, which vitest runs first in this file.
    expect(seen.get(`${capture}#${frame}`)).toBe(category);
  });

  it('meets every category somewhere in the fixtures', () => {
    const found = new Set(seen.values());
    for (const c of new Set(README_EXAMPLES.map((x) => x[2]))) expect(found.has(c), c).toBe(true);
    expect(found.has('agrees')).toBe(true);
  });
});

describe("decrypted transcripts agree with tshark's POP fields (fixtures/tls, tshark given the same key logs)", () => {
  const dir = new URL('../../fixtures/tls/', import.meta.url).pathname;
  const tlsCaptures = existsSync(join(dir, 'captures')) ? readdirSync(join(dir, 'captures')).sort() : [];
  const base = (c: string) => c.replace(/\.(pcap|pcapng)$/, '');
  // SUITES.tsv: what tshark decrypted per stream with the same key logs (0 octets both ways: no keys for it).
  const suites = existsSync(join(dir, 'tshark', 'SUITES.tsv')) ? readTsv(join(dir, 'tshark', 'SUITES.tsv')) : [];
  const tsharkDecryptedStreams = (capture: string) =>
    suites.filter((r) => r['capture'] === base(capture) && Number(r['decrypted.client']) + Number(r['decrypted.server']) > 0).map((r) => Number(r['tcp.stream']));
  it('has TLS fixtures with stored pop.tsv', () => {
    expect(tlsCaptures.length).toBeGreaterThan(20);
  });
  it("has tshark's reference of what it decrypted (SUITES.tsv)", () => {
    // Without it the per-capture checks below would expect decryption nowhere.
    expect(tlsCaptures.filter((c) => tsharkDecryptedStreams(c).length > 0).length).toBeGreaterThan(20);
  });
  for (const capture of tlsCaptures) {
    it(capture, async () => {
      const keyLog = join(dir, 'keylogs', `${base(capture)}.keys`);
      const options = { keylog: existsSync(keyLog) && !capture.endsWith('.pcapng') ? [keyLog] : [] };
      const path = join(dir, 'captures', capture);
      const [shown, hidden] = await Promise.all([analyze(path, { ...options, showSecrets: true }), analyze(path, options)]);
      const rows = readTsv(join(dir, 'tshark', `${base(capture)}.pop.tsv`));
      const inside = new Map<number, number>();
      for (const row of rows) {
        for (const o of occurrences(row)) {
          const s = shown.sessions.find((x) => x.id === String(o.stream + 1))!;
          const r = hidden.sessions.find((x) => x.id === String(o.stream + 1))!;
          const v = judge(o, s, r);
          if (v.entry?.tls) inside.set(o.stream, (inside.get(o.stream) ?? 0) + 1);
        }
      }
      // Wherever tshark decrypted a stream, we decrypted it too and compared it inside TLS,
      // not only its clear STLS prelude.
      for (const stream of tsharkDecryptedStreams(capture)) {
        const s = shown.sessions.find((x) => x.id === String(stream + 1));
        expect(s?.tls?.decryption, `stream ${stream}`).toBe('decrypted');
        expect(inside.get(stream) ?? 0, `stream ${stream}: POP fields compared inside TLS`).toBeGreaterThan(0);
      }
    });
  }
});
