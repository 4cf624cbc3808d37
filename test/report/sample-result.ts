/**
 * Hand-built AnalysisResult objects for the report tests. The values are
 * invented but consistent: session 1 is a plain login that retrieved two
 * messages and deleted one; session 2 upgraded with STLS; session 3 spoke
 * implicit TLS on 995. Hostile text (escape sequences, bidi override) sits in
 * the places each text view prints, and one PASS line carries its password in
 * `raw`, which no output may print.
 */
import type { AnalysisResult, Finding, SessionOut } from '../../src/model.js';

export const PASSWORD = 'hunter2-secret';
/** Clears the screen, rings the bell, flips the text direction. */
export const HOSTILE = 'Evil \x1b[2J\x07 \u202eFDP.exe';
export const HOSTILE_ESCAPED = 'Evil \\x1b[2J\\x07 \\u{202e}FDP.exe';

export function plainSession(): SessionOut {
  return {
    id: '1',
    client: { ip: '127.0.0.1', port: 40248 },
    server: { ip: '127.0.0.1', port: 110 },
    start: '2026-11-26T10:00:00.000000000Z',
    end: '2026-11-26T10:00:02.500000000Z',
    ended: 'quit',
    transport: 'plain',
    midstream: false,
    bytes: { client: 120, server: 19_000 },
    gaps: [],
    anomalies: [],
    greeting: { text: HOSTILE, apopTimestamp: null, frame: 4 },
    capabilities: null,
    saslMechanisms: [],
    user: 'alice',
    auth: [
      { mechanism: 'USER', user: 'alice', outcome: 'success', secret: '[redacted]', encrypted: false, frames: [6, 9, 11], time: '2026-11-26T10:00:00.020000000Z' },
    ],
    tls: null,
    messages: {
      listed: [{ number: 1, octets: 18_200 }, { number: 2, octets: 700 }],
      retrieved: [
        { number: 1, command: 'RETR', octets: 18_200, lines: 214, subject: 'Quarterly report', frames: [14, 15] },
        { number: 2, command: 'RETR', octets: 700, lines: 12, frames: [18] },
      ],
      deleted: [2],
      deletedDetails: [{ number: 2, frame: 20 }],
      committed: true,
    },
    state: 'UPDATE',
    events: {},
    transcript: [
      { frame: 4, time: '2026-11-26T10:00:00.001000000Z', from: 'server', status: '+OK', text: HOSTILE },
      { frame: 6, time: '2026-11-26T10:00:00.012345678Z', from: 'client', command: 'USER', argument: 'alice', state: 'AUTHORIZATION' },
      { frame: 8, time: '2026-11-26T10:00:00.013000000Z', from: 'server', status: '+OK', text: '', answers: 'USER' },
      {
        frame: 9, time: '2026-11-26T10:00:00.020000000Z', from: 'client', command: 'PASS', argument: '[redacted]',
        secret: true, raw: `PASS ${PASSWORD}`, length: 5 + PASSWORD.length, state: 'AUTHORIZATION',
      },
      { frame: 11, time: '2026-11-26T10:00:00.250000000Z', from: 'server', status: '+OK', text: 'Logged in.', answers: 'PASS' },
      { frame: 12, time: '2026-11-26T10:00:01.000000000Z', from: 'client', command: 'RETR', argument: '1', state: 'TRANSACTION' },
      {
        frame: 15, frames: [13, 14, 15], time: '2026-11-26T10:00:01.100000000Z', from: 'server', status: '+OK', text: '18200 octets', answers: 'RETR',
        data: {
          octets: 18_200, lines: 214, complete: true, firstFrame: 14, lastFrame: 15,
          headers: { from: 'Bob <bob@example.org>', subject: 'Quarterly report' },
          body: 'From: Bob <bob@example.org>\r\nSubject: Quarterly report\r\n\r\nNumbers \x1b[31mred\r\n',
        },
      },
      { frame: 19, time: '2026-11-26T10:00:02.000000000Z', from: 'client', command: 'DELE', argument: '2', state: 'TRANSACTION' },
      { frame: 20, time: '2026-11-26T10:00:02.010000000Z', from: 'server', status: '-ERR', code: 'IN-USE', text: 'mailbox locked', answers: 'DELE' },
      { frame: 21, time: '2026-11-26T10:00:02.400000000Z', from: 'client', command: 'QUIT', state: 'TRANSACTION' },
      { frame: 22, time: '2026-11-26T10:00:02.500000000Z', from: 'server', status: '+OK', text: 'Bye', answers: 'QUIT' },
    ],
  };
}

export function stlsSession(): SessionOut {
  return {
    ...plainSession(),
    id: '2',
    client: { ip: '127.0.0.1', port: 40250 },
    start: '2026-11-26T10:00:05.000000000Z',
    end: '2026-11-26T10:00:06.000000000Z',
    ended: 'fin',
    transport: 'stls',
    greeting: { text: 'ready', apopTimestamp: null, frame: 30 },
    user: HOSTILE,
    auth: [],
    tls: {
      startFrame: 35, recordVersion: 'TLS 1.0', clientVersions: ['TLS 1.3', 'TLS 1.2'], version: 'TLS 1.3',
      cipherSuite: 'TLS_AES_256_GCM_SHA384', cipherSuiteId: 0x1302, sni: 'mail.example.org', alpn: ['pop3'],
      encryptedBytes: { client: 1200, server: 3400 }, alerts: [], decryption: 'no-keys', decryptionReason: 'no key log was given (--keylog, or a pcapng with embedded secrets)',
    },
    messages: { listed: [], retrieved: [], deleted: [], deletedDetails: [], committed: false },
    state: 'AUTHORIZATION',
    transcript: [
      { frame: 30, time: '2026-11-26T10:00:05.001000000Z', from: 'server', status: '+OK', text: 'ready' },
      { frame: 32, time: '2026-11-26T10:00:05.010000000Z', from: 'client', command: 'STLS', state: 'AUTHORIZATION' },
      { frame: 34, time: '2026-11-26T10:00:05.020000000Z', from: 'server', status: '+OK', text: 'Begin TLS negotiation now.', answers: 'STLS' },
    ],
  };
}

export function implicitTlsSession(): SessionOut {
  return {
    ...stlsSession(),
    id: '3',
    client: { ip: '127.0.0.1', port: 40248 },
    server: { ip: '127.0.0.1', port: 995 },
    transport: 'implicit-tls',
    greeting: null,
    user: null,
    tls: { ...stlsSession().tls!, startFrame: 40, sni: null, alpn: [] },
    transcript: [],
  };
}

export function sampleFindings(): Finding[] {
  return [
    { rule: 'deletion-not-committed', severity: 'info', session: '2', frames: [40], message: 'no deletions', remediation: 'Nothing to do.', fingerprint: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
    { rule: 'cleartext-credentials', severity: 'high', session: '1', frames: [6, 9], message: `password for ${HOSTILE} sent in clear text`, remediation: 'Require STLS before login.', fingerprint: '1b2c3d4e5f60718293a4b5c6d7e8f90a' },
    { rule: 'weak-tls', severity: 'medium', session: '3', frames: [40], message: 'TLS 1.0 record version', remediation: 'Disable old TLS versions.', fingerprint: '2c3d4e5f60718293a4b5c6d7e8f90a1b' },
    { rule: 'weak-tls', severity: 'medium', session: '2', frames: [35], message: 'TLS 1.0 record version', remediation: 'Disable old TLS versions.', fingerprint: '2c3d4e5f60718293a4b5c6d7e8f90a1b' },
    { rule: 'capabilities-not-checked', severity: 'info', session: null, frames: [], message: 'client never asked CAPA', remediation: 'Ask CAPA first.', fingerprint: '3d4e5f60718293a4b5c6d7e8f90a1b2c' },
  ];
}

export function sampleResult(): AnalysisResult {
  return {
    schemaVersion: 1,
    tool: { name: 'pop3scope', version: '0.1.0' },
    captures: [
      {
        path: 'fixtures/sample.pcapng', format: 'pcapng', compression: null, timestampPrecision: 'ns', linkTypes: ['ETHERNET'],
        packets: 120, first: '2026-11-26T10:00:00.000000000Z', last: '2026-11-26T10:00:06.000000000Z', bytes: 24_000,
        skipped: { 'non-tcp': 3 }, warnings: [{ code: 'truncated-record', message: 'record cut short', offset: 23_990, frame: 120 }], damaged: true,
      },
    ],
    sessions: [plainSession(), stlsSession(), implicitTlsSession()],
    findings: sampleFindings(),
    limits: {},
  };
}
