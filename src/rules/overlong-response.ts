/** First response lines longer than RFC 2449 allows. */
import type { FindingDraft, Rule } from './rule.js';
import { framesText, sessionLabel } from './finding-text.js';
import { longestShown, octetsWithLineEnd } from './line-length.js';

const LIMIT = 'overlong-response.octets';

export const overlongResponse: Rule = {
  id: 'overlong-response',
  title: 'Response line over 512 octets',
  defaultSeverity: 'low',
  rationale:
    'RFC 2449 §4 limits the first line of a response to 512 octets including CRLF; clients with fixed buffers may cut or mishandle longer ones, and a hostile server uses them against client parsers (CWE-20).',
  remediation: 'Shorten the server\'s greeting and response texts; if the server is not yours, treat it as hostile.',
  references: ['https://www.rfc-editor.org/rfc/rfc2449#section-4', 'https://cwe.mitre.org/data/definitions/20.html'],
  thresholds: { [LIMIT]: { default: 512, description: 'longest allowed first response line, in octets including CRLF' } },
  scope: 'session',
  check({ sessions, thresholds }) {
    const limit = thresholds[LIMIT] ?? 512;
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      // Only status lines: multi-line data lines are not limited by RFC 2449 §4.
      const hits = s.transcript.filter((e) => e.from === 'server' && (octetsWithLineEnd(e) ?? 0) > limit);
      if (hits.length === 0) continue;
      const longest = longestShown(hits) ?? 0;
      const frames = hits.map((e) => e.frame);
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${hits.length} response line${hits.length === 1 ? '' : 's'} over ${limit} octets (longest ${longest}; ${framesText(frames)})`,
        details: { longest, lines: hits.length },
      });
    }
    return out;
  },
};
