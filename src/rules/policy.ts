/**
 * A policy file switches rules off, re-grades them and sets thresholds;
 * `runRules` applies it. Policy files are user input: every mistake is
 * reported in one line that names the file and the offending key.
 *
 * {"rules": {"plaintext-port": {"enabled": false}, "weak-tls": {"severity": "high"}},
 *  "thresholds": {"auth-failures.count": 10},
 *  "suppressions": [{"rule": "cleartext-credentials", "user": "test", "justification": "…"}]}
 */
import { SEVERITIES, type Finding, type SessionOut, type Severity } from '../model.js';
import type { Rule } from './rule.js';
import { RULES, defaultThresholds } from './registry.js';
import { fingerprintOf, sessionParts } from './fingerprint.js';
import { applySuppression, parseSuppressions, utcDate, type Suppression } from './suppressions.js';

export interface Policy {
  rules?: Record<string, { enabled?: boolean; severity?: Severity }>;
  thresholds?: Record<string, number>;
  suppressions?: Suppression[];
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parsePolicy(json: unknown, source: string): Policy {
  const fail = (what: string): never => {
    throw new PolicyError(`policy ${source}: ${what}`);
  };
  if (!isObject(json)) fail('must be a JSON object with "rules" and/or "thresholds"');
  const top = json as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    // `$schema` lets editors validate the file; it means nothing to the tool.
    if (key !== 'rules' && key !== 'thresholds' && key !== 'suppressions' && key !== '$schema') {
      fail(`unknown key "${key}" (expected "rules", "thresholds" or "suppressions")`);
    }
  }
  const policy: Policy = {};
  if (top.rules !== undefined) {
    if (!isObject(top.rules)) fail('"rules" must be an object keyed by rule id');
    const known = new Set(RULES.map((r) => r.id));
    policy.rules = {};
    for (const [id, setting] of Object.entries(top.rules as Record<string, unknown>)) {
      if (!known.has(id)) fail(`unknown rule "${id}" (\`pop3scope rules\` lists them)`);
      if (!isObject(setting)) fail(`rules."${id}" must be an object like {"enabled": false} or {"severity": "high"}`);
      const s = setting as Record<string, unknown>;
      const entry: { enabled?: boolean; severity?: Severity } = {};
      for (const [key, value] of Object.entries(s)) {
        if (key === 'enabled') {
          if (typeof value !== 'boolean') fail(`rules."${id}".enabled must be true or false`);
          entry.enabled = value as boolean;
        } else if (key === 'severity') {
          if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) {
            fail(`rules."${id}".severity must be one of ${SEVERITIES.join(', ')}`);
          }
          entry.severity = value as Severity;
        } else {
          fail(`rules."${id}": unknown key "${key}" (expected "enabled" or "severity")`);
        }
      }
      policy.rules[id] = entry;
    }
  }
  if (top.thresholds !== undefined) {
    if (!isObject(top.thresholds)) fail('"thresholds" must be an object of numbers');
    const known = defaultThresholds();
    policy.thresholds = {};
    for (const [name, value] of Object.entries(top.thresholds as Record<string, unknown>)) {
      if (!(name in known)) fail(`unknown threshold "${name}" (known: ${Object.keys(known).join(', ')})`);
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(`threshold "${name}" must be a number of 0 or more`);
      policy.thresholds[name] = value as number;
    }
  }
  if (top.suppressions !== undefined) policy.suppressions = parseSuppressions(top.suppressions, new Set(RULES.map((r) => r.id)), fail);
  return policy;
}

export function severityAtLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b);
}

/** Counts toward `check --fail-on`: at or above the threshold, not suppressed, not known from a baseline. */
export function failsGate(f: Finding, failOn: Severity): boolean {
  return severityAtLeast(f.severity, failOn) && f.suppressed === undefined && f.baselineState !== 'unchanged';
}

/** Numbers first by value, then text (`file#frame`) in natural order. */
function compareLabels(a: number | string | null | undefined, b: number | string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/**
 * Runs the enabled rules and grades their findings: severity high to low, then session, then
 * first frame. Each finding gets its fingerprint, and is marked when a suppression of the policy
 * that has not expired by `now` matches it.
 */
export function runRules(sessions: SessionOut[], policy: Policy = {}, rules: readonly Rule[] = RULES, now: Date = new Date()): Finding[] {
  const thresholds = { ...defaultThresholds(rules), ...policy.thresholds };
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const today = utcDate(now);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = policy.rules?.[rule.id];
    if (setting?.enabled === false) continue;
    for (const draft of rule.check({ sessions, thresholds })) {
      const session = draft.session === null ? undefined : byId.get(draft.session);
      const identity = draft.identity ?? (session === undefined ? {} : sessionParts(session));
      const finding: Finding = {
        rule: rule.id,
        severity: setting?.severity ?? draft.severity ?? rule.defaultSeverity,
        session: draft.session,
        frames: draft.frames,
        message: draft.message,
        remediation: rule.remediation,
        fingerprint: fingerprintOf(rule.id, identity),
      };
      if (draft.details !== undefined) finding.details = draft.details;
      if (policy.suppressions !== undefined && policy.suppressions.length > 0) {
        // The finding's own user where the rule is about one, else the session's.
        const user = 'user' in identity ? (identity['user'] as string | null) : (session?.user ?? null);
        applySuppression({ finding, server: session?.server ?? null, user }, policy.suppressions, today);
      }
      findings.push(finding);
    }
  }
  // Array.prototype.sort is stable: equal findings keep registry order.
  return findings.sort((x, y) =>
    SEVERITIES.indexOf(y.severity) - SEVERITIES.indexOf(x.severity) ||
    compareLabels(x.session, y.session) ||
    compareLabels(x.frames[0], y.frames[0]));
}
