/**
 * The server offered STLS before login and the client carried on in clear text: after
 * the CAPA answer, or without waiting for it (a pipelining client sends CAPA, USER and
 * PASS in one burst, RFC 2449 §6.6; the offer was made all the same).
 */
import type { FindingDraft, Rule } from './rule.js';
import { offersStls, preLoginCapa, sentStls } from './capabilities-query.js';
import { framesText, keyword, sessionLabel } from './finding-text.js';

/** Commands that end or re-ask rather than carry on. */
const NOT_CARRYING_ON = new Set(['CAPA', 'QUIT', 'STLS']);

export const stlsOfferedNotUsed: Rule = {
  id: 'stls-offered-not-used',
  title: 'STLS offered but not used',
  defaultSeverity: 'medium',
  rationale:
    'The server listed STLS in CAPA, so encryption was available, yet the client went on without it: an opportunistic client, or one configured without TLS (RFC 2595 §4, RFC 8314 §5, CWE-319).',
  remediation:
    'Set the mail client to require TLS (STLS or, better, implicit TLS on port 995) and to fail instead of falling back to clear text.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc2595',
    'https://www.rfc-editor.org/rfc/rfc8314',
    'https://cwe.mitre.org/data/definitions/319.html',
  ],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      if (s.transport !== 'plain' || offersStls(s) !== true || sentStls(s)) continue;
      const capa = preLoginCapa(s)!;
      const next = s.transcript.findIndex((e, i) =>
        i > capa.index && e.from === 'client' && e.command !== undefined && !NOT_CARRYING_ON.has(e.command));
      if (next < 0) continue;
      const after = s.transcript[next]!;
      const answerIndex = s.transcript.indexOf(capa.answer);
      const pipelined = next < answerIndex;
      const frames = pipelined ? [after.frame, capa.answer.frame] : [capa.answer.frame, after.frame];
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: server offered STLS but the client went on in clear text with ${keyword(after.command)}` +
          `${pipelined ? ', sent before the CAPA answer arrived' : ''} (${framesText(frames)})`,
      });
    }
    return out;
  },
};
