/** A whole POP3 session ran without TLS. */
import type { FindingDraft, Rule } from './rule.js';
import { quote, sessionLabel } from './finding-text.js';
import { serverParts } from './fingerprint.js';

export const plaintextPort: Rule = {
  id: 'plaintext-port',
  title: 'Session never encrypted',
  defaultSeverity: 'medium',
  rationale:
    'A session on a plain POP3 port that never switched to TLS with STLS exposes the mailbox contents, user names and any message text to the network (RFC 8314 §3, RFC 2595 §4, CWE-319).',
  remediation:
    'Configure clients for implicit TLS on port 995 (RFC 8314 §3.3), or STLS with certificate checking; once every client uses TLS, close port 110 or make the server refuse commands before STLS.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc8314',
    'https://www.rfc-editor.org/rfc/rfc2595',
    'https://cwe.mitre.org/data/definitions/319.html',
  ],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      if (s.transport !== 'plain' || s.notPop3 !== undefined || s.transcript.length === 0) continue;
      const first = s.greeting?.frame ?? s.transcript[0]!.frame;
      const who = s.user === null ? '' : ` for user ${quote(s.user)}`;
      out.push({
        session: s.id,
        frames: [first],
        message: `${sessionLabel(s)} ran in clear text from start to end${who} (no STLS)`,
        details: { port: s.server.port },
        // The server's port accepts clear text: one problem, whichever user showed it.
        identity: serverParts(s),
      });
    }
    return out;
  },
};
