/**
 * Suppressions: a policy's way to accept a finding the team knows and has decided
 * about. Each names a rule and any of server, user and fingerprint, says why
 * (`justification`, mandatory) and may end (`expires`, a date): a suppressed finding
 * is still reported, marked, and does not fail `check`; an expired suppression stops
 * working and the analysis says so.
 *
 * {"suppressions": [{"rule": "plaintext-port", "server": "10.0.0.5:110",
 *                    "justification": "legacy scanner, retired in March", "expires": "2027-03-31"}]}
 */
import type { EndpointOut, Finding } from '../model.js';
import { endpointMatches } from './endpoint-pattern.js';
import { FINGERPRINT_PATTERN, isObject } from './json-input.js';

export interface Suppression {
  rule: string;
  /** `IP`, `IP:PORT` or `[IPv6]:PORT` of the server. */
  server?: string;
  user?: string;
  fingerprint?: string;
  justification: string;
  /** `YYYY-MM-DD`: the last day (UTC) the suppression works. */
  expires?: string;
}

/** What a suppression is matched against: the finding, its server and its user. */
export interface SuppressionSubject {
  finding: Finding;
  server: EndpointOut | null;
  user: string | null;
}

const KEYS = new Set(['rule', 'server', 'user', 'fingerprint', 'justification', 'expires']);

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is refused). */
function isDate(text: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Checks the policy's `suppressions` list; `fail` throws with the file's name. */
export function parseSuppressions(value: unknown, knownRules: ReadonlySet<string>, fail: (what: string) => never): Suppression[] {
  if (!Array.isArray(value)) fail('"suppressions" must be a list of objects');
  return (value as unknown[]).map((item, i) => {
    const at = `suppressions[${i}]`;
    if (!isObject(item)) fail(`${at} must be an object with "rule", "justification" and any of "server", "user", "fingerprint"`);
    const o = item as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!KEYS.has(key)) fail(`${at}: unknown key "${key}" (expected ${[...KEYS].join(', ')})`);
    }
    for (const key of KEYS) {
      if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) fail(`${at}.${key} must be a non-empty string`);
    }
    const s = o as Partial<Record<string, string>>;
    if (s.rule === undefined) fail(`${at} needs "rule" (\`pop3scope rules\` lists them)`);
    if (!knownRules.has(s.rule!)) fail(`${at}: unknown rule "${s.rule}" (\`pop3scope rules\` lists them)`);
    if (s.justification === undefined || s.justification.trim() === '') fail(`${at} needs a "justification": why this finding is accepted`);
    if (s.server === undefined && s.user === undefined && s.fingerprint === undefined) {
      fail(`${at} must name at least one of "server", "user", "fingerprint" (to turn a rule off everywhere, use "rules")`);
    }
    if (s.fingerprint !== undefined && !FINGERPRINT_PATTERN.test(s.fingerprint)) fail(`${at}.fingerprint must be 32 hex digits, as in the JSON output`);
    if (s.expires !== undefined && !isDate(s.expires)) fail(`${at}.expires must be a date YYYY-MM-DD`);
    const out: Suppression = { rule: s.rule!, justification: s.justification! };
    if (s.server !== undefined) out.server = s.server;
    if (s.user !== undefined) out.user = s.user;
    if (s.fingerprint !== undefined) out.fingerprint = s.fingerprint;
    if (s.expires !== undefined) out.expires = s.expires;
    return out;
  });
}

/** `2026-12-06`: the UTC date a suppression's `expires` is compared with. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Expired after its `expires` day has passed (UTC). */
export function isExpired(s: Suppression, today: string): boolean {
  return s.expires !== undefined && s.expires < today;
}

function matches(s: Suppression, subject: SuppressionSubject): boolean {
  if (s.rule !== subject.finding.rule) return false;
  if (s.fingerprint !== undefined && s.fingerprint !== subject.finding.fingerprint) return false;
  if (s.user !== undefined && s.user !== subject.user) return false;
  if (s.server !== undefined && (subject.server === null || !endpointMatches(s.server, subject.server))) return false;
  return true;
}

/** Marks the finding `suppressed` when a suppression that has not expired matches it (the first one wins). */
export function applySuppression(subject: SuppressionSubject, suppressions: readonly Suppression[], today: string): void {
  const hit = suppressions.find((s) => !isExpired(s, today) && matches(s, subject));
  if (hit === undefined) return;
  subject.finding.suppressed = hit.expires === undefined
    ? { justification: hit.justification }
    : { justification: hit.justification, expires: hit.expires };
}

/** One line per expired suppression: it no longer hides anything, and the user should know. */
export function expiredSuppressionWarnings(suppressions: readonly Suppression[], today: string): string[] {
  return suppressions.flatMap((s, i) => {
    if (!isExpired(s, today)) return [];
    const what = [s.server && `server ${s.server}`, s.user !== undefined && `user ${JSON.stringify(s.user)}`, s.fingerprint && `fingerprint ${s.fingerprint}`]
      .filter(Boolean).join(', ');
    return [`suppression ${i + 1} (${s.rule}, ${what}) expired on ${s.expires} and no longer applies: its findings count again`];
  });
}
