/**
 * Message bodies are counted in bulk once the headers are read: the sizes,
 * counts, frames and kept text must be what RFC 1939 §3 gives line by line.
 * Every expected figure below is counted by hand from the bytes in the test.
 */
import { describe, expect, it } from 'vitest';
import { C, S, run } from './harness.js';

// Header "Subject: x" (10) + blank line, then the body lines as sent.
const HEAD = 'Subject: x\r\n\r\n';
// "..dot" is stuffed (unstuffed ".dot", 4), "bare" ends with LF alone (4), "abcdefghij" is 10 octets.
const BODY = 'one\r\n..dot\r\nbare\nabcdefghij\r\n\r\n';
// Unstuffed octets with CRLF line ends: 12 + 2 + 5 + 6 + 6 + 12 + 2 = 45; lines: 7.
const OCTETS = 45;
const LINES = 7;

function retr(...server: string[]) {
  return [S('+OK hi'), C('USER a'), S('+OK'), C('PASS b'), S('+OK'), C('RETR 1'), ...server.map((s) => ({ s }))];
}

describe('message bodies counted in bulk', () => {
  it('one segment: octets, lines, bare LF, terminator frame, and the next reply still parsed', () => {
    const s = run([...retr(`+OK\r\n${HEAD}${BODY}.\r\n`), C('NOOP'), S('+OK done')]);
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    // Frames: 4 greeting, 5-8 USER/PASS, 9 RETR, 10 the whole answer.
    expect(reply.data).toMatchObject({ octets: OCTETS, lines: LINES, complete: true, firstFrame: 10, lastFrame: 10 });
    expect(reply.notes).toContain('bare-lf');
    expect(s.events['bare-lf']).toBe(1);
    expect(s.transcript.at(-1)).toMatchObject({ answers: 'NOOP', text: 'done' });
  });

  it('the same bytes cut inside lines and inside the terminator give the same figures', () => {
    const all = `${HEAD}${BODY}`;
    const s = run([...retr('+OK\r\nSubj', `ect: x\r\n\r\non`, all.slice(16, 22), all.slice(22), '.', '\r', '\n')]);
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    // The answer starts in frame 10; the terminator's LF is in frame 16.
    expect(reply.data).toMatchObject({ octets: OCTETS, lines: LINES, complete: true, firstFrame: 10, lastFrame: 16 });
    expect(s.events['bare-lf']).toBe(1);
  });

  it('".\\n" (bare LF) also ends the data; ". " and ".." do not', () => {
    const s = run(retr(`+OK\r\n${HEAD}. \r\n..\r\n.\n`));
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    // Any line starting with "." loses that dot: ". " is " " (1 + 2), ".." is "." (1 + 2): header 12 + 2, body 3 + 3 = 20; 4 lines.
    expect(reply.data).toMatchObject({ octets: 20, lines: 4, complete: true });
  });

  it('keeps the unstuffed text with CRLF line ends, and cuts long lines to the line limit', () => {
    const s = run(retr(`+OK\r\n${HEAD}${BODY}.\r\n`), { keepBodies: true, limits: { maxLineLength: 8 } });
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    // "Subject: x" is 10 octets, over the limit of 8: it is cut too (and still counted whole).
    expect(reply.data!.body).toBe('Subject:\r\n\r\none\r\n.dot\r\nbare\r\nabcdefgh\r\n\r\n');
    expect(reply.data).toMatchObject({ octets: OCTETS, lines: LINES });
    expect(s.events['line-too-long']).toBe(2);
  });

  it('a line over the limit reaches an extraction writer cut the same way whether it came in one segment or several', () => {
    /** What a writer is handed: bytes as text, and each loss as [octets, reason]. */
    const written = (...server: string[]) => {
      const got: (string | [number | null, string])[] = [];
      run(retr(...server), {
        limits: { maxLineLength: 8 },
        messageData: { open: () => ({ write: (b) => got.push(Buffer.from(b).toString('latin1')), lost: (n, why) => got.push([n, why]), end: () => {} }) },
      });
      // Consecutive writes joined: how the bytes are split into calls does not matter.
      return got.reduce<(string | [number | null, string])[]>((all, x) => {
        if (typeof x === 'string' && typeof all[all.length - 1] === 'string') all[all.length - 1] += x;
        else all.push(x);
        return all;
      }, []);
    };
    // By hand: "Subject: x" (10) keeps 8 and loses 2; "abcdefghij" (10) keeps 8 and loses 2; the stuffed dot goes.
    const expected = ['Subject:', [2, 'line-too-long'], '\r\n\r\none\r\n.dot\r\nbare\nabcdefgh', [2, 'line-too-long'], '\r\n\r\n'];
    const all = `+OK\r\n${HEAD}${BODY}.\r\n`;
    expect(written(all)).toEqual(expected);
    // Cut inside the long body line: it then goes through the line splitter.
    const cut = all.indexOf('abcde') + 5;
    expect(written(all.slice(0, cut), all.slice(cut))).toEqual(expected);
  });

  it('a gap inside the body: sizes stop counting the lost line, the data is incomplete', () => {
    const s = run([...retr(`+OK\r\n${HEAD}one\r\npar`), { gap: 'server', length: 5 }, { s: 'tial\r\nlast\r\n.\r\n' }]);
    const reply = s.transcript.find((e) => e.answers === 'RETR')!;
    // Counted: header 12 + 2, "one" 5, "tial" 6, "last" 6 = 31 in 5 lines; "par" went with the gap.
    expect(reply.data).toMatchObject({ octets: 31, lines: 5, complete: false });
    expect(reply.notes).toEqual(expect.arrayContaining(['gap', 'incomplete-data']));
  });
});
