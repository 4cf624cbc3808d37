/**
 * TLS protocol version numbers (RFC 8446 §4.2.1, RFC 5246 appendix E) and the
 * names users know them by.
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x0002, 'SSL 2.0'], // SSL 2.0 writes its version as major 0, minor 2
  [0x0300, 'SSL 3.0'],
  [0x0301, 'TLS 1.0'],
  [0x0302, 'TLS 1.1'],
  [0x0303, 'TLS 1.2'],
  [0x0304, 'TLS 1.3'],
]);

/** GREASE values (RFC 8701) are placeholders a client sends to keep servers tolerant: 0x?A?A. */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && (value >> 8) === (value & 0xff);
}

/** `TLS 1.2` for 0x0303; drafts of TLS 1.3 (0x7fNN) and unknown values as hex. */
export function versionName(value: number): string {
  const known = NAMES.get(value);
  if (known !== undefined) return known;
  if ((value & 0xff00) === 0x7f00) return `TLS 1.3 draft ${value & 0xff}`;
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/** Ordering of named versions, oldest first, for "older than" questions; -1 when unknown. */
export function versionRank(name: string): number {
  return ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3'].indexOf(name);
}
