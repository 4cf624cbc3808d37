/** However TCP cuts the bytes, the dissection is the same (frames aside). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Step, run } from './harness.js';

const SERVER = [
  '+OK ready <1.2@host>\r\n', '+OK\r\nTOP\r\nSASL PLAIN\r\n.\r\n', '+ \r\n', '+OK in\r\n',
  '+OK 2 messages\r\n1 43\r\n2 20\r\n.\r\n', '+OK\r\nSubject: =?UTF-8?B?w6lsw6k=?=\r\n\r\n..\r\nbody.\r\n.\r\n', '+OK\r\n', '+OK bye\r\n',
];
const CLIENT = ['CAPA\r\n', 'AUTH PLAIN\r\n', 'dGVzdAB0ZXN0AHRlc3Q=\r\n', 'LIST\r\n', 'RETR 1\r\n', 'DELE 1\r\n', 'QUIT\r\n'];

/** Alternate turns: greeting, then each command and its reply (the AUTH data line follows the "+ "). */
function turns(): { dir: 'c' | 's'; text: string }[] {
  const out: { dir: 'c' | 's'; text: string }[] = [{ dir: 's', text: SERVER[0]! }];
  for (let i = 0; i < CLIENT.length; i++) {
    out.push({ dir: 'c', text: CLIENT[i]! });
    out.push({ dir: 's', text: SERVER[i + 1]! });
  }
  return out;
}

function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].filter((p) => p > 0 && p < text.length).sort((a, b) => a - b);
  const parts: string[] = [];
  let prev = 0;
  for (const p of at) { parts.push(text.slice(prev, p)); prev = p; }
  parts.push(text.slice(prev));
  return parts;
}

/** Drop what depends on frame numbers and times. */
function essence(s: ReturnType<typeof run>): unknown {
  return JSON.parse(JSON.stringify(s, (k, v) => (['frame', 'frames', 'time', 'firstFrame', 'lastFrame', 'start', 'end', 'bytes'].includes(k) ? undefined : v)));
}

describe('segmentation does not change the dissection', () => {
  const whole = run(turns().map((t) => (t.dir === 'c' ? { c: t.text } : { s: t.text })));

  it('the reference run is a clean session', () => {
    expect(whole.events).toEqual({});
    expect(whole.messages.committed).toBe(true);
    expect(whole.messages.retrieved[0]).toMatchObject({ subject: 'élé', octets: 29 + 0 + 1 + 5 + 4 * 2, lines: 4 });
  });

  it('for any cut points', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.nat(200), { maxLength: 6 }), { minLength: 15, maxLength: 15 }), (cuts) => {
      const steps: Step[] = [];
      turns().forEach((t, i) => {
        for (const part of cut(t.text, cuts[i] ?? [])) steps.push(t.dir === 'c' ? { c: part } : { s: part });
      });
      expect(essence(run(steps))).toEqual(essence(whole));
    }), { numRuns: 150 });
  });
});
