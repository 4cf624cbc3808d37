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

// Judging bytes without decoding them is content detection's; the dissector uses the same test.
export { startsWithStatus } from '../detect/first-lines.js';
