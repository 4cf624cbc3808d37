import { describe, it, expect } from 'vitest';
import { PLAIN, makeColors } from '../../src/report/colors.js';
import type { Glossary } from '../../src/report/glossary.js';
import { renderAnalysis, renderCheckSummary, renderSessionsTable, renderTranscript } from '../../src/report/text.js';
import { HOSTILE_ESCAPED, PASSWORD, plainSession, sampleResult } from './sample-result.js';

const colors = PLAIN;

/** A small glossary of the test's own, so the expected words do not come from the code under test. */
const GLOSSARY: Glossary = {
  command: (k) => (k === 'USER' ? { meaning: 'names the mailbox', rfc: 'RFC 1939 §7' } : undefined),
  responseCode: (c) => (c === 'IN-USE' ? { meaning: 'mailbox locked elsewhere', rfc: 'RFC 2449 §8.1.1' } : undefined),
};

function allTextViews(): string[] {
  const r = sampleResult();
  return [
    renderAnalysis(r, { colors }),
    renderAnalysis(r, { colors, verbose: true }),
    renderSessionsTable(r, { colors }),
    renderTranscript(r, { colors }),
    renderTranscript(r, { colors, explain: true, bodies: true, glossary: GLOSSARY }),
    renderTranscript(r, { colors, explain: true, bodies: true }),
    renderCheckSummary(r, 'info', { colors }),
  ];
}

describe('hostile captured text', () => {
  it('never reaches the terminal raw from any text view', () => {
    for (const out of allTextViews()) {
      expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/); // newline is the only control the views write
      expect(out).not.toContain('\u009b');
    }
  });

  it('shows the escaped form where the captured text appears', () => {
    const r = sampleResult();
    expect(renderTranscript(r, { colors })).toContain(`S← +OK ${HOSTILE_ESCAPED}`); // greeting
    expect(renderSessionsTable(r, { colors })).toContain(HOSTILE_ESCAPED); // user name of session 2
    expect(renderAnalysis(r, { colors })).toContain(`password for ${HOSTILE_ESCAPED} sent in clear text`);
    expect(renderCheckSummary(r, 'high', { colors })).toContain(`password for ${HOSTILE_ESCAPED} sent in clear text`);
    expect(renderTranscript(r, { colors, bodies: true })).toContain('Numbers \\x1b[31mred');
  });

  it('never prints the raw line of an entry marked secret, whatever the options', () => {
    for (const out of allTextViews()) expect(out).not.toContain(PASSWORD);
    const r = sampleResult();
    const shown = renderTranscript(r, { colors, showSecrets: true });
    expect(shown).not.toContain(PASSWORD);
    expect(renderTranscript(r, { colors })).toContain('C→ PASS [redacted]');
  });

  it('keeps what upstream left visible of a partly redacted argument', () => {
    const r = sampleResult();
    r.sessions[0]!.transcript[3] = { ...r.sessions[0]!.transcript[3]!, command: 'APOP', argument: 'bob [redacted]' };
    expect(renderTranscript(r, { colors })).toContain('C→ APOP bob [redacted]');
  });

  it('prints [redacted] for a secret entry even if the model holds a clear argument, unless showSecrets', () => {
    const r = sampleResult();
    r.sessions[0]!.transcript[3]!.argument = 'clear-pw';
    expect(renderTranscript(r, { colors })).not.toContain('clear-pw');
    expect(renderTranscript(r, { colors, showSecrets: true })).toContain('C→ PASS clear-pw');
  });
});

describe('renderAnalysis', () => {
  const out = renderAnalysis(sampleResult(), { colors });
  const lines = out.split('\n');

  it('summarises each session on one line', () => {
    expect(lines).toContain('  #1 127.0.0.1:40248 → 127.0.0.1:110  plain  alice USER success  retrieved 2 deleted 1 committed');
    // Nothing inside TLS is decrypted: the line says so and gives the handshake facts instead of counts.
    expect(out).toContain('#3 127.0.0.1:40248 → 127.0.0.1:995  implicit-tls  login and mail inside TLS (TLS 1.3, TLS_AES_256_GCM_SHA384)  ended fin');
  });

  it('describes the capture: path, format, packets, link types, span, skipped, warnings', () => {
    expect(lines[0]).toBe(
      'fixtures/sample.pcapng  pcapng, ns  120 packets  ETHERNET  2026-11-26T10:00:00.000000000Z → 2026-11-26T10:00:06.000000000Z (6.000 s)  damaged',
    );
    expect(lines[1]).toBe('  skipped: non-tcp 3');
    expect(lines[2]).toBe('  warning truncated-record (frame 120, offset 23990): record cut short');
  });

  it('groups findings by severity, highest first, then by session', () => {
    const at = (s: string) => out.indexOf(s);
    expect(at('HIGH (1)')).toBeGreaterThan(0);
    expect(at('HIGH (1)')).toBeLessThan(at('MEDIUM (2)'));
    expect(at('MEDIUM (2)')).toBeLessThan(at('INFO (2)'));
    // Within MEDIUM, session 2's finding comes before session 3's although it was listed later.
    expect(at('[session #2, frame 35]')).toBeLessThan(at('[session #3, frame 40]'));
    // Within INFO, the sessionless finding comes last.
    expect(at('no deletions')).toBeLessThan(at('client never asked CAPA'));
  });

  it('prints a rule’s remediation once, or under every finding when verbose', () => {
    expect(out.split('fix: Disable old TLS versions.').length - 1).toBe(1);
    const verbose = renderAnalysis(sampleResult(), { colors, verbose: true });
    expect(verbose.split('fix: Disable old TLS versions.').length - 1).toBe(2);
  });

  it('ends with the total', () => {
    expect(lines[lines.length - 2]).toBe('3 sessions, 5 findings: 1 high, 2 medium, 2 info');
    const none = sampleResult();
    none.sessions = [plainSession()];
    none.findings = [];
    expect(renderAnalysis(none, { colors }).trimEnd().split('\n').pop()).toBe('1 session, 0 findings');
  });
});

describe('renderSessionsTable', () => {
  const lines = renderSessionsTable(sampleResult(), { colors }).trimEnd().split('\n');

  it('has a header and one row per session', () => {
    expect(lines).toHaveLength(4);
    expect(lines[0]!.split(/\s+/)).toEqual(
      ['id', 'client', 'server', 'transport', 'user', 'auth', 'outcome', 'retrieved', 'deleted', 'committed', 'ended', 'start'],
    );
  });

  it('aligns the columns', () => {
    // Every left-aligned column starts at the same offset in each row as its title in the header.
    const start = lines[0]!.indexOf('start');
    const transport = lines[0]!.indexOf('transport');
    expect(lines[1]!.indexOf('2026-11-26T10:00:00.000000000Z')).toBe(start);
    expect(lines[3]!.indexOf('2026-11-26T10:00:05.000000000Z')).toBe(start);
    expect(lines[1]!.slice(transport).startsWith('plain ')).toBe(true);
    expect(lines[3]!.slice(transport).startsWith('implicit-tls ')).toBe(true);
    // Numbers are right-aligned: the "retrieved" count ends where its title ends.
    const retrievedEnd = lines[0]!.indexOf('retrieved') + 'retrieved'.length;
    expect(lines[1]![retrievedEnd - 1]).toBe('2');
    expect(lines[2]![retrievedEnd - 1]).toBe('0');
  });

  it('shows the facts of a row', () => {
    expect(lines[1]!.trim().split(/\s{2,}/)).toEqual(
      ['1', '127.0.0.1:40248', '127.0.0.1:110', 'plain', 'alice', 'USER', 'success', '2', '1', 'yes', 'quit', '2026-11-26T10:00:00.000000000Z'],
    );
  });
});

describe('renderTranscript', () => {
  const r = sampleResult();
  const out = renderTranscript(r, { colors });
  const session1 = out.split('\n\n')[0]!.split('\n');

  it('puts frame and seconds since the session start in the left column', () => {
    expect(session1[0]).toBe('session #1  127.0.0.1:40248 → 127.0.0.1:110  plain  2026-11-26T10:00:00.000000000Z');
    expect(session1[1]).toBe('frame   time');
    expect(session1).toContain('    4  0.001  S← +OK ' + HOSTILE_ESCAPED);
    // 10:00:00.012345678 - 10:00:00.000000000 = 0.012345678 s, printed with 3 decimals.
    expect(session1).toContain('    6  0.012  C→ USER alice');
    expect(session1).toContain('   12  1.000  C→ RETR 1');
    expect(session1[session1.length - 1]).toBe('ended: quit after 2.500 s');
  });

  it('folds multi-line data into one line', () => {
    expect(session1).toContain('   15  1.100  S← +OK 18200 octets');
    expect(session1).toContain(' '.repeat(17) + 'RETR data: 18.2 KB, 214 lines, From: Bob <bob@example.org>, Subject: Quarterly report');
    expect(out).not.toContain('Numbers');
  });

  it('shows the response code once, in brackets', () => {
    expect(session1).toContain('   20  2.010  S← -ERR [IN-USE] mailbox locked');
  });

  it('prints the data itself with bodies', () => {
    const withBodies = renderTranscript(r, { colors, bodies: true });
    expect(withBodies).toContain('│ Subject: Quarterly report\n');
    expect(withBodies).toContain('│ Numbers \\x1b[31mred\n');
  });

  it('shows the TLS hand-over as one line of handshake facts, after the STLS +OK', () => {
    const session2 = out.split('\n\n')[1]!.split('\n');
    const tls = session2.findIndex((l) => l.includes('TLS TLS 1.3'));
    expect(session2[tls]).toBe('   35         TLS TLS 1.3  TLS_AES_256_GCM_SHA384  SNI mail.example.org  ALPN pop3  encrypted C→ 1.2 KB, S← 3.4 KB');
    expect(session2[tls - 1]).toContain('S← +OK Begin TLS negotiation now.');
    const session3 = out.split('\n\n')[2]!.split('\n');
    expect(session3[2]).toContain('TLS TLS 1.3  TLS_AES_256_GCM_SHA384  SNI -  ALPN -');
  });

  it('explains commands and response codes from the glossary', () => {
    const explained = renderTranscript(r, { colors, explain: true, glossary: GLOSSARY }).split('\n');
    const user = explained.indexOf('    6  0.012  C→ USER alice');
    expect(explained[user + 1]).toBe(' '.repeat(17) + '↳ USER: names the mailbox (RFC 1939 §7)');
    const inUse = explained.indexOf('   20  2.010  S← -ERR [IN-USE] mailbox locked');
    expect(explained[inUse + 1]).toBe(' '.repeat(17) + '↳ [IN-USE]: mailbox locked elsewhere (RFC 2449 §8.1.1)');
    expect(out).not.toContain('↳');
  });

  it('explains from the pop3 tables by default', () => {
    const explained = renderTranscript(r, { colors, explain: true });
    expect(explained).toMatch(/↳ USER: .+ \(RFC 1939 §7\)/);
    expect(explained).toMatch(/↳ \[IN-USE\]: .+ \(RFC 2449 §8\.1\.1\)/);
  });
});

describe('renderCheckSummary', () => {
  it('fails with the findings at or above the threshold, highest first', () => {
    const lines = renderCheckSummary(sampleResult(), 'medium', { colors }).trimEnd().split('\n');
    expect(lines[0]).toBe('FAIL: 3 findings at or above medium (1 high, 2 medium) in 3 sessions');
    expect(lines[1]).toMatch(/^  high {5}cleartext-credentials  password for/);
    expect(lines[2]).toBe('  medium   weak-tls  TLS 1.0 record version  [session #3, frame 40]');
    expect(lines[3]).toBe('  medium   weak-tls  TLS 1.0 record version  [session #2, frame 35]');
    expect(lines[4]).toBe('  below the threshold: 2 info');
    expect(lines[5]).toBe('  input damaged: fixtures/sample.pcapng (analysed as far as it could be read)');
  });

  it('passes when nothing reaches the threshold', () => {
    const r = sampleResult();
    r.findings = r.findings.filter((f) => f.severity !== 'high');
    expect(renderCheckSummary(r, 'high', { colors }).split('\n')[0]).toBe('PASS: no findings at or above high in 3 sessions');
  });
});

describe('colour in the text views', () => {
  it('writes no escape sequences for a stream that is not a terminal', () => {
    const off = makeColors({ stream: { isTTY: false }, env: {} });
    const r = sampleResult();
    for (const out of [renderAnalysis(r, { colors: off }), renderTranscript(r, { colors: off }), renderCheckSummary(r, 'low', { colors: off })]) {
      expect(out).not.toContain('\x1b');
    }
  });

  it('writes none with NO_COLOR even on a terminal', () => {
    const off = makeColors({ stream: { isTTY: true }, env: { NO_COLOR: '1' } });
    expect(renderAnalysis(sampleResult(), { colors: off })).not.toContain('\x1b');
  });

  it('colours severities, and only the view’s own escapes appear, on a terminal', () => {
    const on = makeColors({ stream: { isTTY: true }, env: {} });
    const out = renderAnalysis(sampleResult(), { colors: on });
    expect(out).toContain('\x1b[');
    expect(out).toContain(HOSTILE_ESCAPED.replace('\\x1b', '\\x1b')); // still escaped inside colour
    expect(out).not.toContain('\x1b[2J');
  });
});

describe('renderTranscript gaps', () => {
  it('marks a hole in the capture before the first entry completed after it', () => {
    const r = sampleResult();
    r.sessions = [r.sessions[0]!];
    r.sessions[0]!.gaps = [{ direction: 'server', offset: 4000, length: 1460, frame: 14 }];
    const lines = renderTranscript(r, { colors }).split('\n');
    const gap = lines.indexOf('   14         ⋯ 1.5 KB from the server missing from the capture');
    expect(gap).toBeGreaterThan(0);
    expect(lines[gap - 1]).toBe('   12  1.000  C→ RETR 1');
    expect(lines[gap + 1]).toBe('   15  1.100  S← +OK 18200 octets');
    expect(lines[0]).toContain('1 gap');
  });
});
