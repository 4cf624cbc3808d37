/**
 * Wire text inside a one-line finding message: control characters and line
 * breaks from a hostile peer must not forge extra lines in a report.
 */
import type { SessionOut } from '../model.js';

const MAX_QUOTED = 80;

/** `"alice"`, with control characters shown as `?` and long text cut. */
export function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, '?');
  return JSON.stringify(clean.length > MAX_QUOTED ? `${clean.slice(0, MAX_QUOTED)}…` : clean);
}

/** `session 3 (192.0.2.7:51234 → 192.0.2.1:110)` */
export function sessionLabel(s: SessionOut): string {
  return `session ${s.id} (${s.client.ip}:${s.client.port} → ${s.server.ip}:${s.server.port})`;
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
