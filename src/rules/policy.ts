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
import { parseSuppressions, type Suppression } from './suppressions.js';
import { RuleRunner } from './runner.js';
import { isObject } from './json-input.js';

export interface Policy {
  rules?: Record<string, { enabled?: boolean; severity?: Severity }>;
  thresholds?: Record<string, number>;
  suppressions?: Suppression[];
}

export class PolicyError extends Error {
  override name = 'PolicyError';
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

/**
 * Runs the enabled rules over finished sessions and grades their findings: severity high to low,
 * then session, then first frame. Each finding gets its fingerprint, and is marked when a
 * suppression of the policy that has not expired by `now` matches it. `RuleRunner` does the same
 * as sessions close one by one.
 */
export function runRules(sessions: SessionOut[], policy: Policy = {}, rules: readonly Rule[] = RULES, now: Date = new Date()): Finding[] {
  const runner = new RuleRunner(policy, rules, now);
  for (const s of sessions) runner.sessionClosed(s);
  return runner.finish(sessions);
}
