/**
 * What a security rule is: an id users can put in a policy, the reason it
 * matters, the fix, and a check over the sessions (only the output model:
 * rules never see packets, and secrets reach them already redacted).
 */
import type { Finding, SessionOut, Severity } from '../model.js';
import type { FingerprintParts } from './fingerprint.js';

export interface RuleContext {
  sessions: SessionOut[];
  /** Every rule's thresholds: defaults, overridden by the policy. */
  thresholds: Record<string, number>;
}

/** A finding before the policy grades it: the runner adds the rule id, severity and remediation. */
export type FindingDraft = Omit<Finding, 'rule' | 'severity' | 'remediation' | 'fingerprint' | 'suppressed' | 'baselineState'> & {
  /** Overrides the rule's default severity for this finding (a policy re-grade still wins). */
  severity?: Severity;
  /**
   * What makes this problem itself, for its fingerprint (fingerprint.ts): never client ports,
   * frames, times or session ids. Default: the session's server address, port and user.
   */
  identity?: FingerprintParts;
};

export interface ThresholdSpec {
  default: number;
  description: string;
}

export interface Rule {
  /** kebab-case, stable: policies and CI jobs name rules by it. */
  id: string;
  title: string;
  defaultSeverity: Severity;
  /** Why it matters, citing RFC or CWE. */
  rationale: string;
  /** How to fix it. */
  remediation: string;
  /** URLs of RFCs and CWEs (rfc-editor.org, cwe.mitre.org). */
  references: string[];
  /** Named numbers the policy may change, keyed `<rule id>.<name>`. */
  thresholds?: Record<string, ThresholdSpec>;
  /**
   * `session`: `check` judges each session alone, so it runs on each session as it closes
   * (findings stream). Default `capture`: it compares sessions and runs at the end.
   */
  scope?: 'session' | 'capture';
  check(ctx: RuleContext): FindingDraft[];
  /**
   * For a rule that compares sessions: a watcher fed each session as it closes, which says
   * as soon as a threshold is crossed (a provisional finding; `check` gives the final one).
   */
  watch?(thresholds: Record<string, number>): SessionWatcher;
}

/** Returns the provisional findings the session just closed brings about (usually none). */
export type SessionWatcher = (session: SessionOut) => FindingDraft[];
