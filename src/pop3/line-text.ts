/**
 * Turning captured bytes into reported text: UTF-8 when the bytes are valid
 * UTF-8, otherwise ISO-8859-1 (every byte maps to one character, nothing lost).
 * Only what is reported is decoded; framing works on bytes.
 */
import { latin1 } from '../latin1.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) { ascii = false; break; }
  }
  if (ascii) return latin1(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}
