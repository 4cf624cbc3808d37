/** Attachment names from the sender become one plain, portable file name (expected values by the rules in the issue). */
import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, safeFileName, UniqueNames } from '../../src/extract/safe-name.js';

describe('safeFileName', () => {
  it.each([
    ['../../evil.sh', 'evil.sh'],
    ['/etc/x', 'x'],
    ['..\\..\\x.exe', 'x.exe'],
    ['C:\\Windows\\system32\\calc.exe', 'calc.exe'],
    ['dir/', 'part-1.bin'],
    ['..', 'part-1.bin'],
    ['.bashrc', 'bashrc'],
    ['...hidden', 'hidden'],
    ['trailing dots. . .', 'trailing dots'],
    ['ctrl\x1b[31mred\x07\x00nul\nline\x7f.txt', 'ctrl_[31mred__nul_line_.txt'],
    ['a<b>c:d|e?f*g"h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT9.tar.gz', '_LPT9.tar.gz'],
    ['console.txt', 'console.txt'],
    ['invoice\u202egpj.exe', 'invoice_gpj.exe'],
    ['Prüfbericht München – Ω.pdf', 'Prüfbericht München – Ω.pdf'],
    ['', 'part-1.bin'],
    ['???', 'part-1.bin'],
  ])('%j → %j', (name, safe) => {
    expect(safeFileName(name, 'part-1')).toBe(safe);
  });

  it('a part without a name gets the fallback and an extension for its type', () => {
    expect(safeFileName(null, 'part-2', 'message/rfc822')).toBe('part-2.eml');
    expect(safeFileName(undefined, 'part-3', 'image/png')).toBe('part-3.png');
  });

  it('a 5,000-character name is cut to MAX_NAME_BYTES of UTF-8, keeping its extension', () => {
    const long = 'a'.repeat(4996) + '.txt';
    const safe = safeFileName(long, 'part-1');
    expect(Buffer.byteLength(safe)).toBe(MAX_NAME_BYTES);
    expect(safe.endsWith('.txt')).toBe(true);
    // Multi-byte characters are never split.
    const wide = safeFileName('ü'.repeat(300) + '.pdf', 'part-1');
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(wide).toBe('ü'.repeat(98) + '.pdf');
  });
});

describe('UniqueNames', () => {
  it('repeats get -2, -3 before the extension, case-insensitively', () => {
    const u = new UniqueNames();
    expect(['same.txt', 'same.txt', 'SAME.txt', 'noext', 'noext'].map((n) => u.take(n)))
      .toEqual(['same.txt', 'same-2.txt', 'SAME-3.txt', 'noext', 'noext-2']);
  });

  it('a suffix never pushes a long name past the limit', () => {
    const u = new UniqueNames();
    const long = 'b'.repeat(196) + '.txt';
    u.take(long);
    const second = u.take(long);
    expect(Buffer.byteLength(second)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(second.endsWith('-2.txt')).toBe(true);
  });
});
