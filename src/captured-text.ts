/**
 * Captured text is attacker-controlled: a greeting holding `ESC[2J` would clear
 * the analyst's screen, a U+202E would make a user name read backwards. Every
 * captured string passes through `escapeCaptured` before a text renderer
 * prints it or a finding message quotes it (so JSON, SARIF and the terminal
 * show the same escapes), and the escaped form is unambiguous because the
 * backslash itself is escaped too. It sits below rules/ and report/ so both use it.
 *
 * - `\` becomes `\\`;
 * - TAB, LF, CR become `\t`, `\n`, `\r`;
 * - every other C0 control and DEL becomes `\xNN` (lower-case hex, e.g. `\x1b`);
 * - C1 controls (U+0080–U+009F), format characters (Unicode category Cf: bidi
 *   embeddings, overrides and isolates, zero-width characters, the BOM, ...),
 *   the line and paragraph separators U+2028/U+2029, lone surrogates and the
 *   replacement character U+FFFD (the mark of bytes that were not valid UTF-8)
 *   become `\u{...}` (lower-case hex).
 */

/** Code points outside ASCII that are shown as `\u{...}`. */
const INVISIBLE = /[\u0080-\u009f\u2028\u2029\ufffd]|\p{Cf}/u;

const NAMED: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };

export function escapeCaptured(s: string): string {
  let out = '';
  // Index loop rather than for..of: for..of would hide lone surrogates inside pairs logic.
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0x80) {
      const named = NAMED[unit];
      if (named !== undefined) out += named;
      else if (unit < 0x20 || unit === 0x7f) out += '\\x' + unit.toString(16).padStart(2, '0');
      else out += s[i];
      continue;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const pair = s.slice(i, i + 2);
        out += INVISIBLE.test(pair) ? unicodeEscape(pair.codePointAt(0)!) : pair;
        i++;
        continue;
      }
      out += unicodeEscape(unit);
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      out += unicodeEscape(unit);
      continue;
    }
    const ch = s[i]!;
    out += INVISIBLE.test(ch) ? unicodeEscape(unit) : ch;
  }
  return out;
}

function unicodeEscape(codePoint: number): string {
  return '\\u{' + codePoint.toString(16) + '}';
}
