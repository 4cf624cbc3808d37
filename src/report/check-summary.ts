/**
 * `check` view for CI logs: pass or fail against the threshold, the findings that
 * failed the gate (one line each), and a count of those below it.
 */
import type { AnalysisResult, Severity } from '../model.js';
import type { Colors } from './colors.js';
import { framesLabel, plural } from './labels.js';
import { atOrAbove, severityCounts, severityRank } from './severity-order.js';
import { escapeForTerminal as esc } from './terminal-text.js';

export interface CheckSummaryOptions {
  colors: Colors;
}

/**
 * `FAIL: 2 findings at or above high (1 critical, 1 high) in 3 sessions`, then one line per
 * failing finding, highest first; or `PASS: no findings at or above high ...`.
 */
export function renderCheckSummary(result: AnalysisResult, failOn: Severity, opts: CheckSummaryOptions): string {
  const { colors } = opts;
  const failing = result.findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => atOrAbove(f.severity, failOn))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i)
    .map(({ f }) => f);
  const below = result.findings.filter((f) => !atOrAbove(f.severity, failOn));
  const inSessions = `in ${plural(result.sessions.length, 'session')}`;
  const lines: string[] = [];
  if (failing.length > 0) {
    lines.push(`${colors.err(colors.bold('FAIL'))}: ${plural(failing.length, 'finding')} at or above ${failOn} (${severityCounts(failing)}) ${inSessions}`);
    for (const f of failing) {
      const where = [f.session === null ? '' : `session #${esc(f.session)}`, f.frames.length > 0 ? `${f.frames.length === 1 ? "frame" : "frames"} ${framesLabel(f.frames)}` : '']
        .filter((x) => x !== '')
        .join(', ');
      lines.push(`  ${colors.severity(f.severity, f.severity.padEnd(8))} ${esc(f.rule)}  ${esc(f.message)}${where ? colors.dim(`  [${where}]`) : ''}`);
    }
  } else {
    lines.push(`${colors.ok(colors.bold('PASS'))}: no findings at or above ${failOn} ${inSessions}`);
  }
  if (below.length > 0) lines.push(colors.dim(`  below the threshold: ${severityCounts(below)}`));
  for (const c of result.captures.filter((c) => c.damaged)) {
    lines.push(colors.err(`  input damaged: ${esc(c.path)} (analysed as far as it could be read)`));
  }
  return lines.join('\n') + '\n';
}
