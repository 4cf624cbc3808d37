/**
 * Captured bytes as text, one character per byte: nothing is lost and nothing fails,
 * whatever the bytes. Buffer's `latin1`, not the WHATWG label of that name, which means
 * windows-1252. Used below the dissector (content detection's first bytes) and in it
 * (text that is not UTF-8), so it sits beside the layers.
 */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
