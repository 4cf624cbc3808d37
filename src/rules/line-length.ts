/** Octets of a transcript line on the wire, line end included (RFC 2449 §4 counts the CRLF). */
import type { TranscriptEntry } from '../model.js';

export function octetsWithLineEnd(e: TranscriptEntry): number | null {
  if (e.length === undefined) return null;
  return e.length + (e.notes?.includes('bare-lf') ? 1 : 2);
}
