/**
 * What the first bytes of one direction say about the protocol, judged one
 * line at a time: a POP3 status (`+OK`, `-ERR`), a POP3 command (a keyword of
 * the command table, any case, then a space or the line end), or the opening
 * of a protocol that is not POP3. Other protocols' openings are named so the
 * rules read as the documentation does: SMTP and FTP greet `220`, IMAP `* OK`
 * (or `* PREAUTH`, `* BYE`), SSH `SSH-`, HTTP requests start with a method and
 * responses `HTTP/`, TLS with a handshake record.
 */
import { latin1 } from '../latin1.js';

/** Which side's line this is, and what it looks like. */
export type LineVerdict = 'status' | 'command' | 'other';

const PLUS_OK = [0x2b, 0x4f, 0x4b]; // +OK
const MINUS_ERR = [0x2d, 0x45, 0x52, 0x52]; // -ERR

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

/** After the status word: the line ends, or a space starts its text. */
function endsWord(b: Uint8Array, at: number): boolean {
  return at >= b.length || b[at] === 0x20 || b[at] === 0x0d || b[at] === 0x0a;
}

/** A server line that is a POP3 status (RFC 1939 §3: "+OK" or "-ERR", case-sensitive, then text). */
export function isStatusLine(line: Uint8Array): boolean {
  return (startsWith(line, PLUS_OK) && endsWord(line, 3)) || (startsWith(line, MINUS_ERR) && endsWord(line, 4));
}

/** Longest command keyword in the POP3 table (RFC 2449 keywords are 3 or 4 characters; extensions up to 8). */
const MAX_KEYWORD = 8;

/**
 * A client line that is a POP3 command: its first word, upper-cased, is a
 * keyword `isCommand` accepts, followed by a space or the end of the line.
 */
export function isCommandLine(line: Uint8Array, isCommand: (keyword: string) => boolean): boolean {
  let end = 0;
  while (end < line.length && end <= MAX_KEYWORD && line[end] !== 0x20 && line[end] !== 0x0d && line[end] !== 0x0a) {
    const c = line[end]!;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
    if (!letter) return false;
    end++;
  }
  if (end === 0 || end > MAX_KEYWORD) return false;
  return isCommand(latin1(line.subarray(0, end)).toUpperCase());
}

/** The bytes begin like a reply (`+ `, `+OK`, `-ERR`, any case), judged without decoding them: looser than `isStatusLine`. */
export function startsWithStatus(bytes: Uint8Array): boolean {
  const b0 = bytes[0];
  if (b0 === 0x2b) return (bytes[1] ?? 0x20) === 0x20 || (bytes[1]! | 0x20) === 0x6f; // "+ " / "+OK"
  if (b0 === 0x2d) return (bytes[1] ?? 0) === 0x45 || bytes[1] === 0x65; // "-ERR"
  return false;
}
