/** A reusable password or bearer token crossed the network unencrypted. */
import type { AuthAttempt, SessionOut, TranscriptEntry } from '../model.js';
import type { FindingDraft, Rule } from './rule.js';
import { framesText, quote, sessionLabel } from './finding-text.js';
import { serverParts, setPart } from './fingerprint.js';

/** Mechanisms whose secret is the password or token itself, readable by anyone on the path. */
const REUSABLE_SECRET: Record<string, string> = {
  USER: 'password (USER/PASS)',
  PLAIN: 'password (AUTH PLAIN)',
  LOGIN: 'password (AUTH LOGIN)',
  XOAUTH2: 'OAuth bearer token (AUTH XOAUTH2)',
  OAUTHBEARER: 'OAuth bearer token (AUTH OAUTHBEARER)',
};

/** The frames of the client lines holding the secret; all the attempt's frames when none is marked. */
function secretFrames(session: SessionOut, attempt: AuthAttempt): (number | string)[] {
  const inAttempt = new Set(attempt.frames);
  const marked = session.transcript
    .filter((e) => e.from === 'client' && e.secret === true && inAttempt.has(e.frame))
    .map((e) => e.frame);
  return marked.length > 0 ? marked : attempt.frames;
}

export const cleartextCredentials: Rule = {
  id: 'cleartext-credentials',
  title: 'Password or token sent in clear text',
  defaultSeverity: 'high',
  rationale:
    'USER/PASS, AUTH PLAIN, AUTH LOGIN, XOAUTH2 and OAUTHBEARER send the secret itself; without TLS anyone on the path reads it and can log in (RFC 8314 §1, RFC 2595 §1, CWE-319, CWE-523).',
  remediation:
    'Use implicit TLS on port 995 (RFC 8314) or require STLS before login, refuse USER/PASS and AUTH on unencrypted connections on the server (e.g. Dovecot `disable_plaintext_auth = yes` / `auth_allow_cleartext = no`), and change the exposed passwords and revoke the exposed tokens.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc8314',
    'https://www.rfc-editor.org/rfc/rfc2595',
    'https://cwe.mitre.org/data/definitions/319.html',
    'https://cwe.mitre.org/data/definitions/523.html',
  ],
  scope: 'session',
  check({ sessions }) {
    const out: FindingDraft[] = [];
    for (const s of sessions) {
      // One finding per user and mechanism: a client retrying a password leaks it each time, but it is one problem.
      const groups = new Map<string, AuthAttempt[]>();
      for (const a of s.auth) {
        if (REUSABLE_SECRET[a.mechanism.toUpperCase()] === undefined || a.secret === null || a.encrypted) continue;
        const key = `${a.mechanism.toUpperCase()}\0${a.user ?? ''}`;
        const group = groups.get(key);
        if (group) group.push(a);
        else groups.set(key, [a]);
      }
      for (const attempts of groups.values()) {
        const first = attempts[0]!;
        const what = REUSABLE_SECRET[first.mechanism.toUpperCase()]!;
        const frames = attempts.flatMap((a) => secretFrames(s, a));
        const who = first.user === null ? 'an unnamed user' : `user ${quote(first.user)}`;
        const outcomes = attempts.map((a) => a.outcome);
        const times = attempts.length === 1 ? '' : ` ${attempts.length} times`;
        out.push({
          session: s.id,
          frames,
          message: `${what} of ${who} sent unencrypted${times} in ${sessionLabel(s)}, ${framesText(frames)}; ${outcomeText(outcomes)}`,
          details: { user: first.user, mechanism: first.mechanism, attempts: attempts.length, outcomes },
          identity: { ...serverParts(s), user: first.user, mechanism: first.mechanism.toUpperCase() },
        });
      }
      const stray = strayClearSecrets(s);
      if (stray.length > 0) {
        const frames = stray.map((e) => e.frame);
        const commands = [...new Set(stray.map((e) => e.command!))].sort();
        out.push({
          session: s.id,
          frames,
          message: `secret argument of ${commands.join(' and ')} sent unencrypted outside a login in ${sessionLabel(s)}, ${framesText(frames)}: ` +
            'the server refused the command in that state, but the secret crossed the network all the same',
          details: { user: null, mechanism: null, outOfState: commands },
          identity: { ...serverParts(s), user: null, commands: setPart(commands) },
        });
      }
    }
    return out;
  },
};

/**
 * Secret-bearing commands the server met outside AUTHORIZATION (a PASS after the login):
 * no login attempt, so not in `auth`, yet the password was on the wire. Lines read from
 * inside TLS (`tls: true`, decrypted with a key log) were not in clear.
 */
function strayClearSecrets(s: SessionOut): TranscriptEntry[] {
  return s.transcript.filter((e) =>
    e.from === 'client' && e.tls !== true && e.secret === true && e.command !== undefined && e.sasl !== true && e.notes?.includes('out-of-state') === true);
}

/** `login success`, or `logins: 8 failure, 1 success`. */
function outcomeText(outcomes: string[]): string {
  if (outcomes.length === 1) return `login ${outcomes[0]}`;
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  return `logins: ${[...counts].map(([o, n]) => `${n} ${o}`).join(', ')}`;
}
