/** `pop3scope analyze`: per-session summaries and findings, in any output format. */
import { Command } from 'commander';
import type { SessionOut } from '../../model.js';
import { renderAnalysis } from '../../report/text.js';
import { writeJson } from '../../report/json.js';
import { writeHtml } from '../../report/html.js';
import { JsonlWriter } from '../../report/jsonl.js';
import { renderSarif } from '../../report/sarif.js';
import { RULES } from '../../rules/registry.js';
import { TOOL_VERSION } from '../../version.js';
import { makeColors } from '../../report/colors.js';
import { addCaptureOptions, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { runAnalysis } from '../run-analysis.js';
import { filterResult, sessionMatches } from '../session-filter.js';
import { finish, resultStream, type Io } from '../io.js';

export const FORMATS = ['text', 'json', 'jsonl', 'sarif', 'html'];

export function analyzeCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('analyze')
    .description('summarise every POP3/POP3S session and list the security findings')
    .argument('<capture...>', 'pcap, pcapng or gzip files, or - for standard input')
    .addOption(formatOption(FORMATS, 'text'));
  addCaptureOptions(cmd).action(async (inputs: string[], o: CommonOpts) => {
    const out = resultStream(io, o.output);
    const filter = filterOf(o);
    const options = analyzeOptionsOf(o);
    let jsonl: JsonlWriter | undefined;
    if (o.format === 'jsonl') {
      jsonl = new JsonlWriter((line) => out.write(line + '\n'));
      options.onSession = (s: SessionOut) => { if (sessionMatches(s, filter)) jsonl!.session(s); };
      options.onCapture = (c) => jsonl!.capture(c);
    }
    const run = await runAnalysis(inputs, o, options, io);
    const result = filterResult(run.result, filter);
    switch (o.format) {
      case 'json':
        writeJson(result, (piece) => out.write(piece));
        out.write('\n');
        break;
      case 'jsonl':
        for (const f of result.findings) jsonl!.finding(f);
        break;
      case 'html':
        writeHtml(result, (piece) => out.write(piece));
        break;
      case 'sarif':
        out.write(JSON.stringify(renderSarif(result, { rules: RULES, toolVersion: TOOL_VERSION }), null, 2) + '\n');
        break;
      default:
        out.write(renderAnalysis(result, { colors: makeColors({ color: o.color, stream: o.output ? {} : (io.stdout as NodeJS.WriteStream) }) }));
    }
    await finish(out, io);
    setExit(run.damageExit);
  });
  return cmd;
}
