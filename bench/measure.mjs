/**
 * Runs one whole process and measures its wall time and peak resident memory.
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`), which also covers every
 * process of a shell pipeline; without it the RSS column says n/a.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * @typedef {{ wall: number, rssMiB: number|null, code: number|null, signal: string|null, stderr: string }} Measurement
 */

/**
 * @param {string[]} argv the command; run through `sh -c` when `shell` is set
 * @param {{ stdout?: string, shell?: boolean, timeoutMs?: number }} [opts] stdout: file to write standard output to (default /dev/null)
 * @returns {Measurement}
 */
export function measure(argv, opts = {}) {
  const timeFile = path.join(os.tmpdir(), `pop3scope-bench-time-${process.pid}`);
  const cmd = opts.shell ? ['sh', '-c', argv.join(' ')] : argv;
  const full = GNU_TIME ? [GNU_TIME, '-f', '%e %M', '-o', timeFile, ...cmd] : cmd;
  const out = fs.openSync(opts.stdout ?? '/dev/null', 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { stdio: ['ignore', out, 'pipe'], maxBuffer: 64 << 20, timeout: opts.timeoutMs });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.closeSync(out);
  let rssMiB = null;
  if (GNU_TIME) {
    try {
      const m = /(\S+)\s+(\d+)\s*$/.exec(fs.readFileSync(timeFile, 'utf8'));
      if (m) rssMiB = Number(m[2]) / 1024;
      fs.rmSync(timeFile, { force: true });
    } catch { /* time did not write: the command could not start */ }
  }
  let code = r.status;
  let stderr = r.stderr ? r.stderr.toString() : String(r.error ?? '');
  // GNU time reports a non-zero exit or a signal of the command on stderr; keep only the command's own text.
  stderr = stderr.split('\n').filter((l) => !/^Command (exited with non-zero status|terminated by signal)/.test(l)).join('\n');
  return { wall, rssMiB, code, signal: r.signal, stderr };
}

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `--help`: print the calling script's header comment (its usage) and exit. */
export function printUsageAndExit(scriptUrl) {
  const header = fs.readFileSync(new URL(scriptUrl), 'utf8').split('*/')[0];
  process.stdout.write(header.split('\n').slice(2).map((l) => l.replace(/^ \* ?/, '')).join('\n').trimEnd() + '\n');
  process.exit(0);
}
