/** Command lines longer than RFC 2449 allows. */
import type { FindingDraft, Rule } from './rule.js';
import { framesText, keyword, sessionLabel } from './finding-text.js';
import { sessionParts, setPart } from './fingerprint.js';
import { longestShown, octetsWithLineEnd } from './line-length.js';

const LIMIT = 'overlong-command.octets';

export const overlongCommand: Rule = {
  id: 'overlong-command',
  title: 'Command line over 255 octets',
  defaultSeverity: 'medium',
  rationale:
    'RFC 2449 §4 limits a command line to 255 octets including CRLF. Longer lines are the classic shape of buffer overflow attempts against POP3 servers, and well-behaved clients never send them (CWE-120, CWE-20).',
  remediation:
    'Identify the client sending them; block it if it is not a mail client you run, and keep the POP3 server patched; a legitimate client doing this needs fixing or an AUTH exchange split into continuation lines (RFC 5034 §4).',
  references: [
    'https://www.rfc-editor.org/rfc/rfc2449#section-4',
    'https://cwe.mitre.org/data/definitions/120.html',
    'https://cwe.mitre.org/data/definitions/20.html',
  ],
  thresholds: { [LIMIT]: { default: 255, description: 'longest allowed command line, in octets including CRLF' } },
  scope: 'session',
  check({ sessions, thresholds }) {
    const limit = thresholds[LIMIT] ?? 255;
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      // SASL response lines are mechanism tokens, not commands (a Kerberos ticket alone often exceeds 1000 octets).
      const hits = s.transcript.filter((e) => e.from === 'client' && e.sasl !== true && (octetsWithLineEnd(e) ?? 0) > limit);
      if (hits.length === 0) continue;
      // Lines holding a secret count, but their lengths are not shown (a secret's length is a secret).
      const longest = longestShown(hits);
      const frames = hits.map((e) => e.frame);
      const names = [...new Set(hits.map((e) => e.command !== undefined ? keyword(e.command) : 'unparsed line'))];
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${hits.length} client line${hits.length === 1 ? '' : 's'} over ${limit} octets (${longest === null ? 'lengths of lines holding secrets not shown' : `longest ${longest}`}; ${names.join(', ')}; ${framesText(frames)})`,
        details: longest === null ? { lines: hits.length } : { longest, lines: hits.length },
        identity: { ...sessionParts(s), commands: setPart(names) },
      });
    }
    return out;
  },
};
