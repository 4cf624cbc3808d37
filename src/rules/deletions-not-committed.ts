/** DELE issued, but the session ended without a QUIT that commits it. */
import type { SessionEnd } from '../model.js';
import type { FindingDraft, Rule } from './rule.js';
import { quote, sessionLabel } from './finding-text.js';
import { deletedList, describeDeleted } from './deletions-committed.js';

/** How the connection ended, in words (a QUIT answered -ERR is told apart above). */
const HOW_IT_ENDED: Record<SessionEnd, string> = {
  quit: 'the session ended',
  fin: 'the connection was closed (FIN)',
  rst: 'the connection was reset (RST)',
  'capture-end': 'the capture stopped first',
  idle: 'the connection went idle',
  evicted: 'the tool stopped following the connection (connection limit)',
};

export const deletionsNotCommitted: Rule = {
  id: 'deletions-not-committed',
  title: 'Deletions not committed',
  defaultSeverity: 'info',
  rationale:
    'Messages marked with DELE are removed only when QUIT is answered +OK; if the connection ends otherwise, the server keeps them (RFC 1939 §6). The client may believe they are gone and download them again next time.',
  remediation: 'Find why the session ended without QUIT (timeout, network reset, client crash); the messages are still on the server.',
  references: ['https://www.rfc-editor.org/rfc/rfc1939#section-6'],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      if (s.messages.committed || s.messages.deleted.length === 0) continue;
      const list = deletedList(s);
      const quitAnswer = s.transcript.find((e) => e.from === 'server' && e.answers === 'QUIT');
      const how = quitAnswer !== undefined && quitAnswer.status === '-ERR'
        ? `QUIT was answered -ERR (frame ${quitAnswer.frame})`
        : `${HOW_IT_ENDED[s.ended]} without an accepted QUIT`;
      const who = s.user === null ? '' : ` of user ${quote(s.user)}`;
      const frames = list.map((d) => d.frame).filter((f) => f !== '');
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: DELE of ${list.length} message${list.length === 1 ? '' : 's'}${who} not committed, ${how}: ${list.slice(0, 5).map(describeDeleted).join(', ')}${list.length > 5 ? ', …' : ''}`,
        details: { deleted: list, ended: s.ended },
      });
    }
    return out;
  },
};
