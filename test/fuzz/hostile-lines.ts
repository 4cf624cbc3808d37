/**
 * fast-check arbitraries for POP3 conversations an attacker or a broken peer
 * could send: overlong, binary, unterminated lines, terminal escape sequences,
 * C1 controls, bidi overrides and invalid UTF-8 in every place a captured byte
 * can reach the output (greeting, user name, SASL line, unknown command,
 * response code, message Subject).
 */
import fc from 'fast-check';
import type { Turn } from '../support/conversation.js';

/** Bytes that must never reach a terminal raw: ESC sequences, C0, DEL, C1 (raw and UTF-8), bidi overrides, invalid UTF-8. */
export const NASTY: readonly Uint8Array[] = [
  Buffer.from('\x1b[2J\x1b[31mRED'),
  Buffer.from('\x1b]0;owned\x07'),
  Buffer.from('\x1b]8;;http://x\x1b\\link'),
  Uint8Array.of(0x07, 0x08, 0x00, 0x7f, 0x0b, 0x0c),
  Uint8Array.of(0x9b, 0x32, 0x4a), // C1 CSI as a raw byte (invalid UTF-8)
  Buffer.from('\u009b2J\u0085', 'utf8'), // C1 controls as valid UTF-8
  Buffer.from('\u202eevil\u202c\u2066x\u2069\u200f', 'utf8'), // bidi overrides and isolates
  Uint8Array.of(0xc3, 0x28, 0xff, 0xfe, 0xe2, 0x82), // invalid UTF-8
  Buffer.from('\r\rmid-line CR'),
];

export const nastyBytes = fc.constantFrom(...NASTY);

const text = fc.string({ maxLength: 20 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });

/** A piece of a line: plain text or nasty bytes. */
const piece = fc.oneof(text.map((s) => Buffer.from(s, 'latin1')), nastyBytes, bytes(12));

const lineOf = (parts: Uint8Array[]) => Buffer.concat([...parts.map((p) => Buffer.from(p))]);

/** A line body made of pieces, with nasty bytes likely. */
const body = fc.array(piece, { minLength: 0, maxLength: 4 }).map(lineOf);

const cat = (...xs: (string | Uint8Array)[]) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x))));

/** One client line: a known command with a hostile argument, an unknown command, a SASL line, binary, or overlong. */
const clientLine = fc.oneof(
  fc.tuple(fc.constantFrom('USER ', 'PASS ', 'APOP ', 'RETR ', 'TOP ', 'AUTH ', 'UIDL ', 'NOOP'), body).map(([k, b]) => cat(k, b, '\r\n')),
  body.map((b) => cat(b, ' arg\r\n')),
  body.map((b) => cat(Buffer.from(b).toString('base64'), '\r\n')),
  fc.integer({ min: 300, max: 3000 }).map((n) => cat('USER ', 'A'.repeat(n), '\r\n')),
  bytes(40).map((b) => cat(b, '\n')),
);

/** One server line or block: greeting/status with a hostile text or response code, a message with a hostile Subject. */
const serverLine = fc.oneof(
  fc.tuple(fc.constantFrom('+OK ', '-ERR ', '+ '), body).map(([s, b]) => cat(s, b, '\r\n')),
  body.map((b) => cat('-ERR [', b, '] denied\r\n')),
  body.map((b) => cat('+OK message follows\r\nSubject: ', b, '\r\nFrom: ', b, '\r\n\r\nbody\r\n.\r\n')),
  body.map((b) => cat('+OK\r\nSASL ', b, '\r\n.\r\n')),
  fc.integer({ min: 300, max: 5000 }).map((n) => cat('+OK ', 'B'.repeat(n), '\r\n')),
  bytes(40),
);

/** A whole conversation: a (hostile) greeting, then client and server lines in any order. */
export const hostileTurns: fc.Arbitrary<Turn[]> = fc
  .tuple(
    body,
    fc.array(fc.oneof(clientLine.map((data): Turn => ({ from: 'client', data })), serverLine.map((data): Turn => ({ from: 'server', data }))), {
      maxLength: 12,
    }),
  )
  .map(([greet, rest]) => [{ from: 'server', data: cat('+OK ', greet, ' <1.2@x>\r\n') }, ...rest]);

/** Splits every turn into pieces at the given cut points (segmentation at arbitrary bytes). */
export function splitTurns(turns: Turn[], cuts: number[]): Turn[] {
  const out: Turn[] = [];
  let k = 0;
  for (const t of turns) {
    const b = typeof t.data === 'string' ? Buffer.from(t.data, 'latin1') : Buffer.from(t.data);
    let start = 0;
    while (start < b.length) {
      const size = Math.max(1, cuts.length ? cuts[k++ % cuts.length]! : b.length);
      out.push({ from: t.from, data: b.subarray(start, start + size) });
      start += size;
    }
  }
  return out;
}
