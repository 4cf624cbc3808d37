/** The capture lacks part of a session: it started midway, or bytes were lost. */
import type { FindingDraft, Rule } from './rule.js';
import { sessionLabel } from './finding-text.js';
import { sessionParts } from './fingerprint.js';

export const incompleteCapture: Rule = {
  id: 'incomplete-capture',
  title: 'Incomplete capture',
  defaultSeverity: 'info',
  rationale:
    'Findings can only be as complete as the capture: a session picked up midway hides its login, and lost segments hide commands, credentials or deletions. Absence of a finding in these sessions proves nothing.',
  remediation:
    'Capture on the server or client host rather than a busy span port, start before the clients connect, and use a larger buffer and full snap length (e.g. `tcpdump -s 0 -B 8192 -w file port 110 or port 995`).',
  references: ['https://www.rfc-editor.org/rfc/rfc9293'],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      if (!s.midstream && s.gaps.length === 0) continue;
      const missing: string[] = [];
      if (s.midstream) missing.push('its start (connection open before the capture; greeting and login may be missing)');
      for (const dir of ['client', 'server'] as const) {
        const gaps = s.gaps.filter((g) => g.direction === dir);
        if (gaps.length === 0) continue;
        const octets = gaps.reduce((n, g) => n + g.length, 0);
        missing.push(`${octets} byte${octets === 1 ? '' : 's'} from the ${dir} in ${gaps.length} gap${gaps.length === 1 ? '' : 's'} (first before frame ${gaps[0]!.frame})`);
      }
      if (s.ended === 'capture-end') missing.push('its end (still open when the capture stopped)');
      // A midstream session without gaps is shown from its first captured line.
      const first = s.transcript[0]?.frame;
      const frames = s.gaps.length > 0 ? s.gaps.map((g) => g.frame) : first === undefined ? [] : [first];
      out.push({
        session: s.id,
        frames,
        message: `${sessionLabel(s)}: capture lacks ${missing.join('; ')}`,
        details: { midstream: s.midstream, gaps: s.gaps.length, missingOctets: s.gaps.reduce((n, g) => n + g.length, 0) },
        identity: { ...sessionParts(s), midstream: s.midstream, gaps: s.gaps.length > 0 },
      });
    }
    return out;
  },
};
