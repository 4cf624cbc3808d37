/**
 * RFC 2047 encoded words, decoded as a reader shows them. Expected values are the RFC's
 * own (RFC 2047 §8, RFC 2231 §5) or bytes worked out by hand from the UTF-8 table:
 * "é" is C3 A9, base64 of "caf" C3 is "Y2Fmww==", of A9 is "qQ==".
 */
import { describe, expect, it } from 'vitest';
import { decodeHeaderWords } from '../../src/pop3/header-words.js';

describe('decodeHeaderWords', () => {
  it('decodes the examples of RFC 2047 §8', () => {
    expect(decodeHeaderWords('=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>')).toBe('Keith Moore <moore@cs.utk.edu>');
    expect(decodeHeaderWords('=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>')).toBe('Keld Jørn Simonsen <keld@dkuug.dk>');
    expect(decodeHeaderWords('=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>')).toBe('André Pirard <PIRARD@vm1.ulg.ac.be>');
    expect(decodeHeaderWords('=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?='))
      .toBe('If you can read this you understand the example.');
    expect(decodeHeaderWords('(=?ISO-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)')).toBe('(םולש ןב ילטפנ)');
  });

  // RFC 2047 §8, the table of white space between encoded words.
  it.each([
    ['(=?ISO-8859-1?Q?a?=)', '(a)'],
    ['(=?ISO-8859-1?Q?a?= b)', '(a b)'],
    ['(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)', '(ab)'],
    ['(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)', '(ab)'],
    ['(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)', '(ab)'],
    ['(=?ISO-8859-1?Q?a_b?=)', '(a b)'],
    ['(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)', '(a b)'],
  ])('RFC 2047 §8: %j is %j', (encoded, shown) => {
    expect(decodeHeaderWords(encoded)).toBe(shown);
  });

  it('decodes UTF-8 in both encodings', () => {
    // base64 of C3 A9 6C C3 A9 ("élé") is "w6lsw6k=".
    expect(decodeHeaderWords('=?UTF-8?B?w6lsw6k=?=')).toBe('élé');
    expect(decodeHeaderWords('=?utf-8?q?caf=C3=A9?=')).toBe('café');
  });

  it('keeps text between words, and white space next to plain text', () => {
    expect(decodeHeaderWords('(a =?ISO-8859-1?Q?b?=)')).toBe('(a b)');
    expect(decodeHeaderWords('(=?ISO-8859-1?Q?a?= x =?ISO-8859-1?Q?b?=)')).toBe('(a x b)');
    expect(decodeHeaderWords('plain text, no words')).toBe('plain text, no words');
  });

  it('ignores an RFC 2231 §5 language after the charset', () => {
    expect(decodeHeaderWords('=?US-ASCII*EN?Q?Keith_Moore?=')).toBe('Keith Moore');
    expect(decodeHeaderWords('=?UTF-8*en?Q?caf=C3?= =?UTF-8*fr?Q?=A9?=')).toBe('café');
  });

  describe('a character split across two words reads whole', () => {
    it.each([
      ['base64, each word padded', '=?UTF-8?B?Y2Fmww==?= =?UTF-8?B?qQ==?='],
      ['quoted-printable', '=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?='],
      ['charset labels in different case', '=?UTF-8?Q?caf=C3?= =?utf-8?Q?=A9?='],
      ['one word of each encoding', '=?UTF-8?B?Y2Fmww==?= =?UTF-8?Q?=A9?='],
      ['words folded onto two lines', '=?UTF-8?B?Y2Fmww==?=\r\n\t=?UTF-8?B?qQ==?='],
    ])('%s', (_, encoded) => {
      expect(decodeHeaderWords(encoded)).toBe('café');
    });

    it('a broken byte elsewhere in the run costs only its own character', () => {
      // 63 61 66 C3 A9 FF: FF is never UTF-8, so one U+FFFD after the é.
      expect(decodeHeaderWords('=?UTF-8?B?Y2Fmww==?= =?UTF-8?B?qQ==?= =?UTF-8?Q?=FF?=')).toBe('café\ufffd');
    });

    it('in a multi-byte charset too (Shift_JIS)', () => {
      // "日本" in Shift_JIS is 93 FA 96 7B; the words cut between 93 and FA.
      expect(decodeHeaderWords('=?Shift_JIS?Q?=93?= =?shift_jis?Q?=FA=96=7B?=')).toBe('日本');
    });
  });

  it('shows a word of an unknown charset as sent (RFC 2047 §6.2 (a)), and joins nothing across it', () => {
    expect(decodeHeaderWords('=?x-unknown-cs?Q?a?=')).toBe('=?x-unknown-cs?Q?a?=');
    expect(decodeHeaderWords('=?UTF-8?Q?caf=C3?= =?x-none?Q?x?= =?UTF-8?Q?=A9?=')).toBe('caf\ufffd =?x-none?Q?x?= \ufffd');
  });

  it('shows a malformed word as sent', () => {
    expect(decodeHeaderWords('=?UTF-8?B?***?=')).toBe('=?UTF-8?B?***?=');
    expect(decodeHeaderWords('=?UTF-8?B?Y2Fmw?=')).toBe('=?UTF-8?B?Y2Fmw?='); // five characters: a lone last sextet
    expect(decodeHeaderWords('=?UTF-8?Q?caf=C?=')).toBe('=?UTF-8?Q?caf=C?=');
    expect(decodeHeaderWords('=?UTF-8?Q?a b?=')).toBe('=?UTF-8?Q?a b?=');
    expect(decodeHeaderWords('=?UTF-8?Q?a?= =?UTF-8?B?!?= =?UTF-8?Q?b?=')).toBe('a =?UTF-8?B?!?= b');
  });

  it('keeps a decoded header on one line', () => {
    expect(decodeHeaderWords('=?UTF-8?Q?a=0D=0Ab?=')).toBe('a b');
  });

  it('is linear: 100,000 words of one run, 100,000 runs, and 200,000 "=?"', () => {
    const started = performance.now();
    expect(decodeHeaderWords('=?UTF-8?B?w6k=?= '.repeat(100_000))).toBe(`${'é'.repeat(100_000)} `);
    expect(decodeHeaderWords('=?UTF-8?Q?a?= x '.repeat(100_000))).toBe('a x '.repeat(100_000));
    const hostile = '=?'.repeat(200_000);
    expect(decodeHeaderWords(hostile)).toBe(hostile);
    const unknown = Array.from({ length: 20_000 }, (_, i) => `=?x-${i}?Q?a?=`).join(' ');
    expect(decodeHeaderWords(unknown)).toBe(unknown);
    // A quadratic pass over 1.7 MB would take minutes; a linear one well under a second.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
