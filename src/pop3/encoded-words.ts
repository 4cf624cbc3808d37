/**
 * RFC 2047 encoded-words in header values (`=?charset?B|Q?text?=`), so a
 * Subject such as `=?UTF-8?B?w6lsw6k=?=` reads as `élé`. Unknown charsets and
 * malformed words are left as sent. Adjacent words of one charset are joined
 * as bytes before decoding: mailers split long subjects between words without
 * regard for characters, so one UTF-8 character may span two words.
 */
/** A run of adjacent encoded-words (only whitespace between them). */
const RUN = /=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=(?:[ \t\r\n]*=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)*/g;
const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value.replace(RUN, decodeRun);
}

/** One run: whitespace between its words is not text (RFC 2047 §6.2); words of one charset are decoded together. */
function decodeRun(run: string): string {
  let out = '';
  let charset: string | null = null;
  let pending: Uint8Array[] = [];
  let pendingText = '';
  const flush = (): void => {
    if (charset !== null) out += decodeCharset(charset, Buffer.concat(pending)) ?? pendingText;
    charset = null;
    pending = [];
    pendingText = '';
  };
  for (const [whole, cs, enc, text] of run.matchAll(WORD)) {
    const bytes = enc!.toUpperCase() === 'B' ? fromBase64(text!) : fromQ(text!);
    const name = cs!.split('*')[0]!.toLowerCase();
    if (bytes === null || !knownCharset(name)) {
      flush();
      out += whole;
      continue;
    }
    if (name !== charset) flush();
    charset = name;
    pending.push(bytes);
    pendingText += whole;
  }
  flush();
  return out;
}

function knownCharset(charset: string): boolean {
  return decodeCharset(charset, new Uint8Array(0)) !== null;
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
