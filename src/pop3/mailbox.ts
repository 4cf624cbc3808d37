/**
 * The mailbox as one POP3 session saw it: sizes and UIDs from LIST and UIDL,
 * the messages RETR and TOP fetched (with their headers' summary), the
 * deletions DELE marked and RSET undid, and whether QUIT committed them
 * (RFC 1939 §5, §6).
 */
import type { DeletedMessage, RetrievedMessage, SessionOut, TranscriptEntry } from '../model.js';
import type { MultilineCollector } from './multiline.js';
import { type SessionEvents, note } from './session-events.js';

export class Mailbox {
  private readonly listed = new Map<number, { number: number; octets: number; uid?: string }>();
  private readonly retrieved: RetrievedMessage[] = [];
  private readonly deleted = new Map<number, DeletedMessage>();
  private readonly subjects = new Map<number, string>();
  private committed = false;

  constructor(
    private readonly frameLabel: (frame: number) => number | string,
    private readonly events: SessionEvents,
  ) {}

  /** A single-line +OK / -ERR to a mailbox command sent in `commandFrame`. */
  replied(keyword: string, args: string[], ok: boolean, entry: TranscriptEntry, commandFrame: number): void {
    switch (keyword) {
      case 'LIST':
        if (ok && messageNumber(args[0]) !== null) this.recordListing(entry.text ?? '', 'octets');
        break;
      case 'UIDL':
        if (ok && messageNumber(args[0]) !== null) this.recordListing(entry.text ?? '', 'uid');
        break;
      case 'DELE': {
        const n = messageNumber(args[0]);
        if (ok && n !== null && !this.deleted.has(n)) {
          // The frame of the DELE itself: where a user looks for who deleted what.
          const d: DeletedMessage = { number: n, frame: this.frameLabel(commandFrame) };
          const known = this.listed.get(n);
          if (known?.octets !== undefined && known.octets >= 0) d.octets = known.octets;
          if (known?.uid !== undefined) d.uid = known.uid;
          const subject = this.subjects.get(n);
          if (subject !== undefined) d.subject = subject;
          if (this.events.room('deleted', this.deleted.size)) this.deleted.set(n, d);
        }
        break;
      }
      case 'RSET':
        if (ok) this.deleted.clear();
        break;
    }
  }

  /** The finished multi-line answer to a mailbox command (LIST, UIDL listings; RETR, TOP messages). */
  data(keyword: string, args: string[], commandFrame: number, entry: TranscriptEntry, c: MultilineCollector): void {
    switch (keyword) {
      case 'LIST':
        for (const item of c.items) this.recordListing(item, 'octets');
        break;
      case 'UIDL':
        for (const item of c.items) this.recordListing(item, 'uid');
        break;
      case 'RETR':
      case 'TOP':
        this.recordRetrieved(keyword, args, commandFrame, entry, c);
        break;
    }
  }

  /** QUIT moved the session to UPDATE: the deletions are committed. */
  commit(): void {
    this.committed = true;
  }

  result(): SessionOut['messages'] {
    return {
      // Only what LIST showed a size for (a UIDL-only id is kept on retrieved and deleted messages).
      listed: [...this.listed.values()].filter((m) => m.octets >= 0).sort((a, b) => a.number - b.number),
      retrieved: this.retrieved,
      deleted: [...this.deleted.keys()],
      deletedDetails: [...this.deleted.values()],
      committed: this.committed,
    };
  }

  private recordRetrieved(
    keyword: 'RETR' | 'TOP', args: string[], commandFrame: number, entry: TranscriptEntry, c: MultilineCollector,
  ): void {
    const number = messageNumber(args[0]);
    if (number === null) return;
    const frames = [this.frameLabel(commandFrame), entry.frame, this.frameLabel(c.lastFrame)]
      .filter((f, i, all) => all.indexOf(f) === i);
    const m: RetrievedMessage = { number, command: keyword, octets: c.octets, lines: c.lines, frames };
    const known = this.listed.get(number);
    if (known && known.octets >= 0) {
      m.listedOctets = known.octets;
      if (keyword === 'RETR' && c.complete && known.octets !== c.octets) {
        note(entry, 'size-differs-from-list');
        this.events.count('size-differs-from-list');
      }
    }
    if (known?.uid !== undefined) m.uid = known.uid;
    const h = c.messageHeaders;
    if (h) {
      if (h.from !== undefined) m.from = h.from;
      if (h.to !== undefined) m.to = h.to;
      if (h.subject !== undefined) {
        m.subject = h.subject;
        this.subjects.set(number, h.subject);
      }
      if (h.date !== undefined) m.date = h.date;
      if (h.messageId !== undefined) m.messageId = h.messageId;
    }
    if (this.events.room('retrieved', this.retrieved.length)) this.retrieved.push(m);
  }

  /** `n size` (LIST) or `n uid` (UIDL), from a single-line reply or one listing line. */
  private recordListing(text: string, what: 'octets' | 'uid'): void {
    const [a, b] = text.trim().split(/\s+/);
    const n = messageNumber(a);
    if (n === null || b === undefined) return;
    const item = this.listed.get(n) ?? { number: n, octets: -1 };
    if (what === 'octets') {
      const size = numberArg(b);
      if (size === null) return;
      item.octets = size;
    } else item.uid = b;
    if (this.listed.has(n) || this.events.room('listed', this.listed.size)) this.listed.set(n, item);
  }
}

/** A message number: RFC 1939 §2 numbers messages from 1, so 0 (or anything not a number) is none. */
export function messageNumber(s: string | undefined): number | null {
  const n = numberArg(s);
  return n !== null && n >= 1 ? n : null;
}

function numberArg(s: string | undefined): number | null {
  if (s === undefined || !/^\d{1,10}$/.test(s)) return null;
  return Number(s);
}
