/**
 * RFC 2047 encoded words in a header value, decoded as a reader shows them. Adjacent
 * words of one charset are decoded together: their payloads are turned into bytes word
 * by word (each base64 word ends on its own padding), the bytes joined, and the charset
 * decoded once, so a character a sender split across two words reads whole (§5 forbids
 * the split; senders do it anyway). The transcript's
 * header summary and `extract` both read headers through this one function.
 */

/** `=?charset[*language]?B|Q?payload?=` (RFC 2047 §2, RFC 2231 §5); no white space inside. */
const ENCODED_WORD = /=\?([^?*\s]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g;
/** Only linear white space between two encoded words is dropped (§6.2); any other text stays. */
const LINEAR_WHITE_SPACE = /^[ \t\r\n]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The header value with every well-formed encoded word of a known charset decoded. */
export function decodeHeaderWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let run: { label: string; bytes: Uint8Array[] } | null = null;
  const flush = () => {
    if (run) out += decodeRun(run.label, run.bytes);
    run = null;
  };
  let pos = 0;
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m; m = ENCODED_WORD.exec(value)) {
    const between = value.slice(pos, m.index);
    pos = m.index + m[0].length;
    const label = m[1]!.toLowerCase();
    const bytes = decoderFor(label) ? payloadBytes(m[2]!, m[3]!) : null;
    if (!bytes) {
      // A malformed word or an unknown charset stays as it was sent (§6.2 (a)), as text.
      flush();
      out += between + m[0];
      continue;
    }
    if (run && (between === '' || LINEAR_WHITE_SPACE.test(between))) {
      if (run.label === label) {
        run.bytes.push(bytes);
        continue;
      }
      flush(); // another charset: its own decode, the white space between still dropped
    } else {
      flush();
      out += between;
    }
    run = { label, bytes: [bytes] };
  }
  flush();
  return out + value.slice(pos);
}

/** A run's bytes in its charset; line breaks the sender encoded become spaces, so a header stays one line. */
function decodeRun(label: string, parts: Uint8Array[]): string {
  return decoderFor(label)!.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts)).replace(/[\r\n]+/g, ' ');
}

/** A word's payload as bytes, or null when it is not valid B or Q encoding. */
function payloadBytes(encoding: string, payload: string): Uint8Array | null {
  if (encoding === 'B' || encoding === 'b') {
    // Padding is often left off; a lone sixth bit of a last group can never be a byte.
    if (!BASE64.test(payload) || payload.replace(/=+$/, '').length % 4 === 1) return null;
    return Buffer.from(payload, 'base64');
  }
  const out = new Uint8Array(payload.length);
  let n = 0;
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return null; // §4.2: printable ASCII only
    if (c === 0x5f) out[n++] = 0x20; // "_" is a space (§4.2 (2))
    else if (c !== 0x3d) out[n++] = c;
    else {
      const hex = payload.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out[n++] = parseInt(hex, 16);
      i += 2;
    }
  }
  return out.subarray(0, n);
}

/**
 * TextDecoders by lower-case label. Known labels are a fixed list (the WHATWG Encoding
 * Standard), so the map cannot grow past it; unknown ones are remembered up to a cap, so
 * a header of many made-up charsets costs one failed construction each at most.
 */
const decoders = new Map<string, TextDecoder | null>();
const MAX_UNKNOWN = 64;
let unknown = 0;

function decoderFor(label: string): TextDecoder | null {
  const known = decoders.get(label);
  if (known !== undefined) return known;
  let decoder: TextDecoder | null = null;
  try {
    decoder = new TextDecoder(label);
  } catch {
    if (unknown >= MAX_UNKNOWN) return null;
    unknown++;
  }
  decoders.set(label, decoder);
  return decoder;
}
