/** STLS refused, or missing from CAPA where the same server offers it elsewhere: STARTTLS stripping. */
import type { FindingDraft, Rule } from './rule.js';
import { offersStls, preLoginCapa } from './capabilities-query.js';
import { quote, sessionLabel } from './finding-text.js';
import { serverParts } from './fingerprint.js';

export const stlsRejected: Rule = {
  id: 'stls-rejected',
  title: 'STLS refused or stripped',
  defaultSeverity: 'high',
  rationale:
    'A refused STLS, or a CAPA answer without STLS from a server that offers it in other sessions, is what a man in the middle produces to keep the client in clear text (STARTTLS stripping; RFC 2595 §4, RFC 3207 §6 discusses the same attack for SMTP, CWE-757).',
  remediation:
    'Check the path between client and server for a proxy or middlebox that rewrites CAPA or answers STLS; make clients require TLS (implicit TLS on port 995 per RFC 8314 cannot be stripped this way) and fail rather than continue in clear text.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc2595',
    'https://www.rfc-editor.org/rfc/rfc8314',
    'https://cwe.mitre.org/data/definitions/757.html',
  ],
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      for (const e of s.transcript) {
        if (e.from !== 'server' || e.answers !== 'STLS' || e.status !== '-ERR') continue;
        out.push({
          session: s.id,
          frames: [e.frame],
          message: `${sessionLabel(s)}: STLS answered -ERR ${quote(e.text ?? '')} (frame ${e.frame}); the session could not be encrypted`,
          identity: { ...serverParts(s), kind: 'refused' },
        });
      }
    }
    // Servers (ip:port) that listed STLS in at least one session of the capture.
    const offering = new Map<string, string>();
    for (const s of sessions) {
      const key = `${s.server.ip}:${s.server.port}`;
      if (offersStls(s) === true && !offering.has(key)) offering.set(key, s.id);
    }
    for (const s of sessions) {
      const elsewhere = offering.get(`${s.server.ip}:${s.server.port}`);
      if (elsewhere === undefined || offersStls(s) !== false || s.transport !== 'plain') continue;
      const capa = preLoginCapa(s)?.answer;
      const frames = capa === undefined ? [] : [capa.frame];
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: CAPA lacks STLS${capa === undefined ? '' : ` (frame ${capa.frame})`} although the same server offered it in session ${elsewhere}: possible STARTTLS stripping`,
        details: { offeredInSession: elsewhere },
        identity: { ...serverParts(s), kind: 'stripped' },
      });
    }
    return out;
  },
};
