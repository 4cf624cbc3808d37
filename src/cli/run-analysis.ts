/**
 * Runs the analysis for a subcommand: progress on standard error, capture warnings as
 * diagnostics, unreadable input as a one-line error, and the damaged-input exit code.
 */
import { fstatSync } from 'node:fs';
import { analyze, DEFAULT_POP3_PORTS, DEFAULT_POP3S_PORTS, type AnalyzeOptions, type Input as AnalyzeInput } from '../analyze.js';
import { captureFilter, LiveCapture, runCommand, type CommandEnd, type RunningCommand } from './live-capture.js';
import { stopOnSignals } from './stop-signals.js';
import type { AnalysisResult, CaptureWarning } from '../model.js';
import { escapeForTerminal } from '../report/terminal-text.js';
import { ProgressLine } from './progress.js';
import { CliError, EXIT_COMMAND_FAILED, EXIT_DAMAGED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { inputsSize, type Io } from './io.js';
import type { CommonOpts } from './common-options.js';

export interface AnalysisRun {
  result: AnalysisResult;
  /** EXIT_DAMAGED when an input was damaged and --strict was given, else EXIT_OK. */
  damageExit: number;
  /** With `--live IFACE -- CMD`: how the command ended (`failed` says it in words). */
  command?: { failed: string | null };
}

/** The exit code once the output is written: a failed `--live` command first, else `code`. */
export function exitAfter(run: AnalysisRun, code: number): number {
  return run.command?.failed != null ? EXIT_COMMAND_FAILED : code;
}

/** True when the results arrive over time (a pipe, a terminal, --live): text output then streams too. */
export function inputStreams(inputs: string[], opts: CommonOpts): boolean {
  if (opts.live !== undefined) return true;
  if (!inputs.includes('-')) return false;
  try {
    return !fstatSync(0).isFile();
  } catch {
    return true;
  }
}

export async function runAnalysis(inputs: string[], opts: CommonOpts, analyzeOpts: AnalyzeOptions, io: Io): Promise<AnalysisRun> {
  if (opts.save !== undefined && opts.live === undefined) throw new CliError('--save keeps what --live records: give --live IFACE too');
  if (opts.live !== undefined) return runLive(inputs, opts, analyzeOpts, io);
  if (inputs.length === 0) throw new CliError('no capture given: name one or more files, or - for standard input');
  if (inputs.filter((i) => i === '-').length > 1) throw new CliError('standard input (-) can be named only once');
  const stop = stopOnSignals(io.stderr, Boolean(opts.quiet));
  try {
    return await analyzeInputs(inputs.map((i) => (i === '-' ? io.stdin : i)), inputs, opts, { ...analyzeOpts, signal: stop.signal }, io);
  } finally {
    stop.dispose();
  }
}

/**
 * `--live IFACE [-- CMD ARGS...]`: starts the capture, waits until it runs, runs the
 * command, stops the capture when the command ends (or at Ctrl-C without one) and
 * analyses what it recorded, as it arrives.
 */
async function runLive(command: string[], opts: CommonOpts, analyzeOpts: AnalyzeOptions, io: Io): Promise<AnalysisRun> {
  const ports = [...DEFAULT_POP3_PORTS, ...(opts.pop3Ports ?? []), ...DEFAULT_POP3S_PORTS, ...(opts.pop3sPorts ?? [])];
  const filter = captureFilter(ports, opts.detect !== false);
  const capture = await LiveCapture.start({ iface: opts.live!, filter, save: opts.save });
  const say = (line: string) => { if (!opts.quiet) io.stderr.write(`pop3scope: ${line}\n`); };
  say(`recording ${escapeForTerminal(opts.live!)} with ${capture.program.name} (${filter})${command.length > 0 ? '' : '; Ctrl-C stops'}`);
  let running: RunningCommand | null = null;
  // A signal stops the capture program and the analysis reads what it flushed to the end.
  const stop = stopOnSignals(io.stderr, Boolean(opts.quiet), () => {
    running?.child.kill('SIGTERM');
    void capture.stop(false);
  });
  try {
    let ended: Promise<CommandEnd> | null = null;
    if (command.length > 0) {
      running = runCommand(command, io.stderr);
      ended = running.ended.then(async (end) => {
        await capture.stop();
        return end;
      });
    }
    const run = await analyzeInputs([capture.stream], ['-'], opts, analyzeOpts, io);
    await capture.stop(false);
    const gone = capture.endedOnItsOwn();
    if (gone !== null) say(`warning: ${capture.program.name} stopped on its own before the end: ${escapeForTerminal(gone)}`);
    if (ended !== null) {
      const end = await ended;
      // The program's name only: its arguments may hold a password.
      const shown = escapeForTerminal(command[0]!);
      const failed = end.error ?? (end.signal !== null ? `killed by ${end.signal}` : end.code !== 0 ? `exited with ${end.code}` : null);
      say(failed === null ? `the command (${shown}) succeeded` : `the command (${shown}) failed: ${escapeForTerminal(failed)}`);
      run.command = { failed };
    }
    return run;
  } finally {
    stop.dispose();
    // Never leave the capture program (its own process group) running after an error.
    await capture.stop(false);
  }
}

async function analyzeInputs(sources: AnalyzeInput[], inputs: string[], opts: CommonOpts, analyzeOpts: AnalyzeOptions, io: Io): Promise<AnalysisRun> {
  const progress = new ProgressLine(io.stderr as NodeJS.WriteStream, inputsSize(inputs), Boolean(opts.progress));
  let doneBefore = 0;
  let lastInput = 0;
  let lastBytes = 0;
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
