/**
 * RFC 2047 encoded-words in header values (`=?charset?B|Q?text?=`), so a
 * Subject such as `=?UTF-8?B?w6lsw6k=?=` reads as `élé`. Unknown charsets and
 * malformed words are left as sent.
 */
const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
/** Whitespace between two adjacent encoded-words is not part of the text (RFC 2047 §6.2). */
const BETWEEN_WORDS = /(\?=)[ \t\r\n]+(?==\?[^?\s]+\?[BbQq]\?)/g;

export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value.replace(BETWEEN_WORDS, '$1').replace(WORD, (whole, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B' ? fromBase64(text) : fromQ(text);
    if (!bytes) return whole;
    const decoded = decodeCharset(charset.split('*')[0]!.toLowerCase(), bytes);
    return decoded ?? whole;
  });
}

function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/** The Q encoding: `_` is a space, `=XX` a byte (RFC 2047 §4.2). */
function fromQ(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) out.push(0x20);
    else if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}

function decodeCharset(charset: string, bytes: Uint8Array): string | null {
  if (charset === 'iso-8859-1' || charset === 'latin1' || charset === 'us-ascii') {
    return Buffer.from(bytes).toString('latin1');
  }
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return null;
  }
}
