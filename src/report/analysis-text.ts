/**
 * The default text view: what was read, what each session did, what is wrong.
 * Findings are grouped by severity (highest first), then by session; a rule's
 * remediation is printed once, at its first finding (each time with verbose).
 */
import type { AnalysisResult, CaptureInfo, Finding, SessionOut } from '../model.js';
import type { Colors } from './colors.js';
import { secondsBetween } from './elapsed.js';
import { framesLabel, plural } from './labels.js';
import { sessionSummaryLine } from './session-summary.js';
import { SEVERITIES_HIGHEST_FIRST, severityCounts } from './severity-order.js';
import { escapeForTerminal } from './terminal-text.js';

export interface AnalysisTextOptions {
  colors: Colors;
  /** Repeat the remediation under every finding instead of once per rule. */
  verbose?: boolean;
}

export function renderAnalysis(result: AnalysisResult, opts: AnalysisTextOptions): string {
  const { colors } = opts;
  const lines = inputLines(result, colors);

  if (result.sessions.length > 0) {
    lines.push('', colors.bold('Sessions'));
    for (const s of result.sessions) lines.push('  ' + sessionSummaryLine(s, colors));
  }

  if (result.findings.length > 0) {
    lines.push('', colors.bold('Findings'));
    const remediated = new Set<string>();
    for (const sev of SEVERITIES_HIGHEST_FIRST) {
      const group = result.findings.filter((f) => f.severity === sev);
      if (group.length === 0) continue;
      lines.push(colors.severity(sev, sev.toUpperCase()) + colors.dim(` (${group.length})`));
      for (const f of bySession(group, result)) {
        for (const line of findingLines(f, colors, opts.verbose === true || !remediated.has(f.rule))) lines.push(line);
        remediated.add(f.rule);
      }
    }
  }

  lines.push('', totalLine(result));
  return lines.join('\n') + '\n';
}

/** The inputs read, each with its warnings, then the caps the analysis hit. */
function inputLines(result: AnalysisResult, colors: Colors): string[] {
  const lines: string[] = [];
  for (const c of result.captures) for (const line of captureLines(c, colors)) lines.push(line);
  for (const [limit, count] of Object.entries(result.limits)) {
    lines.push(colors.err(`limit reached: ${escapeForTerminal(limit)} (${count} times)`));
  }
  return lines;
}

/**
 * The text view while the input streams (a pipe, `--live`): each session's line and its
 * findings as it closes, then what only the end knows: the inputs read, limits, findings
 * of rules that compare sessions, and the totals.
 */
export class AnalysisTextStream {
  private readonly printed = new Set<Finding>();
  private readonly remediated = new Set<string>();
  private sessions = 0;

  constructor(private readonly write: (text: string) => void, private readonly opts: AnalysisTextOptions) {}

  session(s: SessionOut): void {
    if (this.sessions++ === 0) this.write(this.opts.colors.bold('Sessions (as they end)') + '\n');
    this.write('  ' + sessionSummaryLine(s, this.opts.colors) + '\n');
  }

  /** A finding known before the end (provisional ones are left for the final list). */
  finding(f: Finding): void {
    if (f.provisional) {
      this.write(`  ${this.opts.colors.severity(f.severity, escapeForTerminal(f.rule))}  ${escapeForTerminal(f.message)}\n`);
      return;
    }
    this.printed.add(f);
    this.write(this.findingText(f));
  }

  end(result: AnalysisResult): void {
    const { colors } = this.opts;
    const lines = ['', ...inputLines(result, colors)];
    const rest = result.findings.filter((f) => !this.printed.has(f));
    this.write(lines.join('\n') + '\n');
    if (rest.length > 0) {
      this.write('\n' + colors.bold('Findings across sessions') + '\n');
      for (const f of rest) this.write(this.findingText(f));
    }
    this.write('\n' + totalLine(result) + '\n');
  }

  private findingText(f: Finding): string {
    const withRemediation = this.opts.verbose === true || !this.remediated.has(f.rule);
    this.remediated.add(f.rule);
    return findingLines(f, this.opts.colors, withRemediation).map((l) => `  ${l}\n`).join('');
  }
}

function captureLines(c: CaptureInfo, colors: Colors): string[] {
  const format = [c.format ?? 'unknown format', c.timestampPrecision, c.compression].filter((x) => x !== null).join(', ');
  const head = [
    colors.bold(escapeForTerminal(c.path)),
    format,
    plural(c.packets, 'packet'),
  ];
  if (c.linkTypes.length > 0) head.push(c.linkTypes.map(escapeForTerminal).join(', '));
  if (c.first !== null && c.last !== null) {
    const span = secondsBetween(c.first, c.last);
    head.push(`${c.first} → ${c.last}` + (span === null ? '' : ` (${span.toFixed(3)} s)`));
  }
  if (c.damaged) head.push(colors.err('damaged'));
  const lines = [head.join('  ')];
  const skipped = Object.entries(c.skipped);
  if (skipped.length > 0) {
    lines.push(colors.dim('  skipped: ' + skipped.map(([why, n]) => `${escapeForTerminal(why)} ${n}`).join(', ')));
  }
  for (const w of c.warnings) {
    const where = [w.frame !== undefined ? `frame ${w.frame}` : '', w.offset !== undefined ? `offset ${w.offset}` : '']
      .filter((x) => x !== '')
      .join(', ');
    const label = w.fatal ? colors.err('error') : colors.severity('medium', 'warning');
    lines.push(`  ${label} ${escapeForTerminal(w.code)}${where ? ` (${where})` : ''}: ${escapeForTerminal(w.message)}`);
  }
  return lines;
}

/** Findings of one severity, in session order (sessionless findings last), stable within a session. */
function bySession(group: Finding[], result: AnalysisResult): Finding[] {
  const order = new Map(result.sessions.map((s, i) => [s.id, i]));
  const rank = (f: Finding) => (f.session === null ? Infinity : (order.get(f.session) ?? result.sessions.length));
  return group.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
}

function findingLines(f: Finding, colors: Colors, withRemediation: boolean): string[] {
  const where = [f.session === null ? '' : `session #${escapeForTerminal(f.session)}`, f.frames.length > 0 ? `${f.frames.length === 1 ? "frame" : "frames"} ${framesLabel(f.frames)}` : '']
    .filter((x) => x !== '')
    .join(', ');
  const lines = [`  ${colors.severity(f.severity, escapeForTerminal(f.rule))}  ${escapeForTerminal(f.message)}${where ? colors.dim(`  [${where}]`) : ''}`];
  if (withRemediation && f.remediation !== '') lines.push(colors.dim(`    fix: ${escapeForTerminal(f.remediation)}`));
  return lines;
}

/** `3 sessions, 5 findings: 1 high, 2 medium, 2 info` */
export function totalLine(result: AnalysisResult): string {
  const counts = severityCounts(result.findings);
  return `${plural(result.sessions.length, 'session')}, ${plural(result.findings.length, 'finding')}${counts ? ': ' + counts : ''}${emptyConnections(result)}`;
}

/** `; 3 connections to a POP3 port carried no data` — so "0 sessions" never hides a SYN scan. */
export function emptyConnections(result: AnalysisResult): string {
  const empty = result.connections?.empty ?? 0;
  if (empty === 0) return '';
  return `; ${plural(empty, 'connection')} to a POP3 port carried no data (not listed)`;
}
