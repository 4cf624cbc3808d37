/**
 * Capture timestamps: converting a file's tick counts to (sec, nsec) and
 * printing them as ISO-8601 UTC at the file's own precision. Both work on
 * integers only, so nanosecond timestamps (about 1.7e18 ticks, past the 2^53
 * a double holds exactly) never lose their last digits.
 */
import { flat } from '../kept-string.js';
import type { Timestamp, TimestampPrecision } from './packet.js';

/** One tick is base^-exponent seconds (pcapng `if_tsresol`; classic pcap is 10^-6 or 10^-9). */
export interface TimestampResolution {
  base: 10 | 2;
  exponent: number;
}

export const MICROSECONDS: TimestampResolution = { base: 10, exponent: 6 };
export const NANOSECONDS: TimestampResolution = { base: 10, exponent: 9 };

/** Decodes the one-byte pcapng `if_tsresol` value: top bit clear means 10^-n, set means 2^-n. */
export function resolutionFromTsresol(value: number): TimestampResolution {
  return value & 0x80 ? { base: 2, exponent: value & 0x7f } : { base: 10, exponent: value };
}

/** The precision label a resolution is shown with. */
export function precisionOf(resolution: TimestampResolution): TimestampPrecision {
  if (resolution.base === 10) {
    switch (resolution.exponent) {
      case 0: return 's';
      case 3: return 'ms';
      case 6: return 'us';
      case 9: return 'ns';
    }
  }
  return 'other';
}

const POWERS_OF_TEN = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/**
 * Splits a 64-bit tick count (as two unsigned 32-bit halves) into whole
 * seconds and nanoseconds, writing into `out` so the caller can reuse one
 * object per packet. Decimal resolutions up to nanoseconds (all real
 * captures) use exact long division in 16-bit digits; anything else goes
 * through BigInt. Sub-nanosecond ticks are truncated to nanoseconds.
 */
export function ticksToTimestamp(high: number, low: number, resolution: TimestampResolution, out: Timestamp): void {
  if (resolution.base === 10 && resolution.exponent <= 9) {
    const divisor = POWERS_OF_TEN[resolution.exponent]!;
    if (high < 0x1fffff) {
      // Below 2^53 - 2^32 ticks (every microsecond time until the year 2255) the count is exact in a
      // double: one division, its rounding corrected, instead of four long-division steps.
      const ticks = high * 4_294_967_296 + low;
      let sec = Math.floor(ticks / divisor);
      let rest = ticks - sec * divisor;
      if (rest < 0) {
        sec -= 1;
        rest += divisor;
      } else if (rest >= divisor) {
        sec += 1;
        rest -= divisor;
      }
      out.sec = sec;
      out.nsec = rest * POWERS_OF_TEN[9 - resolution.exponent]!;
      return;
    }
    // Every partial dividend stays below divisor * 2^16 < 2^46, exact in a double.
    let cur = high >>> 16;
    let r = cur % divisor;
    const q3 = (cur - r) / divisor;
    cur = r * 65536 + (high & 0xffff);
    r = cur % divisor;
    const q2 = (cur - r) / divisor;
    cur = r * 65536 + (low >>> 16);
    r = cur % divisor;
    const q1 = (cur - r) / divisor;
    cur = r * 65536 + (low & 0xffff);
    r = cur % divisor;
    const q0 = (cur - r) / divisor;
    out.sec = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
    out.nsec = r * POWERS_OF_TEN[9 - resolution.exponent]!;
    return;
  }
  const ticks = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  const perSecond = BigInt(resolution.base) ** BigInt(resolution.exponent);
  out.sec = Number(ticks / perSecond);
  out.nsec = Number(((ticks % perSecond) * 1_000_000_000n) / perSecond);
}

/** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds: the range RFC 3339 can write. */
export const MIN_RFC3339_SEC = -62_167_219_200;
export const MAX_RFC3339_SEC = 253_402_300_799;

const FRACTION_DIGITS: Record<TimestampPrecision, number> = { s: 0, ms: 3, us: 6, ns: 9, other: 9 };

/**
 * `2026-11-26T17:55:50.123456Z`: ISO-8601 UTC with as many fraction digits as
 * the precision carries (none for `s`, 3, 6, 9; `other` shows all 9).
 * Digits beyond the precision are cut, never rounded.
 */
export function formatTimestamp(sec: number, nsec: number, precision: TimestampPrecision): string {
  // RFC 3339 has four-digit years only: a damaged timestamp outside them is shown at the nearest end
  // (the reader warns `timestamp-out-of-range` for it).
  if (!(sec >= MIN_RFC3339_SEC)) [sec, nsec] = [MIN_RFC3339_SEC, 0];
  else if (sec > MAX_RFC3339_SEC) [sec, nsec] = [MAX_RFC3339_SEC, 999_999_999];
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastSecondText = secondText(sec);
  }
  const digits = FRACTION_DIGITS[precision];
  // Kept for the report in every transcript entry: one run of characters, not a tree of pieces.
  return flat(digits === 0 ? lastSecondText + 'Z' : lastSecondText + '.' + pad(nsec, 9).slice(0, digits) + 'Z');
}

/** Packets come in time order, so most times fall in the same second as the one before. */
let lastSecond = NaN;
let lastSecondText = '';

/** `2026-11-26T17:55:50`. */
function secondText(sec: number): string {
  const days = Math.floor(sec / 86_400);
  const secondOfDay = sec - days * 86_400;
  const { year, month, day } = civilFromDays(days);
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor((secondOfDay % 3600) / 60);
  const ss = secondOfDay % 60;
  const yearText = year < 0 ? '-' + pad(-year, 4) : pad(year, 4);
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`), with no Date range limit. */
function civilFromDays(daysSinceEpoch: number): { year: number; month: number; day: number } {
  const z = daysSinceEpoch + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}
