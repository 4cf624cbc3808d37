/**
 * TLS decryption against the real TLS fixtures (fixtures/tls/, recorded by
 * fixtures/record-tls.sh with dovecot and clients that write key logs):
 *
 * - `follow --decrypted` gives exactly the bytes tshark's `follow,tls,raw`
 *   gave with the same key log, for every direction of every stream;
 * - the decrypted transcript equals what the client logged (fixtures/tls/truth),
 *   line by line, with `tls: true` exactly where the client's line was encrypted,
 *   and the session facts and findings follow from it;
 * - no-keys, failed and a mid-TLS gap each end with a clear status.
 */
import { readdirSync, readFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { extract } from '../../src/extract/extract.js';
import { followConnection } from '../../src/follow.js';
import type { AnalysisResult, SessionOut, TranscriptEntry } from '../../src/model.js';
import { renderAnalysis } from '../../src/report/analysis-text.js';
import { PLAIN } from '../../src/report/colors.js';
import { parseFollowRaw, readTsv } from '../support/tshark.js';
import { runCli } from '../support/run-cli.js';
import type { Truth, TruthLine } from '../support/truth.js';
import { writePcap } from '../support/capture-writer.js';
import { conversation, type Turn } from '../support/conversation.js';
import { Tls13Sealer } from '../support/tls-sealer.js';
import { readBytes } from '../capture/collect.js';
import { analyzeBytes } from './analyze-buffer.js';
import { bytes, clientHelloBody, clientVersionsExtension, handshake, record, serverHelloBody, serverVersionExtension } from '../tls/tls-bytes.js';

const DIR = new URL('../../fixtures/tls/', import.meta.url).pathname;
const CAPTURES = existsSync(join(DIR, 'captures')) ? readdirSync(join(DIR, 'captures')).sort() : [];
const base = (capture: string) => capture.replace(/\.(pcap|pcapng)$/, '');
const capturePath = (capture: string) => join(DIR, 'captures', capture);

/** The key log the recording wrote for a capture; none for the pcapng that carries its keys inside. */
function keyLogOf(capture: string): string[] {
  if (capture.endsWith('.pcapng')) return [];
  const own = join(DIR, 'keylogs', `${base(capture)}.keys`);
  return existsSync(own) ? [own] : [];
}

/** tshark's decrypted bytes per stream and side (fixtures/tls/tshark/NAME.follow-tls-N.txt). */
function tsharkDecrypted(capture: string, stream: number, serverPort: number): { client: Buffer; server: Buffer } {
  const f = parseFollowRaw(readFileSync(join(DIR, 'tshark', `${base(capture)}.follow-tls-${stream}.txt`), 'latin1'), stream);
  const node0IsServer = f.node0.endsWith(`:${serverPort}`);
  return { client: node0IsServer ? f.bytes1 : f.bytes0, server: node0IsServer ? f.bytes0 : f.bytes1 };
}

function streamsOf(capture: string): number[] {
  const out: number[] = [];
  for (let n = 0; existsSync(join(DIR, 'tshark', `${base(capture)}.follow-tls-${n}.txt`)); n++) out.push(n);
  return out;
}

/** SUITES.tsv: what tshark decrypted per stream (0 octets both ways: no keys for it). */
const SUITES = existsSync(join(DIR, 'tshark', 'SUITES.tsv')) ? readTsv(join(DIR, 'tshark', 'SUITES.tsv')) : [];
function tsharkDecryptedAnything(capture: string, stream: number): boolean {
  const row = SUITES.find((r) => r['capture'] === base(capture) && Number(r['tcp.stream']) === stream);
  return row !== undefined && Number(row['decrypted.client']) + Number(row['decrypted.server']) > 0;
}

describe('follow --decrypted equals tshark follow,tls,raw', () => {
  it('has the TLS fixtures', () => {
    expect(CAPTURES.length).toBeGreaterThanOrEqual(30);
  });

  for (const capture of CAPTURES) {
    it(capture, async () => {
      for (const stream of streamsOf(capture)) {
        const id = String(stream + 1);
        const res = await followConnection([capturePath(capture)], id, { keylog: keyLogOf(capture) }, { decrypted: true });
        const want = tsharkDecrypted(capture, stream, res.connection!.server.port);
        for (const side of ['client', 'server'] as const) {
          const got = Buffer.concat(res.chunks.filter((c) => c.kind === 'data' && c.direction === side).map((c) => (c as { bytes: Uint8Array }).bytes));
          expect(got.equals(want[side]), `stream ${stream} ${side}: ${got.length} octets, tshark ${want[side].length}`).toBe(true);
        }
        expect(res.tls!.decryption, `stream ${stream}`).toBe(tsharkDecryptedAnything(capture, stream) ? 'decrypted' : 'no-keys');
      }
    });
  }

  it('the command line writes the same bytes with --format raw, per direction', () => {
    for (const capture of ['tls13-aes128ccm-stls-curl.pcap', 'tls12-ecdhe-ecdsa-aes256cbc-sha384-noetm-implicit-openssl.pcap', 'tls-mixed-versions-injected-secrets.pcapng']) {
      for (const stream of streamsOf(capture)) {
        const keys = keyLogOf(capture).flatMap((k) => ['--keylog', k]);
        const port = capture.includes('stls') ? 110 : 995;
        const want = tsharkDecrypted(capture, stream, port);
        for (const side of ['client', 'server'] as const) {
          const run = runCli(['follow', capturePath(capture), ...keys, '--session', String(stream + 1), '--decrypted', '--format', 'raw', '--direction', side]);
          expect(run.status, run.stderr).toBe(0);
          expect(run.stdoutBytes.equals(want[side]), `${capture} stream ${stream} ${side}`).toBe(true);
        }
      }
    }
  });
});

/** Our transcript as the lines a client would have logged, with whether each was read inside TLS. */
function asLines(s: SessionOut): (TruthLine & { tls: boolean })[] {
  const out: (TruthLine & { tls: boolean })[] = [];
  const text = (e: TranscriptEntry) => (e.sasl || e.command === undefined ? e.argument ?? e.raw ?? '' : e.argument !== undefined ? `${e.command} ${e.argument}` : e.command);
  for (const e of s.transcript) {
    const tls = e.tls === true;
    if (e.from === 'client') out.push({ from: 'client', text: text(e).trimEnd(), tls });
    else if (e.status) {
      out.push({ from: 'server', text: [e.status, e.code !== undefined ? `[${e.code}]` : '', e.text ?? ''].filter(Boolean).join(' ').trimEnd(), tls });
      if (e.data) out.push({ from: 'server', data: { lines: e.data.lines, octets: e.data.octets }, tls });
    }
  }
  return out;
}

const truthOf = (capture: string): Truth | null => {
  const p = join(DIR, 'truth', `${base(capture)}.json`);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Truth) : null;
};

/** Captures allowed to have no fixtures/tls/truth file: none, every recording logged its client. */
const WITHOUT_TRUTH: string[] = [];

describe("decrypted sessions equal the clients' own logs", () => {
  it('compares every capture with its truth file (35 captures, none skipped)', () => {
    // The loop below skips a capture without a truth file; a missing truth directory must not pass empty.
    expect(CAPTURES.filter((c) => truthOf(c) === null)).toEqual(WITHOUT_TRUTH);
    expect(CAPTURES.filter((c) => truthOf(c) !== null)).toHaveLength(35);
  });

  for (const capture of CAPTURES) {
    const truth = truthOf(capture);
    if (truth === null) continue;
    describe(capture, () => {
      let result: AnalysisResult;
      const load = async () => (result ??= await analyze(capturePath(capture), { keylog: keyLogOf(capture), showSecrets: true }));

      truth.sessions.forEach((t, i) => {
        it(`session ${i + 1} (${t.client}): lines, facts, findings`, async () => {
          const r = await load();
          const s = r.sessions[i]!;
          const decrypted = tsharkDecryptedAnything(capture, i);
          expect(s.transport).toBe(t.transport);
          expect(s.tls!.decryption).toBe(decrypted ? 'decrypted' : 'no-keys');
          // Without keys only the clear lines are there, as before.
          // A keyword is upper-cased in our transcript (openssl s_client users type `retr 1`: a line starting with R renegotiates).
          const keywordCase = (l: TruthLine & { tls: boolean }) => (l.text === undefined ? l : { ...l, text: l.text.replace(/^\S+/, (w) => w.toUpperCase()) });
          const expected = t.lines.filter((l) => decrypted || !l.encrypted)
            .map((l) => (l.data ? { from: l.from, data: l.data, tls: Boolean(l.encrypted) } : { from: l.from, text: (l.text ?? '').trimEnd(), tls: Boolean(l.encrypted) }))
            .map(keywordCase);
          const ours = asLines(s).map(keywordCase);
          for (const side of ['client', 'server'] as const) {
            expect(ours.filter((l) => l.from === side), side).toEqual(expected.filter((l) => l.from === side));
          }
          if (!decrypted) return;
          expect(s.user).toBe(t.user);
          const last = s.auth[s.auth.length - 1];
          expect(last?.mechanism ?? null).toBe(t.mechanism);
          expect(last?.outcome ?? null).toBe(t.outcome);
          expect(s.auth.every((a) => a.encrypted)).toBe(true);
          expect(s.messages.retrieved.filter((m) => m.command === 'RETR').map((m) => m.number)).toEqual(t.retrieved);
          expect(s.messages.deleted).toEqual(t.deleted);
          expect(s.messages.committed).toBe(t.committed);
          const rules = r.findings.filter((f) => f.session === s.id).map((f) => f.rule);
          // A password sent inside TLS is not clear text; what happened in the session still counts.
          expect(rules).not.toContain('cleartext-credentials');
          if (t.deleted.length > 0) expect(rules).toContain(t.committed ? 'deletions-committed' : 'deletions-not-committed');
        });
      });
    });
  }
});

describe('sessions that are not decrypted say why', () => {
  it('no-keys: the key log lacks one of two sessions', async () => {
    const capture = capturePath('tls13-two-sessions-one-keylog.pcap');
    const r = await analyze(capture, { keylog: keyLogOf('tls13-two-sessions-one-keylog.pcap') });
    expect(r.sessions.map((s) => s.tls!.decryption)).toEqual(['decrypted', 'no-keys']);
    expect(r.sessions[1]!.tls!.decryptionReason).toBe('no key log entry for this ClientHello');
    expect(renderAnalysis(r, { colors: PLAIN })).toContain('TLS not decrypted: no-keys (no key log entry for this ClientHello)');
    const all = await analyze(capture, { keylog: [join(DIR, 'keylogs', 'tls13-two-sessions-one-keylog.all.keys')] });
    expect(all.sessions.map((s) => s.tls!.decryption)).toEqual(['decrypted', 'decrypted']);
  });

  it('failed: a key log with the right client random and wrong secrets', async () => {
    const r = await analyze(capturePath('tls13-wrong-keylog.pcap'), { keylog: [join(DIR, 'keylogs', 'tls13-wrong-keylog.wrong-secrets.keys')] });
    const tls = r.sessions[0]!.tls!;
    expect(tls.decryption).toBe('failed');
    expect(tls.decryptionReason).toMatch(/^server direction, frame \d+: a record did not authenticate \(wrong key log entry, or corrupted data\)$/);
    expect(r.sessions[0]!.transcript).toEqual([]);
    expect(renderAnalysis(r, { colors: PLAIN })).toMatch(/login and mail inside TLS \(TLS 1\.3, TLS_AES_256_GCM_SHA384, SNI pop3\.fixture\.test\) {2}TLS not decrypted: failed \(server direction, frame \d+: a record did not authenticate/);
  });

  it('the true key log of that capture decrypts it; its .keys file is for another connection (no-keys)', async () => {
    const good = await analyze(capturePath('tls13-wrong-keylog.pcap'), { keylog: [join(DIR, 'keylogs', 'tls13-wrong-keylog.true.keys')] });
    expect(good.sessions[0]!.tls!.decryption).toBe('decrypted');
    const other = await analyze(capturePath('tls13-wrong-keylog.pcap'), { keylog: keyLogOf('tls13-wrong-keylog.pcap') });
    expect(other.sessions[0]!.tls!.decryption).toBe('no-keys');
  });

  it('key log text works as well as a path, and a pcapng carries its own keys', async () => {
    const text = readFileSync(keyLogOf('tls13-chacha20-implicit-openssl.pcap')[0]!, 'latin1');
    const r = await analyze(capturePath('tls13-chacha20-implicit-openssl.pcap'), { keylog: [text] });
    expect(r.sessions[0]!.tls!.decryption).toBe('decrypted');
    const injected = await analyze(capturePath('tls-mixed-versions-injected-secrets.pcapng'));
    expect(injected.sessions.map((s) => [s.tls!.version, s.tls!.decryption])).toEqual([['TLS 1.3', 'decrypted'], ['TLS 1.2', 'decrypted']]);
  });
});

describe('edge cases built from the fixtures and by hand', () => {
  it('a gap inside TLS stops decryption of that direction there, keeping what came before', async () => {
    const capture = 'tls13-large-retr-implicit-openssl.pcap';
    const { packets } = readBytes(readFileSync(capturePath(capture)));
    // Ethernet + IPv4 + TCP: drop the middle one of the server's data segments (the large RETR).
    const payload = (d: Buffer) => { const ip = 14; const tcp = ip + (d[ip]! & 0x0f) * 4; return { sport: d.readUInt16BE(tcp), length: d.length - tcp - (d[tcp + 12]! >> 4) * 4 }; };
    const serverData = packets.filter((p) => payload(p.data).sport === 995 && payload(p.data).length > 0);
    const dropped = serverData[Math.floor(serverData.length / 2)]!;
    const kept = packets.filter((p) => p !== dropped).map((p) => ({ sec: p.sec, nsec: p.nsec, data: p.data }));
    const r = await analyzeBytes(writePcap(kept, { linkType: 1 }), { keylog: keyLogOf(capture) });
    const s = r.sessions[0]!;
    expect(s.tls!.decryption).toBe('decrypted');
    expect(s.tls!.decryptionReason).toMatch(/^server direction: decryption stopped at a gap in the capture \(frame \d+\); what came before it was kept$/);
    // Every command is still there (the client direction had no gap); the server's lines stop inside the RETR.
    const truth = truthOf(capture)!.sessions[0]!;
    expect(s.transcript.filter((e) => e.from === 'client').length).toBe(truth.lines.filter((l) => l.from === 'client' && l.encrypted).length);
    const retr = s.transcript.find((e) => e.answers === 'RETR')!;
    expect(retr.data!.complete).toBe(false);
    // Cut by the gap, as the same loss in clear text is: noted, counted, and the extracted file says so.
    expect(retr.notes).toContain('gap');
    expect(s.events['gap']).toBe(1);
    expect(renderAnalysis(r, { colors: PLAIN })).toContain(`TLS decrypted (${s.tls!.decryptionReason})`);
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-tls-gap-'));
    try {
      writeFileSync(join(dir, 'gap.pcap'), writePcap(kept, { linkType: 1 }));
      const { index } = await extract(join(dir, 'gap.pcap'), { keylog: keyLogOf(capture), outputDir: join(dir, 'out') });
      const message = index.messages.find((m) => m.command === 'RETR')!;
      expect([message.complete, message.reason]).toEqual([false, 'gap']);
      expect(message.gaps).toEqual([{ offset: message.octets, octets: null, reason: 'gap' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unsupported: a TLS 1.2 RC4 suite is named on the session line', async () => {
    const random = Buffer.alloc(32, 0x11); // what clientHelloBody writes
    const packets = conversation([
      { from: 'client', data: record(22, 0x0301, handshake(1, clientHelloBody({ version: 0x0303, suites: [0x0005] }))) },
      { from: 'server', data: bytes(record(22, 0x0303, handshake(2, serverHelloBody({ version: 0x0303, suite: 0x0005 }))), record(22, 0x0303, handshake(14, new Uint8Array(0)))) },
      { from: 'client', data: bytes(record(20, 0x0303, Uint8Array.of(1)), record(22, 0x0303, new Uint8Array(36))) },
      { from: 'client', data: record(23, 0x0303, new Uint8Array(40)) },
    ], { serverPort: 995 });
    const r = await analyzeBytes(writePcap(packets, { linkType: 1 }), { keylog: [`CLIENT_RANDOM ${random.toString('hex')} ${'ab'.repeat(48)}`] });
    const tls = r.sessions[0]!.tls!;
    expect(tls.decryption).toBe('unsupported');
    expect(tls.decryptionReason).toBe('TLS_RSA_WITH_RC4_128_SHA is not decrypted under TLS 1.2');
    expect(renderAnalysis(r, { colors: PLAIN })).toContain('TLS not decrypted: unsupported (TLS_RSA_WITH_RC4_128_SHA is not decrypted under TLS 1.2)');
  });
});

describe('rules inside TLS', () => {
  /** The same POP3 conversation: five refused logins, then an APOP login that deletes a message. */
  const pop3: Turn[] = [
    { from: 'server', data: '+OK ready <1.2@mail>\r\n' },
    ...Array.from({ length: 5 }, (): Turn[] => [
      { from: 'client', data: 'USER alice\r\n' }, { from: 'server', data: '+OK\r\n' },
      { from: 'client', data: 'PASS wrong-one\r\n' }, { from: 'server', data: '-ERR [AUTH] Authentication failed.\r\n' },
    ]).flat(),
    { from: 'client', data: 'APOP bob 0123456789abcdef0123456789abcdef\r\n' }, { from: 'server', data: '+OK Logged in.\r\n' },
    { from: 'client', data: 'DELE 1\r\n' }, { from: 'server', data: '+OK Marked to be deleted.\r\n' },
    { from: 'client', data: 'QUIT\r\n' }, { from: 'server', data: '+OK Logging out, messages deleted.\r\n' },
  ];

  /** The conversation inside TLS 1.3: hellos in clear, the rest sealed under secrets the key log gives. */
  function inTls13(plain: Turn[] = pop3): { turns: Turn[]; keyLog: string } {
    const random = Buffer.alloc(32, 0x11); // what clientHelloBody writes
    const secrets = [1, 2, 3, 4].map((n) => Buffer.alloc(48, n));
    const [cHs, sHs, cAp, sAp] = secrets.map((s) => new Tls13Sealer(0x1302, s)) as [Tls13Sealer, Tls13Sealer, Tls13Sealer, Tls13Sealer];
    const turns: Turn[] = [
      { from: 'client', data: record(22, 0x0301, handshake(1, clientHelloBody({ version: 0x0303, suites: [0x1302], extensions: [clientVersionsExtension(0x0304)] }))) },
      { from: 'server', data: bytes(record(22, 0x0303, handshake(2, serverHelloBody({ version: 0x0303, suite: 0x1302, extensions: [serverVersionExtension(0x0304)] }))), sHs.seal(22, handshake(20, new Uint8Array(48)))) },
      { from: 'client', data: cHs.seal(22, handshake(20, new Uint8Array(48))) },
      ...plain.map((t): Turn => ({ from: t.from, data: (t.from === 'client' ? cAp : sAp).seal(23, Buffer.from(t.data as string)) })),
    ];
    const labels = ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'];
    return { turns, keyLog: labels.map((l, i) => `${l} ${random.toString('hex')} ${secrets[i]!.toString('hex')}`).join('\n') };
  }

  it('inside TLS: auth-failures, weak-auth-mechanism and deletions-committed fire, cleartext-credentials does not; in clear it does', async () => {
    const { turns, keyLog } = inTls13();
    const tls = await analyzeBytes(writePcap(conversation(turns, { serverPort: 995 }), { linkType: 1 }), { keylog: [keyLog] });
    const clear = await analyzeBytes(writePcap(conversation(pop3, { serverPort: 110 }), { linkType: 1 }));
    const rules = (r: AnalysisResult) => [...new Set(r.findings.map((f) => f.rule))].sort();
    expect(tls.sessions[0]!.tls!.decryption).toBe('decrypted');
    expect(tls.sessions[0]!.auth.map((a) => [a.mechanism, a.outcome, a.encrypted])).toEqual([
      ...Array.from({ length: 5 }, () => ['USER', 'failure', true]), ['APOP', 'success', true],
    ]);
    expect(rules(tls)).toEqual(['auth-failures', 'deletions-committed', 'weak-auth-mechanism']);
    expect(rules(clear)).toContain('cleartext-credentials');
    expect(rules(clear)).toEqual(expect.arrayContaining(['auth-failures', 'deletions-committed', 'weak-auth-mechanism']));
  });

  it('a last line without a line end is dissected inside TLS as in clear (unterminated-line)', async () => {
    const plain: Turn[] = [
      { from: 'server', data: '+OK ready\r\n' },
      { from: 'client', data: 'QUIT\r\n' },
      { from: 'server', data: '+OK bye' },
    ];
    const { turns, keyLog } = inTls13(plain);
    const tls = await analyzeBytes(writePcap(conversation(turns, { serverPort: 995 }), { linkType: 1 }), { keylog: [keyLog] });
    const clear = await analyzeBytes(writePcap(conversation(plain, { serverPort: 110 }), { linkType: 1 }));
    const last = (r: AnalysisResult) => {
      const e = r.sessions[0]!.transcript.at(-1)!;
      return [e.from, e.status, e.text, e.notes];
    };
    expect(tls.sessions[0]!.tls!.decryption).toBe('decrypted');
    expect(last(clear)).toEqual(['server', '+OK', 'bye', ['unterminated-line']]);
    expect(last(tls)).toEqual(last(clear));
    expect(tls.sessions[0]!.events['unterminated-line']).toBe(1);
  });
});
