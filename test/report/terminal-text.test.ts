import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { escapeCaptured as escapeForTerminal } from '../../src/captured-text.js';

/** Every C0 control, written out by hand: TAB, LF, CR by name, the rest as \xNN. */
const C0_EXPECTED = [
  '\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07',
  '\\x08', '\\t', '\\n', '\\x0b', '\\x0c', '\\r', '\\x0e', '\\x0f',
  '\\x10', '\\x11', '\\x12', '\\x13', '\\x14', '\\x15', '\\x16', '\\x17',
  '\\x18', '\\x19', '\\x1a', '\\x1b', '\\x1c', '\\x1d', '\\x1e', '\\x1f',
];

/** Reverses the documented escapes; if escaping were ambiguous this could not round-trip. */
function unescape(s: string): string {
  return s.replace(/\\(?:x([0-9a-f]{2})|u\{([0-9a-f]+)\}|([tnr\\]))/g, (_m, hex: string, uni: string, named: string) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    if (uni) {
      const cp = parseInt(uni, 16);
      return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    }
    return ({ t: '\t', n: '\n', r: '\r', '\\': '\\' } as Record<string, string>)[named]!;
  });
}

/** Characters that must never reach a terminal raw. */
const DANGEROUS = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Any UTF-16 code units, lone surrogates included (as JavaScript strings allow). */
const utf16Units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((units) => String.fromCharCode(...units));

describe('escapeForTerminal', () => {
  it('escapes every C0 control byte', () => {
    expect(C0_EXPECTED).toHaveLength(32);
    for (let b = 0; b < 0x20; b++) {
      expect(escapeForTerminal(String.fromCharCode(b)), `byte 0x${b.toString(16)}`).toBe(C0_EXPECTED[b]);
    }
  });

  it('escapes DEL and the backslash, and leaves other printable ASCII alone', () => {
    expect(escapeForTerminal('\x7f')).toBe('\\x7f');
    expect(escapeForTerminal('\\')).toBe('\\\\');
    expect(escapeForTerminal('a\\x1b')).toBe('a\\\\x1b');
    for (let b = 0x20; b < 0x7f; b++) {
      if (b === 0x5c) continue;
      expect(escapeForTerminal(String.fromCharCode(b))).toBe(String.fromCharCode(b));
    }
  });

  it('neutralises a clear-screen sequence and the bell', () => {
    expect(escapeForTerminal('+OK \x1b[2J\x07ready')).toBe('+OK \\x1b[2J\\x07ready');
    expect(escapeForTerminal('\x1b]0;title\x07')).toBe('\\x1b]0;title\\x07');
  });

  it('escapes every C1 control as \\u{..}', () => {
    for (let cp = 0x80; cp <= 0x9f; cp++) {
      expect(escapeForTerminal(String.fromCharCode(cp))).toBe(`\\u{${cp.toString(16)}}`);
    }
    expect(escapeForTerminal('\u009b31m')).toBe('\\u{9b}31m');
  });

  it('escapes bidi embeddings, overrides and isolates', () => {
    const bidi: [string, string][] = [
      ['\u202a', '\\u{202a}'], ['\u202b', '\\u{202b}'], ['\u202c', '\\u{202c}'], ['\u202d', '\\u{202d}'], ['\u202e', '\\u{202e}'],
      ['\u2066', '\\u{2066}'], ['\u2067', '\\u{2067}'], ['\u2068', '\\u{2068}'], ['\u2069', '\\u{2069}'],
    ];
    for (const [raw, shown] of bidi) expect(escapeForTerminal(raw)).toBe(shown);
    // The classic filename trick: "invoice\u202Egpj.exe" would display as "invoiceexe.jpg".
    expect(escapeForTerminal('invoice\u202egpj.exe')).toBe('invoice\\u{202e}gpj.exe');
    expect(escapeForTerminal('\u2067admin\u2069')).toBe('\\u{2067}admin\\u{2069}');
  });

  it('escapes zero-width and other invisible format characters, separators and the BOM', () => {
    const invisible: [string, string][] = [
      ['\u200b', '\\u{200b}'], ['\u200c', '\\u{200c}'], ['\u200d', '\\u{200d}'], ['\u200e', '\\u{200e}'], ['\u200f', '\\u{200f}'],
      ['\u2028', '\\u{2028}'], ['\u2029', '\\u{2029}'], ['\ufeff', '\\u{feff}'], ['\u061c', '\\u{61c}'], ['\u00ad', '\\u{ad}'],
      ['\u{e0041}', '\\u{e0041}'], // a tag character, outside the BMP
    ];
    for (const [raw, shown] of invisible) expect(escapeForTerminal(raw)).toBe(shown);
  });

  it('marks lone surrogates and replacement characters', () => {
    expect(escapeForTerminal('a\ud800b')).toBe('a\\u{d800}b');
    expect(escapeForTerminal('a\udc00')).toBe('a\\u{dc00}');
    expect(escapeForTerminal('\udc00\ud800')).toBe('\\u{dc00}\\u{d800}');
    expect(escapeForTerminal('caf\ufffd')).toBe('caf\\u{fffd}');
  });

  it('keeps ordinary text of any script, and valid surrogate pairs', () => {
    for (const s of ['Grüße', 'été', 'Привет', '日本語の件名', 'שלום', 'مرحبا', '📬 mail', '𝕏']) {
      expect(escapeForTerminal(s)).toBe(s);
    }
  });

  it('is unambiguous: the escapes decode back to the input (any string)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), utf16Units), (s) => {
        const out = escapeForTerminal(s);
        expect(unescape(out)).toBe(s);
        expect(DANGEROUS.test(out)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
