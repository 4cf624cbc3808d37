/** Commands sent in a state where RFC 1939 does not allow them. */
import type { FindingDraft, Rule } from './rule.js';
import { lookupCommand } from '../pop3/commands.js';
import { framesText, keyword, sessionLabel } from './finding-text.js';
import { sessionParts, setPart } from './fingerprint.js';

/** Out-of-state commands listed in a finding's details; the rest are counted. */
const DETAILED = 20;

export const commandOutOfState: Rule = {
  id: 'command-out-of-state',
  title: 'Command in the wrong state',
  defaultSeverity: 'low',
  rationale:
    'RFC 1939 §3 allows each command only in some states (e.g. RETR only after login, USER only before). Such commands show a confused client, or a probe for a server that forgets to check the state (CWE-841).',
  remediation: 'Fix the client\'s command order (log in before TRANSACTION commands, STLS and AUTH before login); if the client is unknown, treat it as a probe.',
  references: ['https://www.rfc-editor.org/rfc/rfc1939#section-3', 'https://cwe.mitre.org/data/definitions/841.html'],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      const hits = s.transcript.filter((e) => e.from === 'client' && e.notes?.includes('out-of-state'));
      if (hits.length === 0) continue;
      const first = hits[0]!;
      const allowed = first.command === undefined ? undefined : lookupCommand(first.command)?.states;
      const frames = hits.map((e) => e.frame);
      const where = allowed === undefined ? '' : `, allowed only in ${allowed.join(' or ')}`;
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${hits.length} command${hits.length === 1 ? '' : 's'} out of state, first ${keyword(first.command)} in ${first.state ?? 'unknown state'}${where} (${framesText(frames)})`,
        // The first few in full and the count: one object per hit grew with the session.
        details: {
          commands: hits.slice(0, DETAILED).map((e) => ({ command: e.command, state: e.state, frame: e.frame })),
          ...(hits.length > DETAILED ? { total: hits.length } : {}),
        },
        identity: { ...sessionParts(s), commands: setPart(hits.map((e) => keyword(e.command))) },
      });
    }
    return out;
  },
};
