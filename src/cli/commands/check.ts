/** `pop3scope check`: the CI gate. Exit 1 when a finding reaches --fail-on. */
import { Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '../../model.js';
import { renderCheckSummary } from '../../report/text.js';
import { writeJson } from '../../report/json.js';
import { renderSarif } from '../../report/sarif.js';
import { makeColors } from '../../report/colors.js';
import { RULES } from '../../rules/registry.js';
import { severityAtLeast } from '../../rules/policy.js';
import { TOOL_VERSION } from '../../version.js';
import { addCaptureOptions, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { runAnalysis } from '../run-analysis.js';
import { filterResult } from '../session-filter.js';
import { finish, resultStream, type Io } from '../io.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';

interface CheckOpts extends CommonOpts {
  failOn: Severity;
}

export function checkCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('check')
    .description('CI gate: print a short summary and exit 1 if any finding is at or above --fail-on')
    .argument('<capture...>', 'pcap, pcapng or gzip files, or - for standard input')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the check').choices([...SEVERITIES]).default('high'))
    .addOption(formatOption(['text', 'json', 'sarif'], 'text'));
  addCaptureOptions(cmd).action(async (inputs: string[], o: CheckOpts) => {
    const run = await runAnalysis(inputs, o, analyzeOptionsOf(o), io);
    const result = filterResult(run.result, filterOf(o));
    const failing = result.findings.filter((f) => severityAtLeast(f.severity, o.failOn));
    const out = resultStream(io, o.output);
    const colorsFor = (stream: unknown) => makeColors({ color: o.color, stream: (stream ?? {}) as NodeJS.WriteStream });
    if (o.format === 'sarif') out.write(JSON.stringify(renderSarif(result, { rules: RULES, toolVersion: TOOL_VERSION }), null, 2) + '\n');
    else if (o.format === 'json') {
      writeJson(result, (piece) => out.write(piece));
      out.write('\n');
    }
    else out.write(renderCheckSummary(result, o.failOn, { colors: colorsFor(o.output ? null : io.stdout) }));
    await finish(out, io);
    // With a file format on stdout or in --output, people still get the short summary, on stderr.
    if (o.format !== 'text' && !o.quiet) io.stderr.write(renderCheckSummary(result, o.failOn, { colors: colorsFor(io.stderr) }));
    setExit(failing.length > 0 ? EXIT_FINDINGS : run.damageExit || EXIT_OK);
  });
  return cmd;
}
