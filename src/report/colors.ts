/**
 * Whether text output is coloured, and the palette. Decided once per stream, in
 * this order (the first rule that speaks wins):
 *
 * 1. the command line: `--no-color` (color: false) or `--color` (color: true);
 * 2. `NO_COLOR` set to anything but the empty string: no colour (no-color.org);
 * 3. `FORCE_COLOR`: `0` or `false` means none, `1`/`2`/`3` that chalk level,
 *    any other value (including empty) level 1;
 * 4. otherwise colour only when the stream is a terminal and `TERM` is not `dumb`.
 *
 * NO_COLOR beats FORCE_COLOR: a user who asked for none should never get escapes.
 */
import { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';
import type { Severity } from '../model.js';

export interface ColorStream {
  isTTY?: boolean;
  getColorDepth?: (env?: NodeJS.ProcessEnv) => number;
}

export interface ColorOptions {
  /** From `--color` / `--no-color`; undefined when the user said neither. */
  color?: boolean;
  stream: NodeJS.WriteStream | ColorStream;
  /** The environment to read NO_COLOR, FORCE_COLOR and TERM from (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Colors {
  readonly enabled: boolean;
  readonly chalk: ChalkInstance;
  severity(severity: Severity, text: string): string;
  /** Client lines in a transcript. */
  client(text: string): string;
  /** Server lines in a transcript. */
  server(text: string): string;
  ok(text: string): string;
  err(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function colorLevel(opts: ColorOptions): ColorSupportLevel {
  const env = opts.env ?? process.env;
  if (opts.color === false) return 0;
  const noColor = env['NO_COLOR'];
  if (opts.color === undefined && noColor !== undefined && noColor !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (opts.color === undefined && force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return 0;
    if (force === '1' || force === '2' || force === '3') return Number(force) as ColorSupportLevel;
    return 1;
  }
  if (opts.color === true) return Math.max(1, depthLevel(opts.stream, env)) as ColorSupportLevel;
  if (opts.stream.isTTY !== true || env['TERM'] === 'dumb') return 0;
  return Math.max(1, depthLevel(opts.stream, env)) as ColorSupportLevel;
}

function depthLevel(stream: ColorOptions['stream'], env: NodeJS.ProcessEnv): ColorSupportLevel {
  const depth = typeof stream.getColorDepth === 'function' ? stream.getColorDepth(env) : 4;
  if (depth >= 24) return 3;
  if (depth >= 8) return 2;
  if (depth >= 4) return 1;
  return 0;
}

export function makeColors(opts: ColorOptions): Colors {
  return paletteFor(new Chalk({ level: colorLevel(opts) }));
}

/** Colours off: for tests and for output that is not a terminal. */
export const PLAIN: Colors = paletteFor(new Chalk({ level: 0 }));

function paletteFor(chalk: ChalkInstance): Colors {
  const bySeverity: Record<Severity, (s: string) => string> = {
    critical: (s) => chalk.bold.whiteBright.bgRed(s),
    high: (s) => chalk.bold.red(s),
    medium: (s) => chalk.yellow(s),
    low: (s) => chalk.cyan(s),
    info: (s) => chalk.gray(s),
  };
  return {
    enabled: chalk.level > 0,
    chalk,
    severity: (severity, text) => bySeverity[severity](text),
    client: (s) => chalk.cyan(s),
    server: (s) => chalk.magenta(s),
    ok: (s) => chalk.green(s),
    err: (s) => chalk.red(s),
    dim: (s) => chalk.dim(s),
    bold: (s) => chalk.bold(s),
  };
}
