/**
 * `--live IFACE`: records the interface through a real capture program (tcpdump, else
 * dumpcap) writing a pcap stream to a pipe, which the analysis reads as it arrives.
 * The program runs in its own process group, so a Ctrl-C at the terminal reaches
 * pop3scope, which stops it cleanly (the last packets are flushed) instead of both dying.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, type WriteStream } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { CliError } from './exit-codes.js';

export interface LiveCaptureOptions {
  iface: string;
  /** BPF capture filter. */
  filter: string;
  /** Also keep the recorded capture in this file. */
  save?: string;
}

interface CaptureProgram {
  name: 'tcpdump' | 'dumpcap';
  path: string;
  args(o: LiveCaptureOptions): string[];
  /** The line on standard error that says the capture runs. */
  ready: RegExp;
}

const PROGRAMS: Omit<CaptureProgram, 'path'>[] = [
  {
    name: 'tcpdump',
    // -U: each packet is written as it arrives; --immediate-mode: the kernel hands it over at once.
    args: (o) => ['-i', o.iface, '-U', '--immediate-mode', '-n', '-w', '-', o.filter],
    ready: /^tcpdump: listening on /m,
  },
  {
    name: 'dumpcap',
    args: (o) => ['-i', o.iface, '-f', o.filter, '-w', '-'],
    ready: /^Capturing on /m,
  },
];

/** How long the capture program may take to start, and to exit once asked to. */
const START_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;
/** After the command ends: room for its last packets to pass through the kernel and the capture program. */
const SETTLE_MS = 300;
/** dumpcap says "Capturing on" before it opens the device: a failure to open it follows within this time. */
const DUMPCAP_OPEN_MS = 300;

export class LiveCapture {
  private stopping = false;
  private readonly exited: Promise<void>;
  private stderrText = '';

  private constructor(
    readonly program: CaptureProgram,
    private readonly child: ChildProcess,
    /** The pcap bytes, as they arrive. */
    readonly stream: NodeJS.ReadableStream,
    private readonly saved: WriteStream | null,
  ) {
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  /** Starts the capture and resolves once the program says it is capturing. */
  static async start(o: LiveCaptureOptions): Promise<LiveCapture> {
    const program = findProgram();
    const child = spawn(program.path, program.args(o), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
    let saved: WriteStream | null = null;
    if (o.save !== undefined) {
      saved = createWriteStream(o.save);
      const file = o.save;
      saved.on('error', (e) => stream.destroy(new CliError(`cannot write --save ${file}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
      child.stdout!.pipe(saved);
    }
    child.stdout!.pipe(stream);
    const capture = new LiveCapture(program, child, stream, saved);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      // Kept short: only the start and the end of what it says matter.
      capture.stderrText = (capture.stderrText + text).slice(-8192);
    });
    await capture.waitUntilCapturing(o.iface);
    return capture;
  }

  private async waitUntilCapturing(iface: string): Promise<void> {
    const { name } = this.program;
    const failure = (why: string) => {
      const said = this.stderrText.trim();
      const lacksPrivilege = /permission|not permitted/i.test(said);
      const hint = lacksPrivilege
        ? `capturing on ${iface} needs privileges ${name} lacks here: run as root (sudo), or grant the capability (e.g. setcap cap_net_raw,cap_net_admin=eip $(command -v ${name}))`
        : `${name} ${why}`;
      return new CliError(`${hint}${said ? `; ${name} said: ${said.split('\n').slice(0, 3).join(' ')}` : ''}`);
    };
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      const check = () => {
        if (this.program.ready.test(this.stderrText)) {
          clearTimeout(timer);
          this.child.stderr!.off('data', check);
          resolve(true);
        }
      };
      this.child.stderr!.on('data', check);
      this.child.once('close', () => {
        clearTimeout(timer);
        resolve(false);
      });
      this.child.once('error', () => resolve(false));
    });
    if (started && name === 'dumpcap') await Promise.race([this.exited, delay(DUMPCAP_OPEN_MS)]);
    if (!started || this.child.exitCode !== null || this.child.signalCode !== null) {
      this.kill();
      throw failure(started ? 'stopped right after starting' : `did not start capturing on ${iface} within ${START_TIMEOUT_MS / 1000} s`);
    }
  }

  /**
   * Stops the capture: the program is asked to stop (SIGINT, as at a terminal), writes what
   * it holds and exits, and the stream ends. `settle` first waits for packets still in flight.
   */
  async stop(settle = true): Promise<void> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    if (settle) await delay(SETTLE_MS);
    this.signal('SIGINT');
    const timer = setTimeout(() => this.kill(), EXIT_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
    if (this.saved !== null && !this.saved.closed) await new Promise<void>((resolve) => this.saved!.once('close', () => resolve()));
  }

  /** What the capture program said on standard error, when it ended on its own (an interface gone). */
  endedOnItsOwn(): string | null {
    if (this.stopping || (this.child.exitCode === null && this.child.signalCode === null)) return null;
    return this.stderrText.trim();
  }

  private signal(name: NodeJS.Signals): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      this.child.kill(name);
    } catch {
      // Already gone.
    }
  }

  private kill(): void {
    this.signal('SIGKILL');
  }
}

function findProgram(): CaptureProgram {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const p of PROGRAMS) {
    for (const dir of dirs) {
      const path = join(dir, p.name);
      try {
        accessSync(path, constants.X_OK);
        return { ...p, path };
      } catch {
        // Not here.
      }
    }
  }
  throw new CliError('--live needs a capture program and found neither tcpdump nor dumpcap in PATH: install the Debian package tcpdump (apt-get install tcpdump), or wireshark-common for dumpcap');
}

/**
 * The capture filter: all TCP when content detection is on (POP3 may be on any port),
 * else TCP on the POP3 and POP3S ports (--no-detect).
 */
export function captureFilter(ports: number[], detect: boolean): string {
  if (detect) return 'tcp';
  return `tcp and (${[...new Set(ports)].map((p) => `port ${p}`).join(' or ')})`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CommandEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It could not be started (not found, not executable). */
  error?: string;
}

export interface RunningCommand {
  child: ChildProcess;
  ended: Promise<CommandEnd>;
}

/** The command run under `--live IFACE -- CMD ARGS...`: its output goes to standard error, so results stay parseable. */
export function runCommand(argv: string[], stderr: Writable): RunningCommand {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
  child.stdout!.pipe(stderr, { end: false });
  child.stderr!.pipe(stderr, { end: false });
  const ended = new Promise<CommandEnd>((resolve) => {
    child.once('error', (e: NodeJS.ErrnoException) =>
      resolve({ code: null, signal: null, error: e.code === 'ENOENT' ? `${argv[0]}: command not found` : e.message }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, ended };
}
