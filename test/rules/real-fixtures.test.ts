/**
 * Every rule on real traffic: which recorded capture must raise it (session and
 * frames as tshark numbered them, values from the clients' ground truth) and
 * which must leave it silent. Synthetic captures appear only for cases real
 * clients and dovecot cannot produce (a refused or stripped STLS, old TLS, an
 * over-long server line, broken framing, a capture picked up midway).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/analyze.js';
import { RULES } from '../../src/rules/registry.js';
import type { AnalysisResult, Finding } from '../../src/model.js';
import { fixtureCaptures, fixturePath, followStreams, readTsv, tsharkFile } from '../support/tshark.js';
import { TRUTH_DIR, type Truth, type TruthSession } from '../support/truth.js';
import { conversation, type Turn } from '../support/conversation.js';
import { writePcap } from '../support/capture-writer.js';
import { clientHelloBody, handshake, record, serverHelloBody } from '../tls/tls-bytes.js';
import { sessionSummaryLine } from '../../src/report/session-summary.js';
import { makeColors } from '../../src/report/colors.js';

const CAPTURES = fixtureCaptures();
const results = new Map<string, AnalysisResult>();

beforeAll(async () => {
  for (const name of CAPTURES) results.set(name, await analyze(fixturePath(name)));
}, 60_000);

function result(name: string): AnalysisResult {
  const r = results.get(name);
  if (r === undefined) throw new Error(`no analysis of ${name}`);
  return r;
}

function truth(name: string): Truth {
  return JSON.parse(readFileSync(join(TRUTH_DIR, `${name.replace(/\.(pcap|pcapng)$/, '')}.json`), 'utf8')) as Truth;
}

/** tshark's POP rows of a capture (frame, stream, command, parameter, indicator, description). */
interface PopRow { frame: number; stream: number; command: string; parameter: string; indicator: string; description: string }
function popRows(name: string): PopRow[] {
  return readTsv(tsharkFile(name, 'pop.tsv')).map((r) => ({
    frame: Number(r['frame.number']), stream: Number(r['tcp.stream']),
    command: r['pop.request.command'] ?? '', parameter: r['pop.request.parameter'] ?? '',
    indicator: r['pop.response.indicator'] ?? '', description: r['pop.response.description'] ?? '',
  }));
}

/** Frames of the rows in one stream whose command (and parameter, if given) match. */
function commandFrames(name: string, stream: number, command: string, parameter?: string): number[] {
  return popRows(name)
    .filter((r) => r.stream === stream && r.command === command && (parameter === undefined || r.parameter === parameter))
    .map((r) => r.frame);
}

/** The first response row after a frame in the same stream. */
function answerAfter(name: string, stream: number, frame: number): PopRow {
  const row = popRows(name).find((r) => r.stream === stream && r.frame > frame && r.indicator !== '');
  if (row === undefined) throw new Error(`no answer after frame ${frame} in ${name}`);
  return row;
}

/** The client port of tshark's tcp.stream k: the source port of the stream's first packet (the SYN). */
function clientPort(name: string, stream: number): number {
  const first = readTsv(tsharkFile(name, 'frames.tsv')).find((r) => Number(r['tcp.stream']) === stream);
  if (first === undefined) throw new Error(`no stream ${stream} in ${name}`);
  return Number(first['tcp.srcport']);
}

/** The tool's session id for tshark's stream k, matched by client port, not by numbering. */
function sessionOf(name: string, stream: number): string {
  const port = clientPort(name, stream);
  const s = result(name).sessions.find((x) => x.client.port === port);
  if (s === undefined) throw new Error(`no session for stream ${stream} of ${name}`);
  return s.id;
}

function findings(r: AnalysisResult, rule: string): Finding[] {
  return r.findings.filter((f) => f.rule === rule);
}

/** `capture#stream` for every truth session the predicate picks: the expected set of a rule. */
function expectedSessions(pick: (s: TruthSession, capture: string, stream: number) => boolean): string[] {
  const out: string[] = [];
  for (const name of CAPTURES) {
    truth(name).sessions.forEach((s, k) => { if (pick(s, name, k)) out.push(`${name}#${sessionOf(name, k)}`); });
  }
  return out.sort();
}

/** `capture#session` for every finding of a rule over all real fixtures. */
function firedSessions(rule: string): string[] {
  return [...new Set(CAPTURES.flatMap((name) => findings(result(name), rule).map((f) => `${name}#${f.session}`)))].sort();
}

const clientLines = (s: TruthSession): string[] => s.lines.filter((l) => l.from === 'client' && l.text !== undefined).map((l) => l.text!);

describe('every rule has a real or synthetic case here', () => {
  it('the registry holds the sixteen rules these tests cover', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([
      'auth-failures', 'cleartext-credentials', 'command-out-of-state', 'deletions-committed', 'deletions-not-committed',
      'incomplete-capture', 'overlong-argument', 'overlong-command', 'overlong-response', 'plaintext-port',
      'protocol-violation', 'stls-offered-not-used', 'stls-rejected', 'unknown-command', 'weak-auth-mechanism', 'weak-tls',
    ]);
  });

  it('every finding on real traffic is one line, names its session and lists frames of that capture', () => {
    for (const name of CAPTURES) {
      const frameCount = readTsv(tsharkFile(name, 'frames.tsv')).length;
      for (const f of result(name).findings) {
        expect(f.message, `${name} ${f.rule}`).not.toMatch(/[\r\n]/);
        if (f.session !== null) expect(f.message).toContain(`session ${f.session} (`);
        for (const frame of f.frames) {
          expect(typeof frame).toBe('number');
          expect(frame as number).toBeGreaterThanOrEqual(1);
          expect(frame as number).toBeLessThanOrEqual(frameCount);
        }
      }
    }
  });
});

describe('cleartext-credentials on real traffic', () => {
  it('fires on user-pass-retr-dele-quit at the PASS frame tshark shows, naming alice', () => {
    const name = 'user-pass-retr-dele-quit.pcap';
    const [f, ...rest] = findings(result(name), 'cleartext-credentials');
    expect(rest).toEqual([]);
    expect(f!.session).toBe(sessionOf(name, 0));
    expect(f!.frames).toEqual(commandFrames(name, 0, 'PASS')); // frame 12
    expect(f!.severity).toBe('high');
    expect(f!.message).toContain('"alice"');
    expect(f!.message).toContain('USER/PASS');
    expect(f!.message).toContain('login success');
  });

  it('points at the base64 answer lines of AUTH LOGIN and AUTH PLAIN, and at the initial response', () => {
    // tshark shows the SASL answers as "commands": the rows after AUTH that are not answers.
    const saslFrames = (name: string): number[] => {
      const rows = popRows(name);
      const auth = rows.find((r) => r.command === 'AUTH')!;
      const done = rows.find((r) => r.frame > auth.frame && r.indicator !== '')!;
      return rows.filter((r) => r.frame > auth.frame && r.frame < done.frame && r.command !== '').map((r) => r.frame);
    };
    const login = findings(result('auth-login.pcap'), 'cleartext-credentials');
    expect(login.map((f) => f.frames)).toEqual([saslFrames('auth-login.pcap')]); // 12, 14
    expect(login[0]!.message).toContain('AUTH LOGIN');
    const plain = findings(result('auth-plain.pcap'), 'cleartext-credentials');
    expect(plain.map((f) => f.frames)).toEqual([saslFrames('auth-plain.pcap')]); // 12
    const ir = findings(result('auth-plain-initial-response.pcap'), 'cleartext-credentials');
    expect(ir.map((f) => f.frames)).toEqual([commandFrames('auth-plain-initial-response.pcap', 0, 'AUTH')]);
    expect(ir[0]!.message).toContain('"carol"');
  });

  it('reports the nine passwords of failed-logins-then-success as one finding with every PASS frame', () => {
    const name = 'failed-logins-then-success.pcap';
    const t = truth(name).sessions[0]!;
    const [f, ...rest] = findings(result(name), 'cleartext-credentials');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual(commandFrames(name, 0, 'PASS'));
    expect(f!.details).toMatchObject({ user: 'alice', attempts: t.failed_attempts! + 1 });
    expect(f!.message).toContain(`${t.failed_attempts} failure, 1 success`);
  });

  it('fires exactly for the plain sessions that sent a password with USER/PASS, AUTH PLAIN or AUTH LOGIN', () => {
    // auth-cancelled's AUTH PLAIN and LOGIN were cancelled before the password: no secret crossed.
    const expected = expectedSessions((s) => s.transport === 'plain' && clientLines(s).some((l, i, all) =>
      /^PASS /.test(l) ||
      /^AUTH PLAIN \S/.test(l) ||
      (/^AUTH (PLAIN|LOGIN)$/.test(l) && all.slice(i + 1).findIndex((x) => x === '*') !== 0 &&
        !(l === 'AUTH LOGIN' && all[i + 2] === '*'))));
    expect(expected.length).toBeGreaterThan(10);
    expect(firedSessions('cleartext-credentials')).toEqual(expected);
    // overlong-lines: the refused 82-character user and then bob, one finding each.
    expect(findings(result('overlong-lines.pcap'), 'cleartext-credentials').map((f) => f.frames)).toEqual(
      commandFrames('overlong-lines.pcap', 0, 'PASS').map((p) => [p]));
  });

  it('stays silent on POP3S, after STLS, and for APOP and CRAM-MD5 digests', () => {
    for (const name of ['pop3s-curl.pcap', 'pop3s-openssl-s-client.pcap', 'stls-curl.pcap', 'stls-poplib.pcap',
      'apop-login.pcap', 'poplib-apop.pcap', 'auth-cram-md5.pcap', 'fetchmail-keep.pcap', 'auth-cancelled.pcap']) {
      expect(findings(result(name), 'cleartext-credentials'), name).toEqual([]);
    }
    // In the sample only the first session (clear USER/PASS) leaks; STLS and POP3S sessions do not.
    expect(findings(result('sample.pcapng'), 'cleartext-credentials').map((f) => f.session)).toEqual([sessionOf('sample.pcapng', 0)]);
  });
});

describe('plaintext-port on real traffic', () => {
  it('fires once for every session the truth records as plain, at the greeting frame', () => {
    expect(firedSessions('plaintext-port')).toEqual(expectedSessions((s) => s.transport === 'plain'));
    const name = 'dele-then-drop.pcap';
    const greetings = popRows(name).filter((r) => r.indicator === '+OK' && /ready/.test(r.description));
    expect(findings(result(name), 'plaintext-port').map((f) => f.frames)).toEqual(greetings.map((g) => [g.frame]));
  });

  it('stays silent on STLS and implicit-TLS sessions', () => {
    for (const name of ['pop3s-curl.pcap', 'pop3s-openssl-s-client.pcap', 'stls-curl.pcap', 'stls-poplib.pcap']) {
      expect(findings(result(name), 'plaintext-port'), name).toEqual([]);
    }
  });
});

describe('stls-offered-not-used on real traffic', () => {
  /** dovecot's CAPA listing as the server sent it (tshark's follow output), STLS among the lines. */
  const capaListsStls = (name: string, stream: number): boolean => {
    const server = followStreams(name).find((f) => f.stream === stream)!.bytes1.toString('latin1');
    return /\r\n\+OK[^\r]*\r\n(?:[^\r]*\r\n)*?STLS\r\n(?:[^\r]*\r\n)*?\.\r\n/.test(server);
  };

  it('fires where CAPA listed STLS and the client logged in in clear, at the CAPA answer and the next command', () => {
    const name = 'user-pass-retr-dele-quit.pcap';
    expect(capaListsStls(name, 0)).toBe(true);
    const capa = commandFrames(name, 0, 'CAPA')[0]!;
    const [f, ...rest] = findings(result(name), 'stls-offered-not-used');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([answerAfter(name, 0, capa).frame, commandFrames(name, 0, 'USER')[0]]); // 8, 9
    expect(f!.message).toContain('USER');
  });

  it('fires exactly for plain sessions whose CAPA listed STLS and that never sent STLS', () => {
    const expected = expectedSessions((s, name, k) =>
      s.transport === 'plain' && clientLines(s).includes('CAPA') && capaListsStls(name, k) && !clientLines(s).includes('STLS'));
    expect(expected).toContain('fetchmail-keep.pcap#1');
    expect(firedSessions('stls-offered-not-used')).toEqual(expected);
  });

  it('stays silent where the client upgraded (stls-*) and where no CAPA was asked (apop-login, dele-then-drop)', () => {
    for (const name of ['stls-curl.pcap', 'stls-poplib.pcap', 'apop-login.pcap', 'dele-then-drop.pcap', 'sample.pcapng']) {
      expect(findings(result(name), 'stls-offered-not-used'), name).toEqual([]);
    }
  });
});

describe('stls-offered-not-used judges the offer made before login (real clients)', () => {
  it('mutt asks CAPA again after its CRAM-MD5 login: the first answer listed STLS, so it fires at that answer and the AUTH', () => {
    const name = 'stls-offered-mutt.pcap';
    const [capa, again] = commandFrames(name, 0, 'CAPA');
    expect(again).toBeGreaterThan(commandFrames(name, 0, 'AUTH')[0]!); // the second CAPA came after the login
    const server = followStreams(name)[0]!.bytes1.toString('latin1');
    const answers = server.split(/\r\n\.\r\n/);
    expect(answers[0]).toMatch(/\r\nSTLS\r\n/); // the pre-login listing offers STLS ...
    expect(answers[1]).not.toMatch(/STLS/); // ... the post-login one does not (RFC 2595 §4)
    const [f, ...rest] = findings(result(name), 'stls-offered-not-used');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([answerAfter(name, 0, capa!).frame, commandFrames(name, 0, 'AUTH')[0]]); // 8, 9
    expect(f!.message).toContain('AUTH');
  });

  it('the same mutt session is not taken for STARTTLS stripping next to a session that upgraded', async () => {
    const r = await analyze([fixturePath('stls-offered-mutt.pcap'), fixturePath('stls-poplib.pcap')]);
    expect(r.sessions).toHaveLength(2);
    expect(findings(r, 'stls-rejected')).toEqual([]);
  });

  it('a client that pipelines CAPA, USER and PASS in one write did not wait for the offer, and still went on in clear', () => {
    const name = 'pipelined-capa-login.pcap';
    const capa = commandFrames(name, 0, 'CAPA')[0]!;
    const answer = answerAfter(name, 0, capa).frame;
    // tshark shows only the first line of the burst (CAPA): the USER line travelled in the same segment.
    const clientPort0 = clientPort(name, 0);
    const clientData = readTsv(tsharkFile(name, 'frames.tsv'))
      .filter((r) => Number(r['tcp.srcport']) === clientPort0 && Number(r['tcp.len']) > 0 && Number(r['frame.number']) < answer);
    expect(clientData.map((r) => Number(r['frame.number']))).toEqual([capa]);
    const [f, ...rest] = findings(result(name), 'stls-offered-not-used');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([capa, answer]); // 6, 8
    expect(f!.message).toContain('USER, sent before the CAPA answer arrived');
  });
});

describe('auth-failures on real traffic', () => {
  /** The -ERR answers to PASS in failed-logins-then-success, with tshark's times. */
  const failures = (): { frame: number; time: number }[] => {
    const name = 'failed-logins-then-success.pcap';
    const times = new Map(readTsv(tsharkFile(name, 'frames.tsv')).map((r) => [Number(r['frame.number']), Number(r['frame.time_epoch'])]));
    return commandFrames(name, 0, 'PASS')
      .map((p) => answerAfter(name, 0, p))
      .filter((a) => a.indicator === '-ERR')
      .map((a) => ({ frame: a.frame, time: times.get(a.frame)! }));
  };

  /** The densest run within `window` seconds, computed here from tshark's times. */
  const densest = (list: { frame: number; time: number }[], window: number) => {
    let best: typeof list = [];
    for (let i = 0; i < list.length; i++) {
      const run = list.filter((x) => x.time >= list[i]!.time && x.time - list[i]!.time <= window);
      if (run.length > best.length) best = run;
    }
    return best;
  };

  it('fires on failed-logins-then-success with the user tried and the refusals inside the 60 s window', () => {
    const all = failures();
    expect(all).toHaveLength(truth('failed-logins-then-success.pcap').sessions[0]!.failed_attempts!); // 8
    const run = densest(all, 60);
    const [f, ...rest] = findings(result('failed-logins-then-success.pcap'), 'auth-failures');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual(run.map((x) => x.frame));
    expect(f!.session).toBe(sessionOf('failed-logins-then-success.pcap', 0));
    expect(f!.details).toMatchObject({ client: '127.0.0.1', failures: run.length, total: all.length, users: ['alice'] });
    const span = Math.round(run[run.length - 1]!.time - run[0]!.time);
    expect(f!.message).toMatch(new RegExp(`^${run.length} failed logins within ${span} s in session ${f!.session} \\(127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:110\\), ${all.length} in the whole capture \\(users tried: "alice"; `));
  });

  it('a wider window from the policy takes in all eight refusals', async () => {
    const all = failures();
    const r = await analyze(fixturePath('failed-logins-then-success.pcap'), {
      policy: { thresholds: { 'auth-failures.window-seconds': 600 } },
    });
    expect(findings(r, 'auth-failures').map((f) => f.frames)).toEqual([all.map((x) => x.frame)]);
  });

  it('stays silent on one failed login (overlong-lines) and everywhere else', () => {
    expect(firedSessions('auth-failures')).toEqual([`failed-logins-then-success.pcap#${sessionOf('failed-logins-then-success.pcap', 0)}`]);
  });
});

describe('weak-auth-mechanism on real traffic', () => {
  it('fires on APOP in apop-login at the APOP command, medium because the connection is clear', () => {
    const name = 'apop-login.pcap';
    const [f, ...rest] = findings(result(name), 'weak-auth-mechanism');
    expect(rest).toEqual([]);
    const apop = commandFrames(name, 0, 'APOP')[0]!;
    expect(f!.frames).toEqual([apop, answerAfter(name, 0, apop).frame]); // 6, 8
    expect(f!.severity).toBe('medium');
    expect(f!.message).toMatch(/^APOP login by user "bob"/);
  });

  it('fires on CRAM-MD5 in auth-cram-md5 from the AUTH command to the server answer', () => {
    const name = 'auth-cram-md5.pcap';
    const [f] = findings(result(name), 'weak-auth-mechanism');
    const auth = commandFrames(name, 0, 'AUTH', 'CRAM-MD5')[0]!;
    expect(f!.frames[0]).toBe(auth);
    expect(f!.frames[f!.frames.length - 1]).toBe(answerAfter(name, 0, auth + 1).frame); // +OK Logged in.
    expect(f!.message).toContain('"carol"');
  });

  it('fires exactly for clear sessions that sent an APOP or CRAM-MD5 digest (not a cancel)', () => {
    const expected = expectedSessions((s) => s.transport === 'plain' && clientLines(s).some((l, i, all) =>
      /^APOP \S+ [0-9a-f]{32}$/.test(l) || (l === 'AUTH CRAM-MD5' && all[i + 1] !== '*')));
    expect(expected).toContain(`sample.pcapng#${sessionOf('sample.pcapng', 3)}`);
    expect(firedSessions('weak-auth-mechanism')).toEqual(expected);
  });

  it('stays silent on a cancelled CRAM-MD5 (auth-cancelled) and on CRAM-MD5 inside TLS (not visible)', () => {
    for (const name of ['auth-cancelled.pcap', 'pop3s-curl.pcap', 'stls-curl.pcap', 'user-pass-retr-dele-quit.pcap']) {
      expect(findings(result(name), 'weak-auth-mechanism'), name).toEqual([]);
    }
  });
});

describe('overlong-command and overlong-argument on overlong-lines.pcap', () => {
  const name = 'overlong-lines.pcap';
  /** The client's lines as sent, from tshark's follow output, with the frame tshark gave each. */
  const lines = (): { text: string; octets: number }[] =>
    followStreams(name)[0]!.bytes0.toString('latin1').split('\r\n').filter((l) => l !== '').map((l) => ({ text: l, octets: l.length + 2 }));

  it('fires overlong-command for the NOOP and LIST lines over 255 octets with CRLF', () => {
    const long = lines().filter((l) => l.octets > 255);
    expect(long.map((l) => l.text.split(' ')[0])).toEqual(['NOOP', 'LIST']);
    const [f, ...rest] = findings(result(name), 'overlong-command');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([commandFrames(name, 0, 'NOOP')[0], commandFrames(name, 0, 'LIST')[0]]); // 18, 21
    expect(f!.details).toMatchObject({ longest: Math.max(...long.map((l) => l.octets)), lines: 2 }); // 305 + CRLF
    expect(f!.severity).toBe('medium');
  });

  it('a policy limit of 300 octets leaves only the NOOP line', async () => {
    const r = await analyze(fixturePath(name), { policy: { thresholds: { 'overlong-command.octets': 300 } } });
    expect(findings(r, 'overlong-command').map((f) => f.frames)).toEqual([commandFrames(name, 0, 'NOOP')]);
  });

  it('fires overlong-argument for the 82-character user name, the NOOP and the LIST argument', () => {
    const userArg = commandFrames(name, 0, 'USER')[0]!;
    const [f, ...rest] = findings(result(name), 'overlong-argument');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([userArg, commandFrames(name, 0, 'NOOP')[0], commandFrames(name, 0, 'LIST')[0]]); // 6, 18, 21
    const longName = popRows(name).find((r) => r.frame === userArg)!.parameter;
    expect(longName).toHaveLength(82);
    expect(f!.message).toContain('first USER with 82');
  });

  it('both stay silent on every other capture (SASL base64 answers and APOP digests are not arguments over 40)', () => {
    expect(firedSessions('overlong-command')).toEqual([`${name}#${sessionOf(name, 0)}`]);
    expect(firedSessions('overlong-argument')).toEqual([`${name}#${sessionOf(name, 0)}`]);
  });
});

describe('a login command after the login is out of state, not a login attempt (user-after-login)', () => {
  const name = 'user-after-login.pcap';
  it('auth[] holds the one login of the truth; the refused USER sybil and PASS are not attempts', () => {
    const s = result(name).sessions[0]!;
    const t = truth(name).sessions[0]!;
    expect(t.failed_attempts).toBe(0);
    expect(s.auth.map((a) => [a.mechanism, a.user, a.outcome])).toEqual([[t.mechanism, t.user, t.outcome]]);
    expect(s.auth[0]!.frames).toContain(commandFrames(name, 0, 'PASS')[0]);
    const late = s.transcript.filter((e) => e.from === 'client' && e.frame > commandFrames(name, 0, 'STAT')[0]! && (e.command === 'USER' || e.command === 'PASS'));
    expect(late.map((e) => [e.frame, e.command, e.notes])).toEqual([
      [commandFrames(name, 0, 'USER')[1], 'USER', ['out-of-state']],
      [commandFrames(name, 0, 'PASS')[1], 'PASS', ['out-of-state']],
    ]);
    expect(findings(result(name), 'auth-failures')).toEqual([]);
  });
  it('the password sent with the refused PASS still crossed in clear: one finding at that frame, apart from the login\'s', () => {
    const found = findings(result(name), 'cleartext-credentials');
    expect(found.map((f) => f.frames)).toEqual([[commandFrames(name, 0, 'PASS')[0]], [commandFrames(name, 0, 'PASS')[1]]]);
    expect(found[1]!.message).toContain('secret argument of PASS sent unencrypted outside a login');
  });
});

describe('command-out-of-state on real traffic', () => {
  const name = 'commands-before-login.pcap';

  it('fires for STAT and RETR before USER in session 0, and for all four pre-login commands in session 1', () => {
    const user = commandFrames(name, 0, 'USER')[0]!;
    const before0 = popRows(name).filter((r) => r.stream === 0 && r.command !== '' && r.frame < user).map((r) => r.frame);
    const before1 = popRows(name).filter((r) => r.stream === 1 && r.command !== '').map((r) => r.frame);
    expect(before0).toEqual([6, 9]);
    const found = findings(result(name), 'command-out-of-state');
    expect(found.map((f) => [f.session, f.frames])).toEqual([[sessionOf(name, 0), before0], [sessionOf(name, 1), before1]]);
    expect(found[0]!.message).toContain('first STAT in AUTHORIZATION, allowed only in TRANSACTION');
  });

  it('fires for USER and PASS sent after the login (user-after-login), which dovecot rejects as unknown there', () => {
    const other = 'user-after-login.pcap';
    const [f, ...rest] = findings(result(other), 'command-out-of-state');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual([commandFrames(other, 0, 'USER')[1], commandFrames(other, 0, 'PASS')[1]]);
  });

  it('stays silent everywhere else', () => {
    expect(firedSessions('command-out-of-state')).toEqual(
      [`${name}#${sessionOf(name, 0)}`, `${name}#${sessionOf(name, 1)}`, `user-after-login.pcap#${sessionOf('user-after-login.pcap', 0)}`].sort());
  });
});

describe('unknown-command on real traffic', () => {
  it('fires for fetchmail\'s LAST (dropped from POP3 by RFC 1939) at the LAST frame', () => {
    const name = 'fetchmail-keep.pcap';
    const [f, ...rest] = findings(result(name), 'unknown-command');
    expect(rest).toEqual([]);
    expect(f!.frames).toEqual(commandFrames(name, 0, 'LAST')); // 17
    expect(f!.details).toEqual({ commands: ['LAST'] });
  });

  it('stays silent on STAT/RETR/LIST/DELE/UIDL/NOOP before login, which dovecot calls "Unknown command" but RFC 1939 defines', () => {
    expect(findings(result('commands-before-login.pcap'), 'unknown-command')).toEqual([]);
    // Both fetchmail recordings send LAST; nothing else fires.
    expect(firedSessions('unknown-command')).toEqual(['extract-fetchmail.pcap', 'fetchmail-keep.pcap'].map((n) => `${n}#${sessionOf(n, 0)}`));
  });
});

describe('protocol-violation on real traffic', () => {
  it('fires on the unsolicited "-ERR Too many invalid bad commands." dovecot sends before hanging up', () => {
    const name = 'commands-before-login.pcap';
    // tshark's row for frame 38 shows only its first line; the stream holds a second -ERR there, before NOOP was sent.
    const server = followStreams(name)[1]!.bytes1.toString('latin1');
    expect(server).toContain('-ERR Unknown command.\r\n-ERR Too many invalid bad commands.\r\n');
    const uidl = commandFrames(name, 1, 'UIDL')[0]!;
    const found = findings(result(name), 'protocol-violation');
    expect(found.map((f) => [f.session, f.frames])).toEqual([[sessionOf(name, 1), [answerAfter(name, 1, uidl).frame]]]);
    expect(found[0]!.message).toContain('response without a command ×1 ("-ERR Too many invalid bad commands.") (frame 38)');
  });

  it('fires on NOOP with an argument and LIST with two (RFC 1939 §5: NOOP takes none, LIST at most one)', () => {
    const name = 'overlong-lines.pcap';
    const [f] = findings(result(name), 'protocol-violation');
    expect(f!.frames).toEqual([commandFrames(name, 0, 'NOOP')[0], commandFrames(name, 0, 'LIST')[0]]);
    expect(f!.message).toContain('wrong number of arguments ×2 (NOOP, LIST)');
  });

  it('stays silent on every other capture, pipelined-burst included', () => {
    expect(firedSessions('protocol-violation')).toEqual([
      `commands-before-login.pcap#${sessionOf('commands-before-login.pcap', 1)}`,
      `overlong-lines.pcap#${sessionOf('overlong-lines.pcap', 0)}`,
    ]);
  });
});

describe('deletions-committed and deletions-not-committed on real traffic', () => {
  it('deletions-committed names messages 2 and 5 of user-pass-retr-dele-quit (DELE 1 was reset) with their DELE frames and the QUIT answer', () => {
    const name = 'user-pass-retr-dele-quit.pcap';
    const t = truth(name).sessions[0]!;
    const [f, ...rest] = findings(result(name), 'deletions-committed');
    expect(rest).toEqual([]);
    const numbers = (f!.details!.deleted as { number: number }[]).map((d) => d.number);
    expect(numbers).toEqual(t.deleted); // [2, 5]
    const dele = t.deleted.map((n) => commandFrames(name, 0, 'DELE', String(n))[0]!);
    expect(f!.frames.slice(0, 2)).toEqual(dele); // 59, 62
    expect(f!.frames).not.toContain(commandFrames(name, 0, 'DELE', '1')[0]);
    expect(f!.message).toContain('2 messages of user "alice" deleted, committed by QUIT');
  });

  it('deletions-committed fires exactly for clear sessions the truth records as deleted and committed', () => {
    // Deletions inside TLS (stls-poplib, pop3s-openssl-s-client, sample's POP3S session) cannot be seen.
    const expected = expectedSessions((s) => s.transport === 'plain' && s.committed && s.deleted.length > 0);
    expect(firedSessions('deletions-committed')).toEqual(expected);
    for (const name of CAPTURES) {
      for (const f of findings(result(name), 'deletions-committed')) {
        const k = truth(name).sessions.findIndex((_, i) => sessionOf(name, i) === f.session);
        expect((f.details!.deleted as { number: number }[]).map((d) => d.number), name).toEqual(truth(name).sessions[k]!.deleted);
      }
    }
  });

  it('deletions-not-committed fires on dele-then-drop session 0 (dropped without QUIT) for DELE 1 and 2', () => {
    const name = 'dele-then-drop.pcap';
    const t = truth(name).sessions[0]!;
    expect(t.ended).toBe('client-drop');
    const found = findings(result(name), 'deletions-not-committed');
    expect(found).toHaveLength(1);
    expect(found[0]!.session).toBe(sessionOf(name, 0));
    expect(found[0]!.frames).toEqual(commandFrames(name, 0, 'DELE'));
    expect((found[0]!.details!.deleted as { number: number }[]).map((d) => d.number)).toEqual(t.deleted);
    // The client closed the connection without QUIT: a FIN, said in words.
    expect(found[0]!.message).toContain('DELE of 2 messages of user "carol" not committed, the connection was closed (FIN) without an accepted QUIT: #1, #2');
    // The second session proves nothing was deleted: STAT still shows all three messages.
    expect(popRows(name).filter((r) => r.stream === 1 && r.indicator === '+OK').map((r) => r.description)).toContain('3 1132');
    expect(findings(result(name), 'deletions-committed')).toEqual([]);
  });

  it('deletions-not-committed stays silent everywhere else', () => {
    expect(firedSessions('deletions-not-committed')).toEqual(
      expectedSessions((s) => s.transport === 'plain' && !s.committed && s.deleted.length > 0));
  });
});

describe('the session line printed above the findings agrees with the truth', () => {
  it('counts retrieved and deleted messages as the clients saw them (TOP 1 then RETR 1 is one message)', () => {
    const colors = makeColors({ color: false, stream: {} });
    for (const name of CAPTURES) {
      truth(name).sessions.forEach((t, k) => {
        if (t.transport !== 'plain') return;
        const s = result(name).sessions.find((x) => x.id === sessionOf(name, k))!;
        expect(sessionSummaryLine(s, colors), `${name} stream ${k}`)
          .toContain(`retrieved ${new Set(t.retrieved).size} deleted ${t.deleted.length}`);
      });
    }
  });
});

describe('rules real clients and dovecot never trigger stay silent on every real capture', () => {
  for (const rule of ['stls-rejected', 'weak-tls', 'overlong-response', 'incomplete-capture']) {
    it(rule, () => expect(firedSessions(rule)).toEqual([]));
  }
  it('the TLS sessions were seen (TLS 1.3, so weak-tls has something to judge)', () => {
    for (const name of ['pop3s-curl.pcap', 'pop3s-openssl-s-client.pcap', 'stls-curl.pcap', 'stls-poplib.pcap']) {
      expect(result(name).sessions[0]!.tls?.version, name).toBe('TLS 1.3');
    }
  });
});

// ---- Synthetic captures, for what real tools will not produce ----

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pop3scope-rules-')); });
afterAll(() => { if (dir !== '') rmSync(dir, { recursive: true, force: true }); });

async function analyzeTurns(sessions: { turns: Turn[]; opts?: Parameters<typeof conversation>[1] }[]): Promise<AnalysisResult> {
  const packets = sessions.flatMap((s, i) => conversation(s.turns, { clientPort: 40000 + i, start: 1_700_000_000 + i * 10, ...s.opts }));
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(file, writePcap(packets));
  return analyze(file);
}

const GREETING = '+OK POP3 ready\r\n';
const CAPA_STLS = '+OK\r\nTOP\r\nUIDL\r\nSTLS\r\nSASL PLAIN\r\n.\r\n';
const CAPA_NO_STLS = '+OK\r\nTOP\r\nUIDL\r\nSASL PLAIN\r\n.\r\n';

describe('stls-rejected (synthetic: dovecot never refuses STLS)', () => {
  it('fires on STLS answered -ERR, at that answer', async () => {
    const r = await analyzeTurns([{ turns: [
      { from: 'server', data: GREETING }, { from: 'client', data: 'STLS\r\n' }, { from: 'server', data: '-ERR TLS not available\r\n' },
      { from: 'client', data: 'QUIT\r\n' }, { from: 'server', data: '+OK\r\n' },
    ] }]);
    // Frames: 1-3 handshake, 4 greeting, 5 STLS, 6 -ERR.
    const found = findings(r, 'stls-rejected');
    expect(found.map((f) => f.frames)).toEqual([[6]]);
    expect(found[0]!.severity).toBe('high');
    expect(found[0]!.message).toContain('"TLS not available"');
  });

  it('fires on a CAPA without STLS from a server that listed STLS in another session (stripping)', async () => {
    const session = (capa: string): { turns: Turn[] } => ({ turns: [
      { from: 'server', data: GREETING }, { from: 'client', data: 'CAPA\r\n' }, { from: 'server', data: capa },
      { from: 'client', data: 'QUIT\r\n' }, { from: 'server', data: '+OK\r\n' },
    ] });
    const r = await analyzeTurns([session(CAPA_STLS), session(CAPA_NO_STLS)]);
    const found = findings(r, 'stls-rejected');
    expect(found).toHaveLength(1);
    const stripped = r.sessions.find((s) => s.client.port === 40001)!;
    const offering = r.sessions.find((s) => s.client.port === 40000)!;
    expect(found[0]!.session).toBe(stripped.id);
    // The first session takes frames 1-11 (3 handshake, 5 data, 3 close); the second's CAPA answer is 11 + 6.
    expect(found[0]!.frames).toEqual([17]);
    expect(found[0]!.message).toContain(`offered it in session ${offering.id}`);
  });

  it('stays silent when both sessions list STLS, or none does', async () => {
    const session = (capa: string): { turns: Turn[] } => ({ turns: [
      { from: 'server', data: GREETING }, { from: 'client', data: 'CAPA\r\n' }, { from: 'server', data: capa },
    ] });
    expect(findings(await analyzeTurns([session(CAPA_STLS), session(CAPA_STLS)]), 'stls-rejected')).toEqual([]);
    expect(findings(await analyzeTurns([session(CAPA_NO_STLS), session(CAPA_NO_STLS)]), 'stls-rejected')).toEqual([]);
  });
});

describe('weak-tls (synthetic: the fixtures\' OpenSSL 3 negotiates only TLS 1.2+)', () => {
  const TLS10 = 0x0301;
  const TLS12 = 0x0303;
  const hello = (version: number, suite: number): Turn[] => [
    { from: 'client', data: record(22, TLS10, handshake(1, clientHelloBody({ version, suites: [suite] }))) },
    { from: 'server', data: record(22, version, handshake(2, serverHelloBody({ version, suite }))) },
  ];

  it('fires high on a POP3S ServerHello choosing TLS 1.0 with TLS_RSA_WITH_RC4_128_SHA (RFC 8996, RFC 7465)', async () => {
    const r = await analyzeTurns([{ turns: hello(TLS10, 0x0005), opts: { serverPort: 995 } }]);
    const [f, ...rest] = findings(r, 'weak-tls');
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.message).toContain('TLS 1.0 negotiated');
    expect(f!.message).toContain('TLS_RSA_WITH_RC4_128_SHA');
    expect(f!.frames).toEqual([4]); // the ClientHello after the handshake
  });

  it('fires medium on TLS 1.0 with an AES-CBC suite', async () => {
    const r = await analyzeTurns([{ turns: hello(TLS10, 0x002f), opts: { serverPort: 995 } }]);
    expect(findings(r, 'weak-tls').map((f) => f.severity)).toEqual(['medium']);
  });

  it('stays silent on TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256', async () => {
    const r = await analyzeTurns([{ turns: hello(TLS12, 0xc02f), opts: { serverPort: 995 } }]);
    expect(r.sessions[0]!.tls?.version).toBe('TLS 1.2');
    expect(findings(r, 'weak-tls')).toEqual([]);
  });
});

describe('overlong-response (synthetic: dovecot keeps its lines short)', () => {
  // RFC 2449 §4: 512 octets including CRLF.
  const greeting = (octets: number): string => `+OK ${'x'.repeat(octets - 6)}\r\n`;

  it('fires on a 513-octet greeting', async () => {
    const r = await analyzeTurns([{ turns: [{ from: 'server', data: greeting(513) }] }]);
    const found = findings(r, 'overlong-response');
    expect(found.map((f) => [f.frames, f.details?.longest])).toEqual([[[4], 513]]);
  });

  it('stays silent on a 512-octet greeting', async () => {
    const r = await analyzeTurns([{ turns: [{ from: 'server', data: greeting(512) }] }]);
    expect(findings(r, 'overlong-response')).toEqual([]);
  });
});

describe('protocol-violation (synthetic framing faults)', () => {
  it('fires on a bare-LF line and a multi-line answer cut off by the server\'s close', async () => {
    const r = await analyzeTurns([{ turns: [
      { from: 'server', data: '+OK ready\n' },
      { from: 'client', data: 'CAPA\r\n' }, { from: 'server', data: '+OK\r\nTOP\r\n' },
    ] }]);
    const [f] = findings(r, 'protocol-violation');
    expect(f!.message).toContain('line ended by LF without CR');
    expect(f!.message).toContain('multi-line answer without its final "."');
  });
});

describe('incomplete-capture on real traffic with parts removed', () => {
  /** Drops frames (1-based) from a classic pcap: 24-octet file header, 16-octet record headers (pcap-savefile(5)). */
  function withoutFrames(name: string, drop: Set<number>): string {
    const buf = readFileSync(fixturePath(name));
    const parts = [buf.subarray(0, 24)];
    let off = 24;
    for (let frame = 1; off < buf.length; frame++) {
      const incl = buf.readUInt32LE(off + 8);
      if (!drop.has(frame)) parts.push(buf.subarray(off, off + 16 + incl));
      off += 16 + incl;
    }
    const file = join(dir, `cut-${[...drop].join('-')}-${name}`);
    writeFileSync(file, Buffer.concat(parts));
    return file;
  }

  it('fires on user-pass-retr-dele-quit without frame 43 (a segment of the RETR 3 answer), naming the lost octets', async () => {
    const name = 'user-pass-retr-dele-quit.pcap';
    const frames = readTsv(tsharkFile(name, 'frames.tsv'));
    const lost = Number(frames.find((r) => r['frame.number'] === '43')!['tcp.len']);
    expect(lost).toBeGreaterThan(0);
    const r = await analyze(withoutFrames(name, new Set([43])));
    const [f, ...rest] = findings(r, 'incomplete-capture');
    expect(rest).toEqual([]);
    expect(f!.details).toMatchObject({ midstream: false, gaps: 1, missingOctets: lost });
    expect(f!.message).toContain(`${lost} bytes from the server in 1 gap`);
  });

  it('fires on a capture that starts after the handshake (frames 1-3 of apop-login removed)', async () => {
    const r = await analyze(withoutFrames('apop-login.pcap', new Set([1, 2, 3])));
    const [f] = findings(r, 'incomplete-capture');
    expect(f!.details).toMatchObject({ midstream: true });
    expect(f!.message).toContain('connection open before the capture');
  });

  it('fires on a synthetic mid-stream pickup and stays silent on the same conversation captured whole', async () => {
    const turns: Turn[] = [{ from: 'client', data: 'STAT\r\n' }, { from: 'server', data: '+OK 1 100\r\n' }];
    expect(findings(await analyzeTurns([{ turns, opts: { noHandshake: true } }]), 'incomplete-capture')).toHaveLength(1);
    expect(findings(await analyzeTurns([{ turns: [{ from: 'server', data: GREETING }, ...turns] }]), 'incomplete-capture')).toEqual([]);
  });
});
