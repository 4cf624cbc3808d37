/**
 * Wire text inside a one-line finding message: control characters and line
 * breaks from a hostile peer must not forge extra lines in a report.
 */
import { escapeCaptured } from '../captured-text.js';
import { flowLabel } from '../endpoint-text.js';
import type { SessionOut } from '../model.js';

const MAX_QUOTED = 80;

/**
 * `"alice"`: long text cut, then escaped as every output escapes captured text
 * (control and bidi characters as `\x1b`, `\u{202e}`), the quote mark as `\"`.
 */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return `"${escapeCaptured(cut).replace(/"/g, '\\"')}"`;
}

/** `session 3 (192.0.2.7:51234 → 192.0.2.1:110)`, `session 4 ([::1]:59372 → [::1]:110)` */
export function sessionLabel(s: SessionOut): string {
  return `session ${s.id} (${flowLabel(s)})`;
}

/** `frame 7` or `frames 7, 9, 12` (at most eight listed; the finding's `frames` holds them all). */
export function framesText(frames: readonly (number | string)[]): string {
  if (frames.length === 1) return `frame ${frames[0]}`;
  const shown = frames.slice(0, 8).join(', ');
  return `frames ${shown}${frames.length > 8 ? ', …' : ''}`;
}

/** Each frame once, in first-seen order. */
export function uniqueFrames(frames: Iterable<number | string>): (number | string)[] {
  return [...new Set(frames)];
}

/** A command keyword as sent: unknown keywords may hold any byte, so only printable ASCII is kept. */
export function keyword(command: string | undefined): string {
  if (command === undefined) return '?';
  const clean = command.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 20 ? `${clean.slice(0, 20)}…` : clean;
}
