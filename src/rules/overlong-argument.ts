/** Command arguments longer than RFC 2449 allows. */
import type { TranscriptEntry } from '../model.js';
import { SECRET_LENGTH } from '../redaction.js';
import type { FindingDraft, Rule } from './rule.js';
import { framesText, keyword, sessionLabel } from './finding-text.js';
import { sessionParts, setPart } from './fingerprint.js';

const LIMIT = 'overlong-argument.characters';

/**
 * Length of each argument of a command line. A redacted PASS counts as one
 * argument of the line's length less `PASS `; the AUTH initial response is
 * exempt (RFC 5034 §4 bounds it by the 255-octet command line instead).
 */
function argumentLengths(e: TranscriptEntry): number[] {
  if (e.command === undefined || e.argument === undefined) return [];
  if (e.command === 'PASS' && e.secret === true) {
    const length = e.length ?? e[SECRET_LENGTH];
    return length === undefined ? [] : [length - 'PASS '.length];
  }
  const args = e.argument.split(' ').filter((a) => a !== '');
  if (e.command === 'AUTH') return args.slice(0, 1).map((a) => a.length);
  if (e.secret === true) return args.slice(0, 1).map((a) => a.length); // APOP: the digest is redacted, the name is not
  return args.map((a) => a.length);
}

export const overlongArgument: Rule = {
  id: 'overlong-argument',
  title: 'Command argument over 40 characters',
  defaultSeverity: 'low',
  rationale:
    'RFC 2449 §4 limits each command argument to 40 characters; longer ones are refused or cut by strict servers, and in hostile traffic they probe for buffer handling bugs (CWE-20).',
  remediation: 'Shorten the user name or argument, or if the client is unknown, treat the traffic as a probe and block it.',
  references: ['https://www.rfc-editor.org/rfc/rfc2449#section-4', 'https://cwe.mitre.org/data/definitions/20.html'],
  thresholds: { [LIMIT]: { default: 40, description: 'longest allowed command argument, in characters' } },
  scope: 'session',
  check({ sessions, thresholds }) {
    const limit = thresholds[LIMIT] ?? 40;
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      const hits = s.transcript.filter((e) => e.from === 'client' && argumentLengths(e).some((n) => n > limit));
      if (hits.length === 0) continue;
      const first = hits[0]!;
      const longest = argumentLengths(first).reduce((m, n) => Math.max(m, n), 0);
      // A redacted password's length is withheld from every output: say only that it is over.
      const size = first.secret === true && first.length === undefined && first.command === 'PASS' ? 'a redacted one' : `${longest}`;
      const frames = hits.map((e) => e.frame);
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${hits.length} command${hits.length === 1 ? '' : 's'} with an argument over ${limit} characters, first ${keyword(first.command)} with ${size} (${framesText(frames)})`,
        // Each keyword once: a list per hit grew with the session (130,000 entries for 130,000 lines).
        details: { commands: [...new Set(hits.map((e) => e.command))] },
        identity: { ...sessionParts(s), commands: setPart(hits.map((e) => keyword(e.command))) },
      });
    }
    return out;
  },
};
