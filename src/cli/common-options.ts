/** Options shared by the subcommands, defined once so every subcommand reads them alike. */
import { readFileSync } from 'node:fs';
import { Command, Option, InvalidArgumentError } from 'commander';
import type { AnalyzeOptions, AnalysisLimits } from '../analyze.js';
import type { ExtractLimits } from '../extract/extract-limits.js';
import { parsePolicy, type Policy } from '../rules/policy.js';
import type { SessionFilter } from './session-filter.js';
import { CliError } from './exit-codes.js';

export interface CommonOpts {
  session?: string[];
  client?: string;
  server?: string;
  user?: string;
  pop3Ports?: number[];
  pop3sPorts?: number[];
  /** false with --no-detect. */
  detect?: boolean;
  showSecrets?: boolean;
  policy?: string;
  output?: string;
  quiet?: boolean;
  color?: boolean;
  strict?: boolean;
  format?: string;
  progress?: boolean;
  limit?: AnalysisLimits & ExtractLimits;
  keylog?: string[];
  /** `--live IFACE`: record the interface (while the command after `--` runs, or until Ctrl-C). */
  live?: string;
  /** `--save FILE`: keep what `--live` recorded. */
  save?: string;
}

/** The capture argument of the subcommands that analyse: files, `-`, or with --live the command to run. */
export const CAPTURE_ARGUMENT = ['[capture...]', 'pcap, pcapng or gzip files, or - for standard input; with --live, the command to run while recording (after --)'] as const;

/** `--live IFACE [-- CMD ARGS...]` and `--save FILE`: analyse what an interface carries. */
export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--live <iface>', 'record this interface with tcpdump or dumpcap and analyse it: while the command after -- runs, or until Ctrl-C')
    .option('--save <file>', 'with --live: also keep the recorded capture in this pcap file');
}

/** `--limit NAME=N`: the caps of docs/limits.md by their names there. */
const LIMIT_NAMES: Record<string, keyof AnalysisLimits | keyof ExtractLimits> = {
  connections: 'maxConnections',
  'ooo-per-connection': 'maxBufferedPerConnection',
  'ooo-total': 'maxBufferedTotal',
  'idle-seconds': 'idleTimeoutSec',
  'line-length': 'maxLineLength',
  'pending-commands': 'maxPendingCommands',
  'header-bytes': 'maxHeaderBytes',
  'transcript-entries': 'maxTranscriptEntries',
  'sasl-rounds': 'maxSaslRounds',
  'gzip-ratio': 'gzipMaxRatio',
  // extract only
  'message-bytes': 'maxMessageBytes',
  'extract-bytes': 'maxTotalBytes',
  'mime-depth': 'maxMimeDepth',
  'mime-parts': 'maxMimeParts',
};

export function limitOption(value: string, previous: AnalysisLimits & ExtractLimits = {}): AnalysisLimits & ExtractLimits {
  const m = /^([a-z-]+)=(\d+)$/.exec(value.trim());
  const key = m ? LIMIT_NAMES[m[1]] : undefined;
  if (!m || !key) {
    throw new InvalidArgumentError(`expected NAME=NUMBER with NAME one of ${Object.keys(LIMIT_NAMES).join(', ')}`);
  }
  return { ...previous, [key]: Number(m[2]) };
}

function portList(value: string, previous: number[] = []): number[] {
  const ports = value.split(',').map((p) => {
    const n = Number(p.trim());
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`'${p}' is not a TCP port (1-65535).`);
    return n;
  });
  return [...previous, ...ports];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** Filters and ports: every subcommand that reads captures has them. */
export function addCaptureOptions(cmd: Command): Command {
  return cmd
    .option('--session <id>', 'only this session (repeatable, or comma-separated ids)', collect)
    .option('--client <ip[:port]>', 'only sessions from this client')
    .option('--server <ip[:port]>', 'only sessions to this server')
    .option('--user <name>', 'only sessions that used this user name')
    .option('--pop3-ports <ports>', 'also treat these ports as plain POP3 (default 110)', portList)
    .option('--pop3s-ports <ports>', 'also treat these ports as POP3 over TLS (default 995)', portList)
    .option('--no-detect', 'find POP3 by its ports only, not by the content of connections on other ports')
    .option('--show-secrets', 'reveal passwords, SASL secrets and tokens (redacted by default)')
    .option('--keylog <file>', 'TLS key log (NSS format, as SSLKEYLOGFILE writes) to decrypt POP3S and STLS (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--strict', 'exit 3 when an input is damaged, even if it was analysed')
    .option('--policy <file>', 'JSON policy: enable, disable or re-grade rules, set thresholds')
    .option('--limit <name=n>', 'change a resource cap, e.g. connections=20000 (repeatable; see docs/limits.md)', limitOption)
    .option('-o, --output <file>', 'write results to a file instead of standard output')
    .option('-q, --quiet', 'no diagnostics on standard error, only results')
    .option('--color', 'colours even when standard output is not a terminal')
    .option('--no-color', 'no colours, even on a terminal')
    .addOption(new Option('--progress', 'show a progress line on standard error even when it would not').hideHelp());
}

export function formatOption(choices: string[], dflt: string): Option {
  return new Option('-f, --format <format>', 'output format').choices(choices).default(dflt);
}

export function filterOf(o: CommonOpts): SessionFilter {
  return { session: o.session, client: o.client, server: o.server, user: o.user };
}

export function loadPolicy(path: string | undefined): Policy | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read policy ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`policy ${path} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return parsePolicy(json, path);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function analyzeOptionsOf(o: CommonOpts & { bodies?: boolean }): AnalyzeOptions {
  return {
    pop3Ports: o.pop3Ports,
    pop3sPorts: o.pop3sPorts,
    detect: o.detect !== false,
    showSecrets: Boolean(o.showSecrets),
    bodies: Boolean(o.bodies),
    policy: loadPolicy(o.policy),
    limits: o.limit,
    keylog: o.keylog,
  };
}
