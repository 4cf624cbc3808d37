/**
 * Runs the analysis for a subcommand: progress on standard error, capture warnings as
 * diagnostics, unreadable input as a one-line error, and the damaged-input exit code.
 */
import { analyze, type AnalyzeOptions } from '../analyze.js';
import type { AnalysisResult, CaptureWarning } from '../model.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import { ProgressLine } from './progress.js';
import { CliError, EXIT_DAMAGED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { inputsSize, type Io } from './io.js';
import type { CommonOpts } from './common-options.js';

export interface AnalysisRun {
  result: AnalysisResult;
  /** EXIT_DAMAGED when an input was damaged and --strict was given, else EXIT_OK. */
  damageExit: number;
}

export async function runAnalysis(inputs: string[], opts: CommonOpts, analyzeOpts: AnalyzeOptions, io: Io): Promise<AnalysisRun> {
  if (inputs.length === 0) throw new CliError('no capture given: name one or more files, or - for standard input');
  if (inputs.filter((i) => i === '-').length > 1) throw new CliError('standard input (-) can be named only once');
  const progress = new ProgressLine(io.stderr as NodeJS.WriteStream, inputsSize(inputs), Boolean(opts.progress));
  let doneBefore = 0;
  let lastInput = 0;
  let lastBytes = 0;
  const sources = inputs.map((i) => (i === '-' ? io.stdin : i));
  let result: AnalysisResult;
  try {
    result = await analyze(sources, {
      ...analyzeOpts,
      onProgress: (p) => {
        if (p.input !== lastInput) {
          doneBefore += lastBytes;
          lastInput = p.input;
        }
        lastBytes = p.bytes;
        progress.update(doneBefore + p.bytes, p.packets, p.sessions);
      },
    });
  } catch (e) {
    progress.done();
    const err = e as Error & { code?: string };
    if (err instanceof CliError) throw err;
    if (err.name === 'CaptureInputError' || err.code) throw new CliError(err.message, EXIT_USAGE);
    throw e;
  }
  progress.done();

  const unreadable = (c: AnalysisResult['captures'][number]) => c.packets === 0 && c.warnings.some((w) => w.fatal);
  if (result.captures.every(unreadable)) {
    const c = result.captures[0];
    const first = c?.warnings.find((w) => w.fatal);
    throw new CliError(first ? `${escapeForTerminal(c.path)}: ${escapeForTerminal(first.message)}${where(first)}` : 'no input could be read', EXIT_USAGE);
  }
  let damaged = false;
  for (const c of result.captures) {
    if (c.damaged || c.warnings.some((w) => w.fatal)) damaged = true;
    if (opts.quiet) continue;
    for (const w of c.warnings) {
      const level = w.fatal ? 'error' : 'warning';
      io.stderr.write(`pop3scope: ${level}: ${escapeForTerminal(c.path)}: ${escapeForTerminal(w.message)}${where(w)}\n`);
    }
  }
  if (!opts.quiet) {
    for (const w of result.policyWarnings ?? []) io.stderr.write(`pop3scope: warning: policy ${escapeForTerminal(opts.policy ?? '')}: ${escapeForTerminal(w)}\n`);
  }
  return { result, damageExit: damaged && opts.strict ? EXIT_DAMAGED : EXIT_OK };
}

/** ` (offset 114, frame 2)`: where in the input a problem was found, for a hex editor or Wireshark. */
function where(w: CaptureWarning): string {
  const parts = [w.offset !== undefined ? `offset ${w.offset}` : '', w.frame !== undefined ? `frame ${w.frame}` : ''].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
