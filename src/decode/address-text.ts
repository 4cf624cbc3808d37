/**
 * IP addresses as the text users see and type: dotted quad for IPv4, the
 * RFC 5952 canonical form for IPv6. Called only for segments that are kept.
 */

/** Dotted-quad text of the 4 bytes at `at`. */
export function ipv4Text(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
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
