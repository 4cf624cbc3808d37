/** `pop3scope transcript`: every command and response, optionally explained. */
import { Command } from 'commander';
import { renderTranscript } from '../../report/text.js';
import { inContractOrder, SESSION } from '../../report/contract-order.js';
import { makeColors } from '../../report/colors.js';
import { addCaptureOptions, addLiveOptions, CAPTURE_ARGUMENT, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { exitAfter, runAnalysis } from '../run-analysis.js';
import { filterResult } from '../session-filter.js';
import { finish, resultStream, type Io } from '../io.js';

interface TranscriptOpts extends CommonOpts {
  explain?: boolean;
  bodies?: boolean;
}

export function transcriptCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('transcript')
    .description('the full command/response transcript of each session')
    .argument(...CAPTURE_ARGUMENT)
    .addOption(formatOption(['text', 'json'], 'text'))
    .option('--explain', 'annotate each command and response with what it does and its RFC section')
    .option('--bodies', 'show retrieved message text instead of a one-line summary');
  addLiveOptions(addCaptureOptions(cmd)).action(async (inputs: string[], o: TranscriptOpts) => {
    const out = resultStream(io, o.output);
    const run = await runAnalysis(inputs, o, analyzeOptionsOf(o), io);
    const result = filterResult(run.result, filterOf(o));
    if (o.format === 'json') {
      // The same session objects as `analyze --format json` (secret entries lose their raw line).
      out.write(JSON.stringify(result.sessions.map((s) => inContractOrder(s, SESSION)), null, 2) + '\n');
    } else {
      const colors = makeColors({ color: o.color, stream: o.output ? {} : (io.stdout as NodeJS.WriteStream) });
      out.write(renderTranscript(result, { explain: o.explain, bodies: o.bodies, showSecrets: o.showSecrets, colors }));
    }
    await finish(out, io);
    setExit(exitAfter(run, run.damageExit));
  });
  return cmd;
}
