/**
 * `check` view for CI logs: pass or fail against the threshold, the findings that
 * failed the gate (one line each), and a count of those below it.
 */
import type { AnalysisResult, Finding, Severity } from '../model.js';
import { failsGate } from '../rules/policy.js';
import type { Colors } from './colors.js';
import { framesLabel, plural } from './labels.js';
import { atOrAbove, severityCounts, severityRank } from './severity-order.js';
import { escapeForTerminal as esc } from './terminal-text.js';

export interface CheckSummaryOptions {
  colors: Colors;
}

/**
 * `FAIL: 2 findings at or above high (1 critical, 1 high) in 3 sessions`, then one line per
 * failing finding, highest first; or `PASS: no findings at or above high ...`. Findings at or
 * above the threshold that a baseline knows or the policy suppresses follow, marked `known`
 * or `suppressed`, then how many there were of each.
 */
export function renderCheckSummary(result: AnalysisResult, failOn: Severity, opts: CheckSummaryOptions): string {
  const { colors } = opts;
  const failing = result.findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => atOrAbove(f.severity, failOn))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i)
    .map(({ f }) => f);
  const accepted = failing.filter((f) => !failsGate(f, failOn));
  const gating = failing.filter((f) => failsGate(f, failOn));
  const below = result.findings.filter((f) => !atOrAbove(f.severity, failOn));
  const inSessions = `in ${plural(result.sessions.length, 'session')}`;
  // With a baseline, what fails is what is new.
  const what = result.baseline === undefined ? 'finding' : 'new finding';
  // A column saying new, known or suppressed, once a baseline or a suppression is in play.
  const tagged = result.baseline !== undefined || accepted.length > 0;
  const line = (f: Finding, tag: string) => {
    const where = [f.session === null ? '' : `session #${esc(f.session)}`, f.frames.length > 0 ? `${f.frames.length === 1 ? "frame" : "frames"} ${framesLabel(f.frames)}` : '']
      .filter((x) => x !== '')
      .join(', ');
    const column = tagged ? `${tag.padEnd(11)}` : '';
    return `  ${colors.severity(f.severity, f.severity.padEnd(8))} ${column}${esc(f.rule)}  ${esc(f.message)}${where ? colors.dim(`  [${where}]`) : ''}`;
  };
  const lines: string[] = [];
  if (gating.length > 0) {
    lines.push(`${colors.err(colors.bold('FAIL'))}: ${plural(gating.length, what)} at or above ${failOn} (${severityCounts(gating)}) ${inSessions}`);
    for (const f of gating) lines.push(line(f, result.baseline === undefined ? '' : 'new'));
  } else {
    lines.push(`${colors.ok(colors.bold('PASS'))}: no ${what}s at or above ${failOn} ${inSessions}`);
  }
  for (const f of accepted) {
    const tag = f.suppressed !== undefined ? 'suppressed' : 'known';
    lines.push(line(f, tag) + (f.suppressed !== undefined ? colors.dim(` (${esc(f.suppressed.justification)})`) : ''));
  }
  if (below.length > 0) lines.push(colors.dim(`  below the threshold: ${severityCounts(below)}`));
  const counts: string[] = [];
  if (result.baseline !== undefined) {
    const b = result.baseline;
    counts.push(`${b.unchanged} known, ${b.new} new, ${b.absent.length} absent (baseline ${esc(b.file)})`);
  }
  const suppressed = result.findings.filter((f) => f.suppressed !== undefined).length;
  if (suppressed > 0 || result.baseline !== undefined) counts.push(`${suppressed} suppressed by the policy`);
  if (counts.length > 0) lines.push(colors.dim(`  ${counts.join('; ')}`));
  for (const c of result.captures.filter((c) => c.damaged)) {
    lines.push(colors.err(`  input damaged: ${esc(c.path)} (analysed as far as it could be read)`));
  }
  return lines.join('\n') + '\n';
}
