/** `pop3scope extract`: every retrieved message as .eml, its attachments, and DIR/index.json with sha256s. */
import { Command, Option } from 'commander';
import type { ExtractionIndex } from '../../extract/extraction-index.js';
import { renderExtractText } from '../../report/extract-text.js';
import { makeColors } from '../../report/colors.js';
import { escapeForTerminal } from '../../report/terminal-text.js';
import { addCaptureOptions, analyzeOptionsOf, filterOf, formatOption, type CommonOpts } from '../common-options.js';
import { runAnalysis } from '../run-analysis.js';
import { messageStartMatches } from '../session-filter.js';
import { CliError } from '../exit-codes.js';
import { finish, resultStream, type Io } from '../io.js';

interface ExtractOpts extends CommonOpts {
  outputDir: string;
  force?: boolean;
}

export function extractCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('extract')
    .description('write every retrieved message (.eml), its attachments and an index with sha256s into a directory')
    .argument('<capture...>', 'pcap, pcapng or gzip files, or - for standard input')
    .addOption(new Option('-d, --output-dir <dir>', 'directory to write into (made if missing; must be empty unless --force)').makeOptionMandatory())
    .option('--force', 'write into a directory that is not empty, replacing its files (never through a symlink)')
    .addOption(formatOption(['text', 'json'], 'text'));
  addCaptureOptions(cmd).action(async (inputs: string[], o: ExtractOpts) => {
    const filter = filterOf(o);
    // Loaded here, not at start-up: the other subcommands never pay for the MIME parser.
    const { Extraction } = await import('../../extract/extract.js');
    const extraction = await outputErrors(async () => new Extraction({
      outputDir: o.outputDir, force: o.force, limits: o.limit, accept: (m) => messageStartMatches(m, filter),
    }));
    const options = analyzeOptionsOf(o);
    options.messageData = extraction.sink;
    const run = await outputErrors(() => runAnalysis(inputs, o, options, io));
    const index: ExtractionIndex = await outputErrors(() => extraction.finish());
    if (!o.quiet) for (const w of index.warnings) io.stderr.write(`pop3scope: warning: ${escapeForTerminal(w)}\n`);
    const out = resultStream(io, o.output);
    if (o.format === 'json') out.write(JSON.stringify(index, null, 2) + '\n');
    else out.write(renderExtractText(index, o.outputDir, makeColors({ color: o.color, stream: o.output ? {} : (io.stdout as NodeJS.WriteStream) })));
    await finish(out, io);
    setExit(run.damageExit);
  });
  return cmd;
}

/** A file the extraction may not write is a usage problem with a clear message, not an internal error. */
async function outputErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if ((e as Error).name === 'OutputDirError') throw new CliError(escapeForTerminal((e as Error).message));
    throw e;
  }
}
