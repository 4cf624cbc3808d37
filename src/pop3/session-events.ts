/**
 * What a POP3 session flags besides its transcript: events counted by name
 * (in first-seen order, which is the order the output shows), notes on single
 * transcript entries, and the cap that session records share with the
 * transcript.
 */
import type { TranscriptEntry } from '../model.js';

export class SessionEvents {
  readonly counts: Record<string, number> = {};

  constructor(private readonly maxRecords: number) {}

  count(event: string, by = 1): void {
    this.counts[event] = (this.counts[event] ?? 0) + by;
  }

  /** Session records (auth attempts, listed, retrieved, deleted) share the transcript's cap; drops are counted. */
  room(what: string, size: number): boolean {
    if (size < this.maxRecords) return true;
    this.count(`${what}-dropped`);
    return false;
  }
}

/** Adds a note to a transcript entry once. */
export function note(entry: TranscriptEntry, what: string): void {
  (entry.notes ??= []).includes(what) || entry.notes.push(what);
}
