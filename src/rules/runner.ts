/**
 * Runs the rules as sessions close, for output that streams: a rule that judges one
 * session alone runs on it when it closes, and its findings are final at once; a rule
 * that compares sessions runs over all of them at the end, and may say earlier, through
 * its watcher, that a threshold was crossed (a provisional finding). `finish()` returns
 * every finding in the same order a single run over the finished sessions gives.
 */
import { SEVERITIES, type Finding, type SessionOut } from '../model.js';
import type { FindingDraft, Rule, SessionWatcher } from './rule.js';
import type { Policy } from './policy.js';
import { RULES, defaultThresholds } from './registry.js';
import { fingerprintOf, sessionParts } from './fingerprint.js';
import { applySuppression, utcDate } from './suppressions.js';

interface Ranked {
  finding: Finding;
  /** The rule's place in the list run (ties keep registry order, as one run over all sessions does). */
  rule: number;
  seq: number;
}

export class RuleRunner {
  private readonly thresholds: Record<string, number>;
  private readonly today: string;
  private readonly enabled: { rule: Rule; index: number; watcher: SessionWatcher | null }[] = [];
  private readonly kept: Ranked[] = [];
  private seq = 0;

  /** `watch`: someone reads provisional findings (output that streams), so the watchers run; without, none does. */
  constructor(
    private readonly policy: Policy = {},
    rules: readonly Rule[] = RULES,
    now: Date = new Date(),
    watch = false,
  ) {
    this.thresholds = { ...defaultThresholds(rules), ...policy.thresholds };
    this.today = utcDate(now);
    rules.forEach((rule, index) => {
      if (policy.rules?.[rule.id]?.enabled === false) return;
      const watcher = watch && rule.scope !== 'session' && rule.watch ? rule.watch(this.thresholds) : null;
      this.enabled.push({ rule, index, watcher });
    });
  }

  /**
   * One session has closed: the findings of the rules that judge it alone (final), and
   * provisional findings of rules that compare sessions whose threshold it crossed.
   */
  sessionClosed(session: SessionOut): { findings: Finding[]; provisional: Finding[] } {
    const findings: Finding[] = [];
    const provisional: Finding[] = [];
    const one = new Map([[session.id, session]]);
    for (const { rule, index, watcher } of this.enabled) {
      if (rule.scope === 'session') {
        for (const draft of rule.check({ sessions: [session], thresholds: this.thresholds })) {
          const finding = this.grade(rule, draft, one);
          this.kept.push({ finding, rule: index, seq: this.seq++ });
          findings.push(finding);
        }
      } else if (watcher !== null) {
        for (const draft of watcher(session)) provisional.push({ ...this.grade(rule, draft, one), provisional: true });
      }
    }
    return { findings, provisional };
  }

  /** The end: rules that compare sessions run over all of them; every finding, graded and ordered. */
  finish(sessions: SessionOut[]): Finding[] {
    const byId = new Map(sessions.map((s) => [s.id, s]));
    const all = [...this.kept];
    for (const { rule, index } of this.enabled) {
      if (rule.scope === 'session') continue;
      for (const draft of rule.check({ sessions, thresholds: this.thresholds })) {
        all.push({ finding: this.grade(rule, draft, byId), rule: index, seq: this.seq++ });
      }
    }
    return all
      .sort((x, y) =>
        SEVERITIES.indexOf(y.finding.severity) - SEVERITIES.indexOf(x.finding.severity) ||
        compareLabels(x.finding.session, y.finding.session) ||
        compareLabels(x.finding.frames[0], y.finding.frames[0]) ||
        x.rule - y.rule ||
        x.seq - y.seq)
      .map((r) => r.finding);
  }

  private grade(rule: Rule, draft: FindingDraft, byId: Map<string, SessionOut>): Finding {
    const setting = this.policy.rules?.[rule.id];
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
    const suppressions = this.policy.suppressions;
    if (suppressions !== undefined && suppressions.length > 0) {
      // The finding's own user where the rule is about one, else the session's.
      const user = 'user' in identity ? (identity['user'] as string | null) : (session?.user ?? null);
      applySuppression({ finding, server: session?.server ?? null, user }, suppressions, this.today);
    }
    return finding;
  }
}

/** Made on first need: building a collator loads locale data (13 ms and more). */
let natural: Intl.Collator | null = null;

const DIGITS = /^[0-9]+$/;

/** Numbers first by value, then text (`file#frame`) in natural order. */
function compareLabels(a: number | string | null | undefined, b: number | string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  // Session ids are digits: shorter is smaller, else the text decides (no leading zeros).
  if (DIGITS.test(x) && DIGITS.test(y)) return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  natural ??= new Intl.Collator('en', { numeric: true });
  return natural.compare(x, y);
}
