/**
 * Strings the report keeps for the whole run (a transcript entry's time, a message's
 * subject) should cost their characters and little more. V8 hands back two kinds that
 * cost far more while they live:
 *
 * - a string built by `+` or a template is a tree of pieces: a 27-character time kept
 *   that way weighs ~300 bytes instead of ~50;
 * - `slice`, `split` and `trim` of a string of 13 characters or more point into the
 *   original: a subject cut from a header block keeps the whole block alive.
 *
 * Both are V8's business and invisible to the program: these helpers change no value,
 * only how it is stored (measured in bench/README.md, "2026-12-06, second round").
 */

/** `s`, its pieces joined into one run of characters (reading a character makes V8 join them). */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** `s` copied off the string it was cut from, so that one can be collected. */
export function detached(s: string): string {
  // Joining forces a fresh copy of the characters; the slice of that copy refers only to it.
  return s.length < 13 ? s : (' ' + s).slice(1);
}
