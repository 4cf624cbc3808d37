/** The filters every subcommand shares: --session, --client, --server, --user. */
import type { AnalysisResult, SessionOut } from '../model.js';
import { endpointMatches } from '../rules/endpoint-pattern.js';
import type { MessageDataStart } from '../pop3/message-data.js';

export interface SessionFilter {
  session?: string[];
  client?: string;
  server?: string;
  user?: string;
}

export function sessionMatches(s: SessionOut, f: SessionFilter): boolean {
  if (f.session && f.session.length > 0 && !f.session.includes(s.id)) return false;
  if (f.client && !endpointMatches(f.client, s.client)) return false;
  if (f.server && !endpointMatches(f.server, s.server)) return false;
  if (f.user && s.user !== f.user && !s.auth.some((a) => a.user === f.user)) return false;
  return true;
}

/** The same filters on a message as its data begins (extract): the user is the one logged in by then. */
export function messageStartMatches(m: MessageDataStart, f: SessionFilter): boolean {
  if (f.session && f.session.length > 0 && !f.session.includes(m.session)) return false;
  if (f.client && !endpointMatches(f.client, m.client)) return false;
  if (f.server && !endpointMatches(f.server, m.server)) return false;
  if (f.user && m.user !== f.user) return false;
  return true;
}

export function isFilterActive(f: SessionFilter): boolean {
  return Boolean((f.session && f.session.length) || f.client || f.server || f.user);
}

/** Keeps the sessions that match, and the findings about them (capture-wide findings stay). */
export function filterResult(result: AnalysisResult, f: SessionFilter): AnalysisResult {
  if (!isFilterActive(f)) return result;
  const sessions = result.sessions.filter((s) => sessionMatches(s, f));
  const ids = new Set(sessions.map((s) => s.id));
  const findings = result.findings.filter((x) => x.session === null || ids.has(x.session));
  return { ...result, sessions, findings };
}
