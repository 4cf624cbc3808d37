/**
 * Whether a stream on a POP3 port is POP3 at all, judged from the first line
 * of each side: a server that opens with a status, a client that opens with a
 * known command. It is POP3 once either side says so; it is not once one side
 * says no while the other has not said yes (then `rejected` holds the first
 * bytes of the side that said no, for `notPop3`). Moved here from the POP3
 * session, which no longer sniffs: content detection runs it before the
 * dissector sees a byte.
 */
import type { NotPop3 } from '../model.js';
import type { Direction } from '../tcp/stream.js';
import { startsWithStatus } from './first-lines.js';
import { latin1 } from '../latin1.js';

/** How many leading bytes of each direction are kept to judge (and show) a stream that is not POP3. */
export const SNIFF_BYTES = 64;

export class ProtocolSniffer {
  /** The first bytes of each side, and its verdict (null: not judged yet). */
  private readonly first: Record<Direction, Uint8Array | null> = { client: null, server: null };
  private readonly verdict: Record<Direction, boolean | null> = { client: null, server: null };
  /** Set once one side is judged not POP3 while the other is not known to be. */
  rejected: Required<NotPop3> | null = null;

  /**
   * Joined mid-stream, any text-like first line is accepted: it may be the tail of a line.
   * `isCommand`: a POP3 command keyword (upper case), from the dissector's table.
   */
  constructor(private readonly midstream: boolean, private readonly isCommand: (keyword: string) => boolean) {}

  /** One side said POP3: the stream is POP3 whatever the other side says. */
  get accepted(): boolean {
    return this.verdict.client === true || this.verdict.server === true;
  }

  undecided(dir: Direction): boolean {
    return this.verdict[dir] === null;
  }

  /** Keep the leading bytes of an undecided side. */
  keep(dir: Direction, bytes: Uint8Array): void {
    if (this.verdict[dir] !== null) return;
    const have = this.first[dir];
    if (have && have.length >= SNIFF_BYTES) return;
    const add = bytes.subarray(0, SNIFF_BYTES - (have?.length ?? 0));
    const next = new Uint8Array((have?.length ?? 0) + add.length);
    if (have) next.set(have);
    next.set(add, have?.length ?? 0);
    this.first[dir] = next;
  }

  /** The start of this side is missing: its first line proves nothing either way. */
  gap(dir: Direction): void {
    if (this.verdict[dir] === null) this.verdict[dir] = true;
  }

  /** The first client line (`text` decoded), unless judged already. */
  clientLine(bytes: Uint8Array, text: string): void {
    if (this.verdict.client !== null) return;
    const sp = text.indexOf(' ');
    const looksLike = this.isCommand((sp < 0 ? text : text.slice(0, sp)).toUpperCase())
      || (this.midstream && printable(bytes));
    this.judge('client', looksLike);
  }

  /** The first server line, unless judged already. */
  serverLine(bytes: Uint8Array): void {
    if (this.verdict.server !== null) return;
    this.judge('server', startsWithStatus(bytes) || (this.midstream && printable(bytes)));
  }

  /** A first "line" of `pending` bytes without a line end yet: once long enough, judge it by its first bytes. */
  unfinishedLine(dir: Direction, pending: number): void {
    if (this.verdict[dir] !== null || pending < SNIFF_BYTES) return;
    const first = this.first[dir]!;
    this.judge(dir, dir === 'server'
      ? startsWithStatus(first) || (this.midstream && printable(first))
      : startsWithCommand(first, this.isCommand) || (this.midstream && printable(first)));
  }

  private judge(dir: Direction, ok: boolean): void {
    this.verdict[dir] = ok;
    const other = dir === 'client' ? 'server' : 'client';
    if (!ok && this.verdict[other] !== true) {
      const first = this.first[dir]!;
      this.rejected = { kind: classify(first), direction: dir, bytes: first.length, firstBytes: latin1(first) };
    }
  }
}

/** Text-like: no control bytes other than tab, CR, LF. */
function printable(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f) return false;
  }
  return true;
}

/** The first word of the bytes is a known command keyword. */
function startsWithCommand(bytes: Uint8Array, isCommand: (keyword: string) => boolean): boolean {
  let end = 0;
  while (end < bytes.length && end < 8 && bytes[end] !== 0x20 && bytes[end] !== 13 && bytes[end] !== 10) end++;
  return end > 0 && isCommand(latin1(bytes.subarray(0, end)).toUpperCase());
}

/** What a stream that is not POP3 looks like from its first bytes, said without showing them. */
function classify(bytes: Uint8Array): string {
  // A TLS handshake record: content type 22, major version 3 (RFC 8446 §5.1).
  if (bytes[0] === 0x16 && bytes[1] === 0x03) return 'tls';
  const start = latin1(bytes.subarray(0, 16));
  if (/^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH|TRACE) |^HTTP\/\d/.test(start)) return 'http';
  if (start.startsWith('SSH-')) return 'ssh';
  return printable(bytes) ? 'text' : 'binary';
}
