/**
 * Whether the first TLS record a client sent is a ClientHello whose ALPN
 * extension (RFC 7301) offers a given protocol: `pop3` marks implicit-TLS
 * POP3 on any port (RFC 8314 §7 registers it). Reads only the first record,
 * every length checked against the bytes present; a hello split across
 * records or segments beyond what detection holds is "not offered".
 */

const HANDSHAKE = 0x16;
const CLIENT_HELLO = 1;
const EXT_ALPN = 16;

/** A TLS handshake record header: what a client opening TLS sends first. */
export function startsWithTlsHandshake(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === HANDSHAKE && b[1] === 0x03 && b[2]! <= 0x04;
}

/** Bytes of the first record, header included, or -1 when the header is not there yet. */
export function firstRecordLength(b: Uint8Array): number {
  return b.length < 5 ? -1 : 5 + ((b[3]! << 8) | b[4]!);
}

/** True, false, or null when the record is not complete in `b` yet. */
export function alpnOffers(b: Uint8Array, protocol: string): boolean | null {
  if (!startsWithTlsHandshake(b)) return false;
  const recordEnd = firstRecordLength(b);
  if (recordEnd < 0 || recordEnd > b.length) return null;
  let p = 5;
  if (p + 4 > recordEnd || b[p] !== CLIENT_HELLO) return false;
  p += 4 + 2 + 32; // handshake header, client_version, random
  if (p + 1 > recordEnd) return false;
  p += 1 + b[p]!; // session id
  if (p + 2 > recordEnd) return false;
  p += 2 + ((b[p]! << 8) | b[p + 1]!); // cipher suites
  if (p + 1 > recordEnd) return false;
  p += 1 + b[p]!; // compression methods
  if (p + 2 > recordEnd) return false;
  const extensionsEnd = Math.min(recordEnd, p + 2 + ((b[p]! << 8) | b[p + 1]!));
  p += 2;
  while (p + 4 <= extensionsEnd) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const length = (b[p + 2]! << 8) | b[p + 3]!;
    p += 4;
    if (p + length > extensionsEnd) return false;
    if (type === EXT_ALPN) return listHas(b, p, p + length, protocol);
    p += length;
  }
  return false;
}

/** The ALPN ProtocolNameList at [from, to): 2-byte length, then 1-byte-length names. */
function listHas(b: Uint8Array, from: number, to: number, protocol: string): boolean {
  if (from + 2 > to) return false;
  const end = Math.min(to, from + 2 + ((b[from]! << 8) | b[from + 1]!));
  for (let p = from + 2; p < end;) {
    const n = b[p]!;
    if (p + 1 + n > end) return false;
    if (n === protocol.length) {
      let same = true;
      for (let i = 0; i < n; i++) if (b[p + 1 + i] !== protocol.charCodeAt(i)) same = false;
      if (same) return true;
    }
    p += 1 + n;
  }
  return false;
}
