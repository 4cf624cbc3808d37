/** TLS negotiated with an obsolete protocol version or a broken cipher suite. */
import type { Severity } from '../model.js';
import type { FindingDraft, Rule } from './rule.js';
import { cipherSuiteWeaknesses, type CipherWeakness } from '../tls/cipher-suites.js';
import { sessionLabel } from './finding-text.js';
import { serverParts } from './fingerprint.js';

/** Cipher weaknesses that leave the mail readable (or forgeable) outright. */
const SEVERE: ReadonlySet<CipherWeakness> = new Set(['null', 'export', 'rc4']);

export const weakTls: Rule = {
  id: 'weak-tls',
  title: 'Obsolete TLS version or weak cipher suite',
  defaultSeverity: 'medium',
  rationale:
    'TLS 1.0 and 1.1 are deprecated (RFC 8996), SSL 3.0 is broken (RFC 7568, POODLE), RC4 is prohibited (RFC 7465), NULL and EXPORT suites give no or 40-bit encryption, and 64-bit block ciphers (3DES, DES) fall to Sweet32 (CWE-327, CWE-757).',
  remediation:
    'Allow only TLS 1.2 and 1.3 on the server (e.g. Dovecot `ssl_min_protocol = TLSv1.2`) with AEAD cipher suites (AES-GCM, ChaCha20-Poly1305), and upgrade clients that cannot negotiate them.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc8996',
    'https://www.rfc-editor.org/rfc/rfc7568',
    'https://www.rfc-editor.org/rfc/rfc7465',
    'https://www.rfc-editor.org/rfc/rfc9325',
    'https://cwe.mitre.org/data/definitions/327.html',
  ],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      const tls = s.tls;
      if (tls === null) continue;
      const reasons: string[] = [];
      let severity: Severity | null = null;
      if (tls.version === 'SSL 2.0' || tls.version === 'SSL 3.0') {
        reasons.push(`${tls.version} negotiated`);
        severity = 'high';
      } else if (tls.version === 'TLS 1.0' || tls.version === 'TLS 1.1') {
        reasons.push(`${tls.version} negotiated`);
        severity = 'medium';
      }
      const weaknesses = tls.cipherSuite === null ? [] : cipherSuiteWeaknesses(tls.cipherSuite);
      if (weaknesses.length > 0) {
        reasons.push(`cipher suite ${tls.cipherSuite} (${weaknesses.join(', ')})`);
        if (weaknesses.some((w) => SEVERE.has(w))) severity = 'high';
        else severity ??= 'medium';
      }
      if (severity === null) continue;
      out.push({
        session: s.id,
        frames: tls.startFrame === null ? [] : [tls.startFrame],
        severity,
        message: `${sessionLabel(s)}: ${reasons.join('; ')}`,
        details: { version: tls.version, cipherSuite: tls.cipherSuite, weaknesses },
        identity: { ...serverParts(s), version: tls.version, cipherSuite: tls.cipherSuite },
      });
    }
    return out;
  },
};
