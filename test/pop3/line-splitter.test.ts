import { describe, expect, it } from 'vitest';
import { type Line, LineSplitter } from '../../src/pop3/line-splitter.js';

interface Seen { text: string; length: number; bareLf: boolean; truncated: boolean; frame: number; frames: number[] }

function splitter(max = 100) {
  const seen: Seen[] = [];
  const s = new LineSplitter(max, (l: Line) => {
    seen.push({ text: Buffer.from(l.bytes).toString('latin1'), length: l.length, bareLf: l.bareLf, truncated: l.truncated, frame: l.frame, frames: l.frames });
  });
  return { s, seen };
}
const b = (t: string) => Buffer.from(t, 'latin1');

describe('line splitter', () => {
  it('splits several lines of one chunk', () => {
    const { s, seen } = splitter();
    s.push(b('USER a\r\nPASS b\r\nST'), 5, 5);
    expect(seen.map((x) => x.text)).toEqual(['USER a', 'PASS b']);
    expect(seen[0]!.length).toBe(6);
    expect(s.pending).toBe(2);
  });

  it('joins a line sent one byte per segment, and records every frame', () => {
    const { s, seen } = splitter();
    const text = 'NOOP\r\n';
    for (let i = 0; i < text.length; i++) s.push(b(text[i]!), 10 + i, 10 + i);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.text).toBe('NOOP');
    expect(seen[0]!.bareLf).toBe(false);
    expect(seen[0]!.frame).toBe(15);
    expect(seen[0]!.frames).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('recognises CRLF split across segments', () => {
    const { s, seen } = splitter();
    s.push(b('+OK\r'), 1, 1);
    expect(seen).toHaveLength(0);
    s.push(b('\n'), 2, 2);
    expect(seen).toEqual([{ text: '+OK', length: 3, bareLf: false, truncated: false, frame: 2, frames: [1, 2] }]);
  });

  it('tolerates a bare LF and says so', () => {
    const { s, seen } = splitter();
    s.push(b('a\nb\r\n'), 1, 1);
    expect(seen.map((x) => [x.text, x.bareLf])).toEqual([['a', true], ['b', false]]);
  });

  it('cuts an over-long line, keeps its true length, and holds no more than the limit', () => {
    const { s, seen } = splitter(10);
    s.push(b('x'.repeat(25)), 1, 1);
    s.push(b('y'.repeat(1000)), 2, 2);
    expect(s.takeTail().length).toBeLessThanOrEqual(11);
    const again = splitter(10);
    again.s.push(b('x'.repeat(25)), 1, 1);
    again.s.push(b('y'.repeat(1000) + '\r\nok\r\n'), 2, 2);
    expect(again.seen[0]).toMatchObject({ text: 'xxxxxxxxxx', length: 1025, truncated: true, bareLf: false });
    expect(again.seen[1]!.text).toBe('ok');
    // In one chunk too.
    const one = splitter(4);
    one.s.push(b('abcdefgh\r\n'), 1, 1);
    expect(one.seen[0]).toMatchObject({ text: 'abcd', length: 8, truncated: true });
  });

  it('stops when the consumer asks and reports where', () => {
    const seen: string[] = [];
    const s = new LineSplitter(100, (l) => { seen.push(Buffer.from(l.bytes).toString()); return false; });
    const used = s.push(b('+OK go\r\n\x16\x03\x01'), 1, 1);
    expect(used).toBe(8);
    expect(seen).toEqual(['+OK go']);
  });

  it('forgets a partial line after a gap', () => {
    const { s, seen } = splitter();
    s.push(b('RETR 1'), 1, 1);
    expect(s.dropPartial()).toBe(6);
    s.push(b('DELE 2\r\n'), 2, 2);
    expect(seen.map((x) => x.text)).toEqual(['DELE 2']);
  });

  it('hands back an unterminated last line at the end', () => {
    const { s } = splitter();
    s.push(b('QUIT'), 3, 3);
    const last = s.flush()!;
    expect(Buffer.from(last.bytes).toString()).toBe('QUIT');
    expect(last.length).toBe(4);
  });
});
