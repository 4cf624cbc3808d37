/** Many failed logins from one client in a short time: password guessing. */
import type { SessionOut } from '../model.js';
import type { FindingDraft, Rule, SessionWatcher } from './rule.js';
import { framesText, quote, sessionLabel, uniqueFrames } from './finding-text.js';
import { setPart } from './fingerprint.js';

const COUNT = 'auth-failures.count';
const WINDOW = 'auth-failures.window-seconds';

interface Failure {
  seconds: number;
  session: string;
  user: string | null;
  /** `ip|port` of the server refusing the login. */
  server: string;
  frames: (number | string)[];
}

/** Seconds since the epoch of an ISO-8601 UTC time, keeping sub-millisecond digits; NaN when unreadable. */
export function isoSeconds(iso: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(iso);
  if (m === null) return NaN;
  return Date.parse(`${m[1]}Z`) / 1000 + (m[2] === undefined ? 0 : Number(`0${m[2]}`));
}

/** The failed logins of one session, each timed by the server's refusal. */
function failuresOf(s: SessionOut): Failure[] {
  const out: Failure[] = [];
  for (const a of s.auth) {
    if (a.outcome !== 'failure') continue;
    // A login has failed when the server refuses it: time the refusal (the attempt's last frame,
    // the one the finding lists), not the USER line, so the window agrees with the frames shown.
    const refusal = s.transcript.find((e) => e.from === 'server' && e.frame === a.frames[a.frames.length - 1]);
    const seconds = isoSeconds(refusal?.time ?? a.time);
    if (Number.isNaN(seconds)) continue;
    out.push({ seconds, session: s.id, user: a.user, server: `${s.server.ip}|${s.server.port}`, frames: a.frames });
  }
  return out;
}

/**
 * Says once per client address when its failures first reach the count within the window.
 * Only the failures of the last window are kept per client, so memory stays bounded.
 */
function watchFailures(thresholds: Record<string, number>): SessionWatcher {
  const needed = thresholds[COUNT] ?? 5;
  const window = thresholds[WINDOW] ?? 60;
  const recent = new Map<string, Failure[]>();
  const crossed = new Set<string>();
  return (s) => {
    const ip = s.client.ip;
    const failures = crossed.has(ip) ? [] : failuresOf(s);
    if (failures.length === 0) return [];
    const list = (recent.get(ip) ?? []).concat(failures).sort((x, y) => x.seconds - y.seconds);
    const latest = list[list.length - 1]!.seconds;
    const inWindow = list.filter((f) => latest - f.seconds <= window);
    if (inWindow.length < needed || needed === 0) {
      recent.set(ip, inWindow);
      return [];
    }
    recent.delete(ip);
    crossed.add(ip);
    const frames = uniqueFrames(inWindow.map((f) => f.frames[f.frames.length - 1]!).filter((f) => f !== undefined));
    const sessionIds = [...new Set(inWindow.map((f) => f.session))];
    return [{
      session: sessionIds.length === 1 ? sessionIds[0]! : null,
      frames,
      message: `${inWindow.length} failed logins within ${window} s from ${ip} so far (${framesText(frames)}); the count for the whole capture follows at its end`,
      details: { client: ip, failures: inWindow.length, sessions: sessionIds },
      identity: { client: ip, servers: setPart(inWindow.map((f) => f.server)) },
    }];
  };
}

export const authFailures: Rule = {
  id: 'auth-failures',
  title: 'Repeated failed logins',
  defaultSeverity: 'medium',
  rationale:
    'Many failed logins from one address within seconds are password guessing or a client stuck with a wrong password; an account without a lockout or delay can be brute-forced (CWE-307).',
  remediation:
    'Find the client behind the address; if it is not a known mail client, block it and enable login throttling on the server (e.g. Dovecot `auth_failure_delay`, fail2ban); make sure the tried accounts have strong passwords.',
  references: ['https://cwe.mitre.org/data/definitions/307.html', 'https://www.rfc-editor.org/rfc/rfc1939#section-13'],
  thresholds: {
    [COUNT]: { default: 5, description: 'failed logins from one client address that raise the finding' },
    [WINDOW]: { default: 60, description: 'seconds of capture time within which those failures must fall' },
  },
  watch: watchFailures,
  check({ sessions, thresholds }) {
    const needed = thresholds[COUNT] ?? 5;
    const window = thresholds[WINDOW] ?? 60;
    const byClient = new Map<string, Failure[]>();
    for (const s of sessions) {
      for (const failure of failuresOf(s)) {
        const list = byClient.get(s.client.ip) ?? [];
        list.push(failure);
        byClient.set(s.client.ip, list);
      }
    }
    const out: FindingDraft[] = [];
    for (const [ip, failures] of byClient) {
      failures.sort((x, y) => x.seconds - y.seconds);
      // The densest run of failures that fits in the window.
      let best = { from: 0, to: 0 };
      for (let from = 0, to = 0; from < failures.length; from++) {
        while (to < failures.length && failures[to]!.seconds - failures[from]!.seconds <= window) to++;
        if (to - from > best.to - best.from) best = { from, to };
      }
      const run = failures.slice(best.from, best.to);
      if (run.length < needed || run.length === 0) continue;
      const users = [...new Set(run.map((f) => f.user ?? '(none)'))];
      const sessionIds = [...new Set(run.map((f) => f.session))];
      const frames = uniqueFrames(run.map((f) => f.frames[f.frames.length - 1]!).filter((f) => f !== undefined));
      const span = run[run.length - 1]!.seconds - run[0]!.seconds;
      const only = sessionIds.length === 1 ? sessions.find((s) => s.id === sessionIds[0]) : undefined;
      const where = only === undefined ? `from ${ip} in ${sessionIds.length} sessions` : `in ${sessionLabel(only)}`;
      const all = failures.length > run.length ? `, ${failures.length} in the whole capture` : '';
      out.push({
        session: sessionIds.length === 1 ? sessionIds[0]! : null,
        frames,
        message: `${run.length} failed logins within ${Math.round(span)} s ${where}${all} (users tried: ${users.map(quote).join(', ')}; ${framesText(frames)})`,
        details: { client: ip, failures: run.length, total: failures.length, seconds: span, users, sessions: sessionIds },
        // The guessing client and whom it tried, not how often: counts and times vary between recordings.
        identity: { client: ip, servers: setPart(run.map((f) => f.server)) },
      });
    }
    return out;
  },
};
