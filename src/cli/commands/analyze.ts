/** `pop3scope analyze`: per-session summaries and findings, in any output format. */
import { Command } from 'commander';
import type { Finding, SessionOut } from '../../model.js';
import { AnalysisTextStream } from '../../report/analysis-text.js';
import { renderAnalysis } from '../../report/text.js';
import { writeJson } from '../../report/json.js';
import { writeHtml } from '../../report/html.js';
import { JsonlWriter } from '../../report/jsonl.js';
import { renderSarif } from '../../report/sarif.js';
import { RULES } from '../../rules/registry.js';
import { TOOL_VERSION } from '../../version.js';
import { makeColors } from '../../report/colors.js';
import { addCaptureOptions, addLiveOptions, CAPTURE_ARGUMENT, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { exitAfter, inputStreams, runAnalysis } from '../run-analysis.js';
import { filterResult, sessionMatches } from '../session-filter.js';
import { finish, resultStream, type Io } from '../io.js';

export const FORMATS = ['text', 'json', 'jsonl', 'sarif', 'html'];

export function analyzeCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('analyze')
    .description('summarise every POP3/POP3S session and list the security findings')
    .argument(...CAPTURE_ARGUMENT)
    .addOption(formatOption(FORMATS, 'text'));
  addLiveOptions(addCaptureOptions(cmd)).action(async (inputs: string[], o: CommonOpts) => {
    const out = resultStream(io, o.output);
    const filter = filterOf(o);
    const options = analyzeOptionsOf(o);
    const colors = () => makeColors({ color: o.color, stream: o.output ? {} : (io.stdout as NodeJS.WriteStream) });
    // Sessions and their findings are written as they close (jsonl always, text when the input streams).
    const written = new Set<Finding>();
    const shown = new Set<string>();
    const streamed = o.format === 'jsonl'
      ? new JsonlWriter((line) => out.write(line + '\n'))
      : o.format === 'text' && inputStreams(inputs, o)
        ? new AnalysisTextStream((text) => out.write(text), { colors: colors() })
        : undefined;
    if (streamed !== undefined) {
      options.onSession = (s: SessionOut) => {
        if (!sessionMatches(s, filter)) return;
        shown.add(s.id);
        streamed.session(s);
      };
      options.onFinding = (f) => {
        if (f.session !== null && !shown.has(f.session)) return;
        if (!f.provisional) written.add(f);
        streamed.finding(f);
      };
    }
    if (streamed instanceof JsonlWriter) options.onCapture = (c) => streamed.capture(c);
    const run = await runAnalysis(inputs, o, options, io);
    const result = filterResult(run.result, filter);
    switch (o.format) {
      case 'json':
        writeJson(result, (piece) => out.write(piece));
        out.write('\n');
        break;
      case 'jsonl':
        // What only the end knows: findings of rules that compare sessions (final versions).
        for (const f of result.findings) if (!written.has(f)) (streamed as JsonlWriter).finding(f);
        break;
      case 'html':
        writeHtml(result, (piece) => out.write(piece));
        break;
      case 'sarif':
        out.write(JSON.stringify(renderSarif(result, { rules: RULES, toolVersion: TOOL_VERSION }), null, 2) + '\n');
        break;
      default:
        if (streamed instanceof AnalysisTextStream) streamed.end(result);
        else out.write(renderAnalysis(result, { colors: colors() }));
    }
    await finish(out, io);
    setExit(exitAfter(run, run.damageExit));
  });
  return cmd;
}
