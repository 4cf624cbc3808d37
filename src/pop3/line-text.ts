/**
 * Turning captured bytes into reported text: UTF-8 when the bytes are valid
 * UTF-8, otherwise ISO-8859-1 (every byte maps to one character, nothing lost).
 * Only what is reported is decoded; framing works on bytes.
 */
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

/** One character per byte (Buffer's latin1, not the WHATWG label, which means windows-1252). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
