/**
 * What the report keeps for the whole run must cost about what it holds: at 4 GiB of
 * capture the sessions are most of the heap (the RSS target of bench/README.md). These
 * tests pin the three storage faults that once tripled it, each of which fails here when
 * brought back: transcript entries and sessions with a V8 hidden class each (built by
 * spreading), times kept as trees of string pieces, header values that kept their whole
 * header block alive.
 */
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { analyze } from '../../src/analyze.js';
import { formatTimestamp } from '../../src/capture/timestamp.js';
import { parseHeaders } from '../../src/pop3/multiline.js';
import { fixturePath } from '../support/tshark.js';

v8.setFlagsFromString('--allow-natives-syntax');
v8.setFlagsFromString('--expose-gc');
const sameHiddenClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const gc = vm.runInNewContext('gc') as () => void;

/** Groups objects by their own keys in order; true when every group shares one hidden class. */
function hiddenClassesPerShape(objects: object[]): { shapes: number; classes: number } {
  const byShape = new Map<string, object[]>();
  for (const o of objects) {
    const key = Object.keys(o).join(',');
    const list = byShape.get(key) ?? [];
    list.push(o);
    byShape.set(key, list);
  }
  let classes = 0;
  for (const list of byShape.values()) {
    const seen: object[] = [];
    for (const o of list) if (!seen.some((s) => sameHiddenClass(s, o))) seen.push(o);
    classes += seen.length;
  }
  return { shapes: byShape.size, classes };
}

/** Heap bytes still held per item after `make` built `n` of them and a full collection ran. */
function keptBytesPerItem(n: number, make: (i: number) => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = [];
  for (let i = 0; i < n; i++) kept.push(make(i));
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(kept.length).toBe(n);
  return (after - before) / n;
}

const RECORDINGS = ['fetchmail-keep.pcap', 'failed-logins-then-success.pcap', 'pipelined-burst.pcap', 'auth-plain.pcap', 'apop-login.pcap'];

describe('what the report keeps', () => {
  it('transcript entries of the same fields share one hidden class (real recordings)', async () => {
    const entries: object[] = [];
    for (const name of RECORDINGS) for (const s of (await analyze(fixturePath(name))).sessions) entries.push(...s.transcript);
    expect(entries.length).toBeGreaterThan(100);
    const { shapes, classes } = hiddenClassesPerShape(entries);
    expect(classes).toBe(shapes);
  });

  it('sessions of the same fields share one hidden class', async () => {
    const sessions: object[] = [];
    for (const name of RECORDINGS) sessions.push(...(await analyze(fixturePath(name))).sessions);
    expect(sessions.length).toBeGreaterThanOrEqual(RECORDINGS.length);
    const { shapes, classes } = hiddenClassesPerShape(sessions);
    expect(classes).toBe(shapes);
  });

  it('a kept time costs about its characters (one run, not a tree of pieces)', () => {
    // 27 characters: ~56 bytes flat with its array slot; kept as pieces it took ~300.
    const bytes = keptBytesPerItem(50_000, (i) => formatTimestamp(1_764_000_000 + (i >> 4), i * 7919, 'us'));
    expect(bytes).toBeLessThan(120);
  });

  it('a header value does not keep its header block alive', () => {
    const filler = `X-Filler: ${'y'.repeat(20_000)}\r\n`;
    const bytes = keptBytesPerItem(500, (i) => parseHeaders(`${filler}Subject: message number ${i} of the test\r\n`).subject);
    expect(bytes).toBeLessThan(1_000);
  });
});
