/** `pop3scope sessions`: one aligned row per session. */
import { Command } from 'commander';
import { renderSessionsTable } from '../../report/text.js';
import { inContractOrder, SESSION } from '../../report/contract-order.js';
import { makeColors } from '../../report/colors.js';
import { addCaptureOptions, addLiveOptions, CAPTURE_ARGUMENT, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { exitAfter, runAnalysis } from '../run-analysis.js';
import { filterResult } from '../session-filter.js';
import { finish, resultStream, type Io } from '../io.js';

export function sessionsCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('sessions')
    .description('one row per session: endpoints, transport, user, login outcome, messages')
    .argument(...CAPTURE_ARGUMENT)
    .addOption(formatOption(['text', 'json', 'jsonl'], 'text'));
  addLiveOptions(addCaptureOptions(cmd)).action(async (inputs: string[], o: CommonOpts) => {
    const out = resultStream(io, o.output);
    const run = await runAnalysis(inputs, o, analyzeOptionsOf(o), io);
    const result = filterResult(run.result, filterOf(o));
    const rows = result.sessions.map(({ transcript: _t, ...rest }) => inContractOrder(rest, SESSION));
    if (o.format === 'json') out.write(JSON.stringify(rows, null, 2) + '\n');
    else if (o.format === 'jsonl') for (const r of rows) out.write(JSON.stringify(r) + '\n');
    else out.write(renderSessionsTable(result, { colors: makeColors({ color: o.color, stream: o.output ? {} : (io.stdout as NodeJS.WriteStream) }) }));
    await finish(out, io);
    setExit(exitAfter(run, run.damageExit));
  });
  return cmd;
}
