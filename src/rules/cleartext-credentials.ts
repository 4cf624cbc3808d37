/** A reusable password or bearer token crossed the network unencrypted. */
import type { AuthAttempt, SessionOut } from '../model.js';
import type { FindingDraft, Rule } from './rule.js';
import { framesText, quote, sessionLabel } from './finding-text.js';

/** Mechanisms whose secret is the password or token itself, readable by anyone on the path. */
const REUSABLE_SECRET: Record<string, string> = {
  USER: 'password (USER/PASS)',
  PLAIN: 'password (AUTH PLAIN)',
  LOGIN: 'password (AUTH LOGIN)',
  XOAUTH2: 'OAuth bearer token (AUTH XOAUTH2)',
  OAUTHBEARER: 'OAuth bearer token (AUTH OAUTHBEARER)',
};

/** The frames of the client lines holding the secret; all the attempt's frames when none is marked. */
function secretFrames(session: SessionOut, attempt: AuthAttempt): (number | string)[] {
  const inAttempt = new Set(attempt.frames);
  const marked = session.transcript
    .filter((e) => e.from === 'client' && e.secret === true && inAttempt.has(e.frame))
    .map((e) => e.frame);
  return marked.length > 0 ? marked : attempt.frames;
}

export const cleartextCredentials: Rule = {
  id: 'cleartext-credentials',
  title: 'Password or token sent in clear text',
  defaultSeverity: 'high',
  rationale:
    'USER/PASS, AUTH PLAIN, AUTH LOGIN, XOAUTH2 and OAUTHBEARER send the secret itself; without TLS anyone on the path reads it and can log in (RFC 8314 §1, RFC 2595 §1, CWE-319, CWE-523).',
  remediation:
    'Use implicit TLS on port 995 (RFC 8314) or require STLS before login, refuse USER/PASS and AUTH on unencrypted connections on the server (e.g. Dovecot `disable_plaintext_auth = yes` / `auth_allow_cleartext = no`), and change the exposed passwords and revoke the exposed tokens.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc8314',
    'https://www.rfc-editor.org/rfc/rfc2595',
    'https://cwe.mitre.org/data/definitions/319.html',
    'https://cwe.mitre.org/data/definitions/523.html',
  ],
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      for (const a of s.auth) {
        const what = REUSABLE_SECRET[a.mechanism.toUpperCase()];
        if (what === undefined || a.secret === null || a.encrypted) continue;
        const frames = secretFrames(s, a);
        const who = a.user === null ? 'an unnamed user' : `user ${quote(a.user)}`;
        out.push({
          session: s.id,
          frames,
          message: `${what} of ${who} sent unencrypted in ${sessionLabel(s)}, ${framesText(frames)}; login ${a.outcome}`,
          details: { user: a.user, mechanism: a.mechanism, outcome: a.outcome },
        });
      }
    }
    return out;
  },
};
