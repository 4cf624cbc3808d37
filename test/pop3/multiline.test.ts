import { describe, expect, it } from 'vitest';
import { type Line } from '../../src/pop3/line-splitter.js';
import { MultilineCollector, parseHeaders } from '../../src/pop3/multiline.js';

const line = (t: string, frame = 1): Line => {
  const bytes = Buffer.from(t, 'latin1');
  return { bytes, length: bytes.length, bareLf: false, truncated: false, frame, frames: [frame] };
};
const limits = { maxHeaderBytes: 1000, maxItems: 100, maxBodyBytes: 0 };

describe('multi-line data', () => {
  it('only a line that is exactly "." ends it', () => {
    expect(MultilineCollector.isTerminator(line('.'))).toBe(true);
    expect(MultilineCollector.isTerminator(line('ends with a period.'))).toBe(false);
    expect(MultilineCollector.isTerminator(line('..'))).toBe(false);
    expect(MultilineCollector.isTerminator(line(''))).toBe(false);
  });

  it('undoes dot-stuffing and counts octets after it (RFC 1939 §3)', () => {
    const c = new MultilineCollector('message', { ...limits, maxBodyBytes: 1000 }, 1);
    for (const l of ['Subject: dots', '', '..', '...leading', 'ends with a period.']) c.line(line(l));
    c.finish(true, 2);
    const r = c.result((f) => f);
    // Unstuffed: "Subject: dots"(13) ""(0) "."(1) "..leading"(9) "ends with a period."(19) + 5 CRLF
    expect(r.octets).toBe(13 + 0 + 1 + 9 + 19 + 10);
    expect(r.lines).toBe(5);
    expect(r.complete).toBe(true);
    expect(r.body).toBe('Subject: dots\r\n\r\n.\r\n..leading\r\nends with a period.\r\n');
    expect(r.headers).toEqual({ subject: 'dots' });
    expect(r.lastFrame).toBe(2);
  });

  it('keeps listing lines for CAPA, LIST and UIDL', () => {
    const c = new MultilineCollector('items', limits, 1);
    c.line(line('1 120'));
    c.line(line('2 200'));
    c.finish(true);
    expect(c.result((f) => f).lineItems).toEqual(['1 120', '2 200']);
  });

  it('reads From/To/Subject/Date/Message-ID, unfolded', () => {
    expect(parseHeaders('From: Alice <a@example.org>\r\nTo: b@example.org\r\nSubject: a long\r\n subject\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@x>\r\nX-Other: y\r\n'))
      .toEqual({ from: 'Alice <a@example.org>', to: 'b@example.org', subject: 'a long subject', date: 'Thu, 26 Nov 2026 10:00:00 +0000', messageId: '<1@x>' });
  });

  it('keeps only a bounded header block', () => {
    const c = new MultilineCollector('message', { ...limits, maxHeaderBytes: 30 }, 1);
    c.line(line('Subject: first'));
    c.line(line('X-Filler: ' + 'z'.repeat(100)));
    c.line(line('From: late@example.org'));
    c.finish(true);
    expect(c.messageHeaders).toEqual({ subject: 'first' });
  });
});

/** A header value as the transcript shows it; the decoder itself is tested in header-words.test.ts. */
const decodeEncodedWords = (value: string) => parseHeaders(`Subject: ${value}`).subject;

describe('RFC 2047 encoded words in the headers read', () => {
  it('reads a character split across two base64 words of a folded header whole', () => {
    // "é" is C3 A9: base64 of "caf" C3 is "Y2Fmww==", of A9 "qQ==".
    expect(decodeEncodedWords('=?UTF-8?B?Y2Fmww==?=\r\n =?UTF-8?B?qQ==?=')).toBe('café');
  });

  it('shows a word of an unknown charset as sent (RFC 2047 §6.2 (a)); the transcript escapes it', () => {
    expect(decodeEncodedWords('=?x-unknown-cs?Q?a?=')).toBe('=?x-unknown-cs?Q?a?=');
  });
});
