/**
 * IP addresses as the text users see and type: dotted quad for IPv4, the
 * RFC 5952 canonical form for IPv6. Called only for segments that are kept.
 */

/** Dotted-quad text of the 4 bytes at `at`. */
export function ipv4Text(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/**
 * Dotted-quad text remembered for the addresses seen last: a capture has few
 * addresses and many segments, and the text of each segment's two addresses was
 * made anew every time. Direct-mapped, 256 slots; a slot holds one address.
 */
export class Ipv4TextCache {
  private readonly keys = new Int32Array(256);
  private readonly texts: (string | undefined)[] = new Array(256);

  text(b: Uint8Array, at: number): string {
    const key = (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    const slot = (key ^ (key >>> 8) ^ (key >>> 16) ^ (key >>> 24)) & 0xff;
    const known = this.texts[slot];
    if (known !== undefined && this.keys[slot] === key) return known;
    const text = ipv4Text(b, at);
    this.keys[slot] = key;
    this.texts[slot] = text;
    return text;
  }
}

/**
 * RFC 5952 text of the 16 bytes at `at`: lower-case hex, no leading zeros,
 * the longest run of two or more zero groups (the first on a tie) as `::`,
 * and IPv4-mapped addresses (::ffff:0:0/96) with a dotted-quad tail (§5).
 */
export function ipv6Text(b: Uint8Array, at: number): string {
  const groups: number[] = new Array(8);
  for (let i = 0; i < 8; i++) groups[i] = (b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!;

  if (
    groups[0] === 0 && groups[1] === 0 && groups[2] === 0 &&
    groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff
  ) {
    return `::ffff:${ipv4Text(b, at + 12)}`;
  }

  // Find the longest run of zero groups; a run of one is never shortened (§4.2.2).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }

  const hex = (from: number, to: number): string =>
    groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}
