/**
 * What finding messages say of captured text and endpoints: the same escaping
 * and the same endpoint form as every other output.
 */
import { describe, expect, it } from 'vitest';
import { escapeCaptured } from '../../src/captured-text.js';
import { endpointLabel } from '../../src/report/labels.js';
import { quote, sessionLabel } from '../../src/rules/finding-text.js';
import { session } from './session-factory.js';

// Bidi controls (Unicode UAX #9): embeddings and overrides U+202A–202E, isolates U+2066–2069, marks U+200E/F, U+061C.
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];

describe('quote', () => {
  it('shows every bidi control as an escape, never raw', () => {
    for (const c of BIDI) {
      const q = quote(`alice${c}exe.txt`);
      expect(q).not.toContain(c);
      expect(q).toBe(`"alice\\u{${c.codePointAt(0)!.toString(16)}}exe.txt"`);
    }
  });

  it('escapes as the terminal does: control characters, backslash, the quote mark', () => {
    expect(quote('a\x1b[2J\r\nb')).toBe('"a\\x1b[2J\\r\\nb"');
    expect(quote('C:\\x')).toBe('"C:\\\\x"');
    expect(quote('say "hi"')).toBe('"say \\"hi\\""');
    expect(quote('a\x1b[2J')).toBe(`"${escapeCaptured('a\x1b[2J')}"`);
  });
});

describe('sessionLabel', () => {
  it('brackets IPv6 endpoints as the tables do', () => {
    const s = session({ client: { ip: '::1', port: 59372 }, server: { ip: '::1', port: 110 } });
    expect(sessionLabel(s)).toBe('session 1 ([::1]:59372 → [::1]:110)');
    expect(sessionLabel(s)).toContain(endpointLabel(s.client));
  });
});
