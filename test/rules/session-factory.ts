/**
 * Small builders for SessionOut objects, so each rule test states only the
 * facts it is about. Defaults describe an ordinary, complete, TLS-less session
 * with nothing wrong beyond being on port 110.
 */
import type { AuthAttempt, SessionOut, TlsInfo, TranscriptEntry } from '../../src/model.js';

let nextFrame = 1;

export function session(overrides: Partial<SessionOut> = {}): SessionOut {
  return {
    id: '1',
    client: { ip: '192.0.2.10', port: 50000 },
    server: { ip: '198.51.100.1', port: 110 },
    start: '2026-01-01T10:00:00.000000Z',
    end: '2026-01-01T10:00:05.000000Z',
    ended: 'fin',
    transport: 'plain',
    midstream: false,
    bytes: { client: 100, server: 200 },
    gaps: [],
    anomalies: [],
    greeting: { text: 'POP3 ready', apopTimestamp: null, frame: 4 },
    capabilities: null,
    saslMechanisms: [],
    user: null,
    auth: [],
    tls: null,
    messages: { listed: [], retrieved: [], deleted: [], deletedDetails: [], committed: false },
    state: 'AUTHORIZATION',
    events: {},
    transcript: [server('+OK', 'POP3 ready', { frame: 4 })],
    ...overrides,
  };
}

export function client(command: string, argument?: string, extra: Partial<TranscriptEntry> = {}): TranscriptEntry {
  const line = argument === undefined ? command : `${command} ${argument}`;
  const e: TranscriptEntry = { frame: nextFrame++, time: '2026-01-01T10:00:01Z', from: 'client', command, length: line.length, state: 'AUTHORIZATION', ...extra };
  if (argument !== undefined) e.argument = argument;
  return e;
}

export function server(status: '+OK' | '-ERR' | '+', text: string, extra: Partial<TranscriptEntry> = {}): TranscriptEntry {
  return { frame: nextFrame++, time: '2026-01-01T10:00:01Z', from: 'server', status, text, length: status.length + 1 + text.length, ...extra };
}

/** CAPA and its +OK answer listing `items`, as the dissector writes them. */
export function capaExchange(items: string[], answerFrame?: number, state: TranscriptEntry['state'] = 'AUTHORIZATION'): TranscriptEntry[] {
  const data = { octets: 0, lines: items.length, complete: true, firstFrame: 0, lastFrame: 0, lineItems: items };
  return [client('CAPA', undefined, { state }), server('+OK', '', { answers: 'CAPA', data, ...(answerFrame === undefined ? {} : { frame: answerFrame }) })];
}

export function attempt(overrides: Partial<AuthAttempt> = {}): AuthAttempt {
  return {
    mechanism: 'USER', user: 'alice', outcome: 'success', secret: '[redacted]', encrypted: false,
    frames: [6, 8], time: '2026-01-01T10:00:01.000000Z', ...overrides,
  };
}

export function tls(overrides: Partial<TlsInfo> = {}): TlsInfo {
  return {
    startFrame: 10, recordVersion: 'TLS 1.0', clientVersions: ['TLS 1.3', 'TLS 1.2'], version: 'TLS 1.3',
    cipherSuite: 'TLS_AES_128_GCM_SHA256', cipherSuiteId: 0x1301, sni: null, alpn: [],
    encryptedBytes: { client: 500, server: 5000 }, alerts: [], decryption: 'no-keys', decryptionReason: 'no key log was given (--keylog, or a pcapng with embedded secrets)', ...overrides,
  };
}
