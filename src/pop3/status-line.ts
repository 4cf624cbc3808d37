/**
 * The status indicator that opens every POP3 reply: `+OK`, `-ERR` (RFC 1939 §3)
 * or the `+` continuation of a SASL exchange (RFC 5034 §4).
 */

/** The status of a reply line and the text after it; case-insensitive for robustness. */
export function parseStatus(text: string): { status: '+OK' | '-ERR' | '+'; text: string } | null {
  const upper = text.slice(0, 4).toUpperCase();
  if (upper.startsWith('+OK') && (text.length === 3 || text[3] === ' ')) return { status: '+OK', text: text.slice(4) };
  if (upper === '-ERR' && (text.length === 4 || text[4] === ' ')) return { status: '-ERR', text: text.slice(5) };
  if (text === '+' || text.startsWith('+ ')) return { status: '+', text: text.slice(2) };
  return null;
}

/** The bytes begin like a reply (`+ `, `+OK`, `-ERR`), judged without decoding them. */
export function startsWithStatus(bytes: Uint8Array): boolean {
  const b0 = bytes[0];
  if (b0 === 0x2b) return (bytes[1] ?? 0x20) === 0x20 || (bytes[1]! | 0x20) === 0x6f; // "+ " / "+OK"
  if (b0 === 0x2d) return (bytes[1] ?? 0) === 0x45 || bytes[1] === 0x65; // "-ERR"
  return false;
}
