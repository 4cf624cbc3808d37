/** A challenge-response login whose captured digest can be attacked offline. */
import type { FindingDraft, Rule } from './rule.js';
import { framesText, quote, sessionLabel } from './finding-text.js';
import { serverParts } from './fingerprint.js';

/** Why each mechanism is weak. */
const WEAK: Record<string, string> = {
  APOP: 'an MD5 digest of the greeting and the password (RFC 1939 §7)',
  'CRAM-MD5': 'an HMAC-MD5 of the challenge keyed with the password (RFC 2195)',
  'DIGEST-MD5': 'an MD5 digest moved to Historic by RFC 6331',
};

export const weakAuthMechanism: Rule = {
  id: 'weak-auth-mechanism',
  title: 'Weak challenge-response login',
  defaultSeverity: 'low',
  rationale:
    'APOP, CRAM-MD5 and DIGEST-MD5 send an MD5-based digest: whoever records it can guess the password offline, and the server must keep the password in a recoverable form (RFC 1939 §7, RFC 2195 §4, RFC 6331, CWE-328). On a clear-text connection every observer holds such a digest.',
  remediation:
    'Offer SCRAM-SHA-256 (RFC 7677) or PLAIN over TLS only, and remove APOP, CRAM-MD5 and DIGEST-MD5 from the server\'s mechanisms.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc1939#section-7',
    'https://www.rfc-editor.org/rfc/rfc2195',
    'https://www.rfc-editor.org/rfc/rfc6331',
    'https://cwe.mitre.org/data/definitions/328.html',
  ],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      for (const a of s.auth) {
        const mechanism = a.mechanism.toUpperCase();
        const why = WEAK[mechanism];
        // A cancelled exchange sent no digest: nothing to attack offline.
        if (why === undefined || a.secret === null) continue;
        const who = a.user === null ? '' : ` by user ${quote(a.user)}`;
        out.push({
          session: s.id,
          frames: a.frames,
          severity: a.encrypted ? 'low' : 'medium',
          message: `${mechanism} login${who} in ${sessionLabel(s)} sends ${why}${a.encrypted ? '' : ', here over an unencrypted connection'} (${framesText(a.frames)})`,
          details: { mechanism, user: a.user, encrypted: a.encrypted },
          identity: { ...serverParts(s), user: a.user, mechanism, encrypted: a.encrypted },
        });
      }
    }
    return out;
  },
};
