/**
 * How the text views tell a TLS session's decryption status: a boundary line
 * in the transcript where decrypted entries start, and the status on the
 * session line for no-keys, failed and unsupported.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/report/colors.js';
import { renderAnalysis, renderTranscript } from '../../src/report/text.js';
import type { AnalysisResult, SessionOut } from '../../src/model.js';
import { attempt, client, server, session, tls } from '../rules/session-factory.js';

function result(s: SessionOut): AnalysisResult {
  return {
    schemaVersion: 1, tool: { name: 'pop3scope', version: 'test' }, captures: [], sessions: [s], findings: [],
    limits: {}, connections: { total: 1, empty: 0 },
  } as AnalysisResult;
}

const decryptedSession = (reason: string | null = null) => session({
  transport: 'implicit-tls',
  server: { ip: '127.0.0.1', port: 995 },
  tls: tls({ version: 'TLS 1.3', cipherSuite: 'TLS_AES_256_GCM_SHA384', decryption: 'decrypted', decryptionReason: reason, startFrame: 4 }),
  auth: [attempt({ encrypted: true })],
  transcript: [
    server('+OK', 'Dovecot ready.', { frame: 10, tls: true }),
    client('USER', 'alice', { frame: 12, tls: true }),
  ],
});

describe('text output of TLS decryption', () => {
  it('marks where the decrypted entries start', () => {
    const lines = renderTranscript(result(decryptedSession()), { colors: PLAIN }).split('\n');
    const boundary = lines.findIndex((l) => l.includes('── TLS 1.3 TLS_AES_256_GCM_SHA384, decrypted ──'));
    expect(boundary).toBeGreaterThan(0);
    expect(lines[boundary - 1]).toContain('TLS TLS 1.3  TLS_AES_256_GCM_SHA384');
    expect(lines[boundary + 1]).toContain('S← +OK Dovecot ready.');
  });

  it('the session line says decrypted and shows the login', () => {
    const out = renderAnalysis(result(decryptedSession()), { colors: PLAIN });
    expect(out).toMatch(/implicit-tls {2}alice USER success {2}retrieved 0 deleted 0 {2}TLS decrypted/);
    expect(out).not.toContain('login and mail inside TLS');
  });

  it('a gap that stopped one direction is said on the session line and at the boundary', () => {
    const reason = 'server direction: decryption stopped at a gap in the capture (frame 20); what came before it was kept';
    expect(renderAnalysis(result(decryptedSession(reason)), { colors: PLAIN })).toContain(`TLS decrypted (${reason})`);
    expect(renderTranscript(result(decryptedSession(reason)), { colors: PLAIN })).toContain(`decrypted ── ${reason}`);
  });

  for (const [status, reason] of [
    ['no-keys', 'no key log entry for this ClientHello'],
    ['failed', 'client direction, frame 9: a record did not authenticate (wrong key log entry, or corrupted data)'],
    ['unsupported', 'TLS_RSA_WITH_RC4_128_SHA is not decrypted under TLS 1.2'],
  ] as const) {
    it(`${status}: the session line says so, with the reason`, () => {
      const s = session({ transport: 'implicit-tls', tls: tls({ decryption: status, decryptionReason: reason }), auth: [], transcript: [] });
      const out = renderAnalysis(result(s), { colors: PLAIN });
      expect(out).toContain(`login and mail inside TLS (TLS 1.3, TLS_AES_128_GCM_SHA256)  TLS not decrypted: ${status} (${reason})`);
      expect(renderTranscript(result(s), { colors: PLAIN })).toContain(`not decrypted: ${status} (${reason})`);
    });
  }
});
