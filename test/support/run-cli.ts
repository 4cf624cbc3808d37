/** Runs the built command line as a subprocess, as a user would. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/pop3scope.js', import.meta.url));
const HOOK = new URL('./peak-memory.mjs', import.meta.url).href;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export function runCli(args: string[], opts: { input?: Buffer | string; env?: Record<string, string>; nodeArgs?: string[] } = {}): CliRun {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
    cwd: REPO,
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout };
}

/** Runs a shell line (pipes, redirections) with `pop3scope` meaning the built binary. */
export function runShell(line: string): CliRun {
  const cmd = line.replace(/(^|[|;&]\s*)pop3scope\b/g, `$1node ${BIN}`);
  const r = spawnSync('bash', ['-c', cmd], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout };
}

export interface MeasuredRun extends CliRun {
  /** Peak resident memory of the run, in MiB. */
  rssMiB: number;
  /** Wall-clock time of the run, in seconds. */
  seconds: number;
}

/** runCli, and what the run cost: peak memory and time, measured inside the child (test/support/peak-memory.mjs). */
export function runCliMeasured(args: string[]): MeasuredRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'pop3scope-measure-'));
  const file = path.join(dir, 'measure.json');
  try {
    const r = runCli(args, { nodeArgs: ['--import', HOOK], env: { POP3SCOPE_MEASURE: file } });
    const m = JSON.parse(readFileSync(file, 'utf8')) as { maxRssKiB: number; seconds: number };
    return { ...r, rssMiB: m.maxRssKiB / 1024, seconds: m.seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
