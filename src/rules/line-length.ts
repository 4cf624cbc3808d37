/** Octets of a transcript line on the wire, line end included (RFC 2449 §4 counts the CRLF). */
import type { TranscriptEntry } from '../model.js';
import { SECRET_LENGTH } from '../redaction.js';

/** The line's octets with its line end, whether or not its length may be shown. */
export function octetsWithLineEnd(e: TranscriptEntry): number | null {
  const length = e.length ?? e[SECRET_LENGTH];
  if (length === undefined) return null;
  return length + (e.notes?.includes('bare-lf') ? 1 : 2);
}

/** The longest of these lines whose length may be shown (a secret's length is a secret), or null when none may. */
export function longestShown(lines: readonly TranscriptEntry[]): number | null {
  let longest: number | null = null;
  for (const e of lines) {
    if (e.length === undefined) continue;
    const n = octetsWithLineEnd(e)!;
    if (longest === null || n > longest) longest = n;
  }
  return longest;
}
