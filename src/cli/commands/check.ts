/** `pop3scope check`: the CI gate. Exit 1 when a finding reaches --fail-on. */
import { Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '../../model.js';
import { renderCheckSummary } from '../../report/text.js';
import { writeJson } from '../../report/json.js';
import { renderSarif } from '../../report/sarif.js';
import { makeColors } from '../../report/colors.js';
import { RULES } from '../../rules/registry.js';
import { failsGate } from '../../rules/policy.js';
import { compareWithBaseline, parseBaseline } from '../../rules/baseline.js';
import { renderJunit } from '../../report/junit.js';
import { TOOL_VERSION } from '../../version.js';
import { addCaptureOptions, addLiveOptions, CAPTURE_ARGUMENT, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { exitAfter, runAnalysis } from '../run-analysis.js';
import { filterResult } from '../session-filter.js';
import { finish, resultStream, type Io } from '../io.js';
import { CliError, EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { readFileSync } from 'node:fs';
import type { BaselineFinding } from '../../model.js';

interface CheckOpts extends CommonOpts {
  failOn: Severity;
  baseline?: string;
}

/** Reads the baseline before the analysis, so a wrong path fails at once (exit 2, with the reason). */
function loadBaseline(path: string): BaselineFinding[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read baseline ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseBaseline(text, path);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function checkCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('check')
    .description('CI gate: print a short summary and exit 1 if any finding is at or above --fail-on')
    .argument(...CAPTURE_ARGUMENT)
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the check').choices([...SEVERITIES]).default('high'))
    .addOption(formatOption(['text', 'json', 'sarif', 'junit'], 'text'))
    .option('--baseline <file>', 'an earlier --format json or sarif output: its findings are known and do not fail the check');
  addLiveOptions(addCaptureOptions(cmd)).action(async (inputs: string[], o: CheckOpts) => {
    const baseline = o.baseline === undefined ? undefined : loadBaseline(o.baseline);
    const analyzeOpts = analyzeOptionsOf(o);
    const run = await runAnalysis(inputs, o, analyzeOpts, io);
    const result = filterResult(run.result, filterOf(o));
    if (baseline !== undefined) result.baseline = compareWithBaseline(result.findings, baseline, o.baseline!);
    const failing = result.findings.filter((f) => failsGate(f, o.failOn));
    const out = resultStream(io, o.output);
    const colorsFor = (stream: unknown) => makeColors({ color: o.color, stream: (stream ?? {}) as NodeJS.WriteStream });
    if (o.format === 'sarif') out.write(JSON.stringify(renderSarif(result, { rules: RULES, toolVersion: TOOL_VERSION }), null, 2) + '\n');
    else if (o.format === 'junit') {
      const disabled = new Set(Object.entries(analyzeOpts.policy?.rules ?? {}).filter(([, r]) => r.enabled === false).map(([id]) => id));
      out.write(renderJunit(result, { rules: RULES, failOn: o.failOn, disabled }));
    } else if (o.format === 'json') {
      writeJson(result, (piece) => out.write(piece));
      out.write('\n');
    }
    else out.write(renderCheckSummary(result, o.failOn, { colors: colorsFor(o.output ? null : io.stdout) }));
    await finish(out, io);
    // With a file format on stdout or in --output, people still get the short summary, on stderr.
    if (o.format !== 'text' && !o.quiet) io.stderr.write(renderCheckSummary(result, o.failOn, { colors: colorsFor(io.stderr) }));
    if (run.command !== undefined && failing.length > 0 && !o.quiet) {
      io.stderr.write(`pop3scope: the check failed: ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${o.failOn}\n`);
    }
    setExit(exitAfter(run, failing.length > 0 ? EXIT_FINDINGS : run.damageExit || EXIT_OK));
  });
  return cmd;
}
