/** Commands that are not POP3 (RFC 1939, RFC 2449 and their extensions). */
import type { FindingDraft, Rule } from './rule.js';
import { framesText, keyword, quote, sessionLabel } from './finding-text.js';
import { sessionParts, setPart } from './fingerprint.js';

export const unknownCommand: Rule = {
  id: 'unknown-command',
  title: 'Unknown command',
  defaultSeverity: 'info',
  rationale:
    'A command outside RFC 1939 and its extensions is a vendor extension, a misdirected protocol, or a scanner probing the server (RFC 1939 §3: the server answers -ERR).',
  remediation: 'Check which client sent it; if it is a scanner, block it; if it is a mail client, look for a setting that makes it speak standard POP3.',
  references: ['https://www.rfc-editor.org/rfc/rfc1939#section-3', 'https://www.rfc-editor.org/rfc/rfc2449'],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      const hits = s.transcript.filter((e) => e.from === 'client' && e.notes?.includes('unknown-command'));
      if (hits.length === 0) continue;
      const keywords = [...new Set(hits.map((e) => e.command ?? '?'))];
      const frames = hits.map((e) => e.frame);
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${hits.length} unknown command${hits.length === 1 ? '' : 's'} ${keywords.slice(0, 5).map(quote).join(', ')}${keywords.length > 5 ? ', …' : ''} (${framesText(frames)})`,
        details: { commands: keywords },
        identity: { ...sessionParts(s), commands: setPart(keywords.map(keyword)) },
      });
    }
    return out;
  },
};
