/**
 * The command line: a thin shell over analyze() and the reports.
 * Results go to standard output, diagnostics to standard error; exit codes in exit-codes.ts.
 */
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../version.js';
import { analyzeCommand } from './commands/analyze.js';
import { transcriptCommand } from './commands/transcript.js';
import { sessionsCommand } from './commands/sessions.js';
import { checkCommand } from './commands/check.js';
import { followCommand } from './commands/follow.js';
import { rulesCommand } from './commands/rules.js';
import { explainCommand } from './commands/explain.js';
import { extractCommand } from './commands/extract.js';
import { CliError, EXIT_USAGE } from './exit-codes.js';
import { processIo, type Io } from './io.js';
import { escapeForTerminal } from '../report/terminal-text.js';

const EXAMPLES = `
Examples:
  $ pop3scope capture.pcapng                         summary and findings (analyze is the default)
  $ pop3scope transcript capture.pcap --session 3 --explain
  $ pop3scope sessions rotated-*.pcap                 several files are one capture, in time order
  $ pop3scope check ci.pcap --fail-on high --format sarif -o pop3.sarif
  $ pop3scope check --live lo -- npm test            records lo while the tests run, then gates it
  $ tcpdump -i lo -U -w - port 110 | pop3scope analyze --format jsonl -
  $ pop3scope follow capture.pcap --session 2 --format raw --direction server > stream.bin
  $ pop3scope extract capture.pcap --output-dir mail/   messages (.eml), attachments, index.json
  $ pop3scope explain DELE

Exit codes: 0 fine, 1 findings at or above --fail-on (check), 2 usage error or unreadable input,
3 damaged input (with --strict), 4 the command run under --live failed, 130 a second Ctrl-C.`;

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => { exitCode = code; };
  const program = new Command('pop3scope')
    .description('POP3 and POP3S sessions from packet captures: transcripts and security findings')
    .version(TOOL_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const sub of [analyzeCommand(io, setExit), transcriptCommand(io, setExit), sessionsCommand(io, setExit),
    checkCommand(io, setExit), followCommand(io, setExit), extractCommand(io, setExit), rulesCommand(io), explainCommand(io)]) {
    sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    // `pop3scope FILE` and `pop3scope --policy p.json FILE` mean `pop3scope analyze …`: commander decides, as it parses.
    program.addCommand(sub, { isDefault: sub.name() === 'analyze' });
  }

  const args = argv.slice(2);
  if (args.length === 0) args.push('--help');

  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      io.stderr.write(`pop3scope: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr.write(`pop3scope: internal error: ${escapeForTerminal(err.message ?? String(e))}\n`);
    if (process.env.POP3SCOPE_DEBUG) io.stderr.write(`${err.stack}\n`);
    return EXIT_USAGE;
  }
}
