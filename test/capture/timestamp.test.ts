import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimestamp, precisionOf, resolutionFromTsresol, ticksToTimestamp } from '../../src/capture/timestamp.js';

/** Splits a BigInt tick count into the two 32-bit halves a pcapng block stores. */
function halves(ticks: bigint): [number, number] {
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}

function convert(ticks: bigint, tsresol: number): { sec: number; nsec: number } {
  const out = { sec: -1, nsec: -1 };
  const [high, low] = halves(ticks);
  ticksToTimestamp(high, low, resolutionFromTsresol(tsresol), out);
  return out;
}

describe('formatTimestamp', () => {
  // Well-known instants: the epoch, 10^9 s, the 32-bit signed limit, the unsigned limit, a leap day.
  it.each([
    [0, 0, 'us', '1970-01-01T00:00:00.000000Z'],
    [1_000_000_000, 0, 'us', '2001-09-09T01:46:40.000000Z'],
    [2_147_483_647, 0, 's', '2038-01-19T03:14:07Z'],
    [4_294_967_295, 0, 's', '2106-02-07T06:28:15Z'],
    [1_709_208_000, 0, 'ms', '2024-02-29T12:00:00.000Z'],
    [951_868_800, 0, 's', '2000-03-01T00:00:00Z'],
  ] as const)('%d.%d at %s is %s', (sec, nsec, precision, expected) => {
    expect(formatTimestamp(sec, nsec, precision)).toBe(expected);
  });

  it('keeps nine digits for nanosecond files, without rounding through a double', () => {
    // capinfos prints this fixture's first packet as 2026-11-26 18:04:56.843020408 (UTC).
    expect(formatTimestamp(1_795_716_296, 843_020_408, 'ns')).toBe('2026-11-26T18:04:56.843020408Z');
    expect(formatTimestamp(1_000_000_000, 5, 'ns')).toBe('2001-09-09T01:46:40.000000005Z');
  });

  it('cuts digits beyond the precision instead of rounding up', () => {
    expect(formatTimestamp(1_000_000_000, 999_999_999, 'ms')).toBe('2001-09-09T01:46:40.999Z');
    expect(formatTimestamp(1_000_000_000, 999_999_999, 'us')).toBe('2001-09-09T01:46:40.999999Z');
    expect(formatTimestamp(1_000_000_000, 999_999_999, 's')).toBe('2001-09-09T01:46:40Z');
  });

  it('shows all nine digits for resolutions without a name', () => {
    expect(formatTimestamp(0, 500_000_000, 'other')).toBe('1970-01-01T00:00:00.500000000Z');
  });
});

describe('ticksToTimestamp', () => {
  it('splits nanosecond ticks above 2^53 exactly', () => {
    expect(convert(1_795_716_296_843_020_408n, 9)).toEqual({ sec: 1_795_716_296, nsec: 843_020_408 });
    // The largest 64-bit tick count: 18446744073709551615 ns.
    expect(convert(0xffffffffffffffffn, 9)).toEqual({ sec: 18_446_744_073, nsec: 709_551_615 });
  });

  it('reads microsecond, millisecond and second ticks', () => {
    expect(convert(1_795_716_289_947_702n, 6)).toEqual({ sec: 1_795_716_289, nsec: 947_702_000 });
    expect(convert(1_500n, 3)).toEqual({ sec: 1, nsec: 500_000_000 });
    expect(convert(42n, 0)).toEqual({ sec: 42, nsec: 0 });
  });

  it('reads power-of-two resolutions (if_tsresol with the top bit set)', () => {
    // 2^-20 s ticks: 5 s plus half a second.
    expect(convert((5n << 20n) + (1n << 19n), 0x80 | 20)).toEqual({ sec: 5, nsec: 500_000_000 });
    // 3 ticks of 2^-30 s = 2.79 ns, truncated to 2.
    expect(convert(3n, 0x80 | 30)).toEqual({ sec: 0, nsec: 2 });
  });

  it('agrees with BigInt division on either side of the one-division shortcut (below 2^53 - 2^32 ticks)', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: 0n, max: 1n << 55n }),
      fc.constantFrom(0, 3, 6, 9),
      (ticks, exponent) => {
        const perSecond = 10n ** BigInt(exponent);
        const expected = { sec: Number(ticks / perSecond), nsec: Number(((ticks % perSecond) * 1_000_000_000n) / perSecond) };
        expect(convert(ticks, exponent)).toEqual(expected);
      },
    ), { numRuns: 5000 });
    // Near the edge, and at exact second boundaries, where a rounded quotient would be off by one.
    for (const ticks of [(1n << 53n) - (1n << 32n) - 1n, (1n << 53n) - (1n << 32n), 9_007_194_959_773_696n - 7n, 1_795_716_289_000_000n, 1_795_716_288_999_999n]) {
      expect(convert(ticks, 6)).toEqual({ sec: Number(ticks / 1_000_000n), nsec: Number(ticks % 1_000_000n) * 1000 });
    }
  });

  it('truncates picosecond ticks to nanoseconds', () => {
    expect(convert(7n * 10n ** 12n + 123_456_789_012n, 12)).toEqual({ sec: 7, nsec: 123_456_789 });
  });
});

describe('precisionOf', () => {
  it('names decimal resolutions and calls the rest other', () => {
    expect(precisionOf(resolutionFromTsresol(6))).toBe('us');
    expect(precisionOf(resolutionFromTsresol(9))).toBe('ns');
    expect(precisionOf(resolutionFromTsresol(3))).toBe('ms');
    expect(precisionOf(resolutionFromTsresol(0))).toBe('s');
    expect(precisionOf(resolutionFromTsresol(0x80 | 20))).toBe('other');
    expect(precisionOf(resolutionFromTsresol(12))).toBe('other');
  });
});
