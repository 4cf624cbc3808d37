/**
 * What the report keeps for the whole run must cost about what it holds: at 4 GiB of
 * capture the sessions are most of the heap (the RSS target of bench/README.md). These
 * tests pin the storage faults that once tripled it, each of which fails here when
 * brought back: transcript entries and sessions with a V8 hidden class each (built by
 * spreading), times kept as trees of string pieces, header values that kept their whole
 * header block alive. The connections content detection hands on are held as long (up to
 * 100,000 open at once in a SYN flood) and had the same fault.
 */
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { analyze } from '../../src/analyze.js';
import { formatTimestamp } from '../../src/capture/timestamp.js';
import { parseHeaders } from '../../src/pop3/multiline.js';
import { ContentDetector } from '../../src/detect/content-detector.js';
import type { ConnectionInfo, StreamHandler } from '../../src/tcp/stream.js';
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
  expect(kept.length).toBe(n); // reads `kept` after the second gc(), so it is alive while measured
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

  it('connections handed to the dissector share one hidden class (on a POP3S port, by content, judged on a POP3 port)', () => {
    const handed: ConnectionInfo[] = [];
    const quiet: StreamHandler = { data() {}, gap() {}, close() {} };
    const detector = new ContentDetector({ open: (c) => { handed.push(c); return quiet; } }, {
      isPop3Port: (p) => p === 110 || p === 995, isImplicitTlsPort: (p) => p === 995, isCommand: (k) => k === 'USER',
    });
    const info = (i: number, port: number): ConnectionInfo => ({
      id: i, client: { ip: '192.0.2.1', port: 40000 + i }, server: { ip: '192.0.2.2', port }, start: { sec: i, nsec: 0 }, firstFrame: i, midstream: false,
    });
    for (let i = 1; i <= 4; i++) detector.open(info(i, 995));
    for (let i = 5; i <= 8; i++) {
      const c = detector.open(info(i, 2110));
      c.data('server', Buffer.from('+OK POP3 ready\r\n'), i, i, { sec: i, nsec: 0 });
      c.data('client', Buffer.from('USER alice\r\n'), i, i, { sec: i, nsec: 0 });
      c.data('server', Buffer.from('+OK\r\n'), i, i, { sec: i, nsec: 0 });
    }
    for (let i = 9; i <= 12; i++) detector.open(info(i, 110)).data('server', Buffer.from('220 smtp.example.org ESMTP\r\n'), i, i, { sec: i, nsec: 0 });
    expect(handed.map((c) => [c.client.port - 40000, c.detection, c.rejected === undefined ? null : 'rejected'])).toEqual([
      [1, 'port', null], [2, 'port', null], [3, 'port', null], [4, 'port', null],
      [5, 'content', null], [6, 'content', null], [7, 'content', null], [8, 'content', null],
      [9, 'port', 'rejected'], [10, 'port', 'rejected'], [11, 'port', 'rejected'], [12, 'port', 'rejected'],
    ]);
    for (const c of handed) expect(sameHiddenClass(c, handed[0]!)).toBe(true);
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
