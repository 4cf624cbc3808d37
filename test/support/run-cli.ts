/** Runs the built command line as a subprocess, as a user would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/pop3scope.js', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export function runCli(args: string[], opts: { input?: Buffer | string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
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
