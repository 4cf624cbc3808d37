/**
 * Seconds between two ISO-8601 UTC timestamps at any precision. `Date.parse`
 * keeps milliseconds only, so the fraction is read separately: a nanosecond
 * capture keeps its precision in relative times.
 */
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

function parts(iso: string): { sec: number; frac: number } | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  const ms = Date.parse(m[1] + 'Z');
  if (Number.isNaN(ms)) return null;
  return { sec: ms / 1000, frac: m[2] ? Number('0.' + m[2]) : 0 };
}

/** `later - earlier` in seconds, or null when either is not an ISO-8601 UTC time. */
export function secondsBetween(earlier: string, later: string): number | null {
  const a = parts(earlier);
  const b = parts(later);
  if (!a || !b) return null;
  return b.sec - a.sec + (b.frac - a.frac);
}
