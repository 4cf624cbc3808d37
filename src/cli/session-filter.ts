/** The filters every subcommand shares: --session, --client, --server, --user. */
import type { AnalysisResult, SessionOut } from '../model.js';

export interface SessionFilter {
  session?: string[];
  client?: string;
  server?: string;
  user?: string;
}

/** `IP`, `IP:PORT`, `[IPv6]:PORT` or `:PORT` against an endpoint. */
function endpointMatches(pattern: string, ep: { ip: string; port: number }): boolean {
  const m = /^\[(.+)\](?::(\d+))?$/.exec(pattern);
  let ip: string | undefined;
  let port: string | undefined;
  if (m) {
    ip = m[1];
    port = m[2];
  } else if ((pattern.match(/:/g) ?? []).length === 1) {
    [ip, port] = pattern.split(':');
  } else {
    ip = pattern;
  }
  if (ip && ip !== ep.ip) return false;
  if (port && Number(port) !== ep.port) return false;
  return true;
}

export function sessionMatches(s: SessionOut, f: SessionFilter): boolean {
  if (f.session && f.session.length > 0 && !f.session.includes(s.id)) return false;
  if (f.client && !endpointMatches(f.client, s.client)) return false;
  if (f.server && !endpointMatches(f.server, s.server)) return false;
  if (f.user && s.user !== f.user && !s.auth.some((a) => a.user === f.user)) return false;
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
