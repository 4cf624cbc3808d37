/** Messages deleted for good: DELE followed by a QUIT the server accepted. */
import type { DeletedMessage, SessionOut } from '../model.js';
import type { FindingDraft, Rule } from './rule.js';
import { quote, sessionLabel } from './finding-text.js';

/** `#2 (uid "a1", "Invoice")` */
export function describeDeleted(d: DeletedMessage): string {
  const facts = [d.uid === undefined ? null : `uid ${quote(d.uid)}`, d.subject === undefined ? null : quote(d.subject)].filter((x) => x !== null);
  return facts.length === 0 ? `#${d.number}` : `#${d.number} (${facts.join(', ')})`;
}

/** What the session shows of each deleted number, details first, bare numbers for the rest. */
export function deletedList(s: SessionOut): DeletedMessage[] {
  const byNumber = new Map(s.messages.deletedDetails.map((d) => [d.number, d]));
  return s.messages.deleted.map((n) => byNumber.get(n) ?? { number: n, frame: '' });
}

export const deletionsCommitted: Rule = {
  id: 'deletions-committed',
  title: 'Messages deleted',
  defaultSeverity: 'info',
  rationale:
    'DELE only marks a message; the server removes it when QUIT is answered +OK in the TRANSACTION state (RFC 1939 §6). This answers "where did my mail go?": these messages are gone from the server.',
  remediation: 'If the deletion was not intended, set the client to leave messages on the server (e.g. "keep" in fetchmail) and restore the messages from the client or a backup.',
  references: ['https://www.rfc-editor.org/rfc/rfc1939#section-6'],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      if (!s.messages.committed || s.messages.deleted.length === 0) continue;
      const list = deletedList(s);
      const quit = s.transcript.find((e) => e.from === 'server' && e.answers === 'QUIT' && e.status === '+OK');
      const frames = [...list.map((d) => d.frame).filter((f) => f !== ''), ...(quit === undefined ? [] : [quit.frame])];
      const who = s.user === null ? '' : ` of user ${quote(s.user)}`;
      const shown = list.slice(0, 5).map(describeDeleted).join(', ');
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: ${list.length} message${list.length === 1 ? '' : 's'}${who} deleted, committed by QUIT${quit === undefined ? '' : ` (frame ${quit.frame})`}: ${shown}${list.length > 5 ? ', …' : ''}`,
        details: { deleted: list },
      });
    }
    return out;
  },
};
