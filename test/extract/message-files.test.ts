/** The message sink alone: many messages open at once stay within the descriptor budget, and caps cut where they say. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageFiles } from '../../src/extract/message-files.js';
import { OutputDir } from '../../src/extract/output-dir.js';
import type { MessageDataStart } from '../../src/pop3/message-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-sink-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const start = (session: number, number: number): MessageDataStart => ({
  session: String(session), client: { ip: '127.0.0.1', port: 40000 + session }, server: { ip: '127.0.0.1', port: 110 },
  user: 'u', command: 'RETR', number, firstFrame: 1,
});
const big = 30;

describe('MessageFiles', () => {
  it('300 messages open at once, each past the in-memory buffer: every file whole, never more than 257 descriptors', () => {
    const sink = new MessageFiles(new OutputDir(join(tmp, 'many'), false), { maxMessageBytes: 1 << 30, maxTotalBytes: 2 ** 40 });
    const writers = Array.from({ length: 300 }, (_, i) => sink.open(start(i + 1, 1))!);
    const chunk = (i: number, k: number) => Buffer.alloc(4096, `${i}:${k};`);
    let maxOpen = 0;
    for (let k = 0; k < big; k++) {
      for (const [i, w] of writers.entries()) {
        w.write(chunk(i, k));
        maxOpen = Math.max(maxOpen, sink.openFiles);
      }
    }
    writers.forEach((w) => w.end(null, 9));
    expect(maxOpen).toBeLessThanOrEqual(257);
    expect(sink.openFiles).toBe(0);
    for (const [i, r] of sink.records.entries()) {
      const expected = Buffer.concat(Array.from({ length: big }, (_, k) => chunk(i, k)));
      const bytes = readFileSync(join(tmp, 'many', 'messages', r.name!));
      expect(bytes.equals(expected)).toBe(true);
      expect(r.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
    }
  });

  it('the per-message cap keeps the first octets; the total cap leaves later messages unwritten but measured', () => {
    const sink = new MessageFiles(new OutputDir(join(tmp, 'caps'), false), { maxMessageBytes: 10, maxTotalBytes: 22 });
    const a = sink.open(start(1, 1))!;
    a.write(Buffer.from('0123456789abcdef'));
    a.end(null, 2);
    const b = sink.open(start(1, 2))!;
    b.write(Buffer.from('ABCDEFGHIJ'));
    b.write(Buffer.from('KLMNOP'));
    b.end(null, 3);
    const c = sink.open(start(1, 3))!;
    c.write(Buffer.from('xyz'));
    c.end(null, 4);
    const d = sink.open(start(1, 4))!;
    d.write(Buffer.from('late'));
    d.end('capture-end', 5);
    const [ra, rb, rc, rd] = sink.records;
    expect(readFileSync(join(tmp, 'caps', 'messages', ra!.name!), 'latin1')).toBe('0123456789');
    expect(ra).toMatchObject({ octets: 10, limits: ['message-bytes'] });
    expect(readFileSync(join(tmp, 'caps', 'messages', rb!.name!), 'latin1')).toBe('ABCDEFGHIJ');
    // 20 written so far: 2 octets of room left in the total.
    expect(rc).toMatchObject({ octets: 2, limits: ['extract-bytes'] });
    expect(readFileSync(join(tmp, 'caps', 'messages', rc!.name!), 'latin1')).toBe('xy');
    // Past the total cap no file is made; what arrived is still counted and hashed.
    expect(rd).toMatchObject({ name: null, octets: 4, cut: 'capture-end', limits: ['extract-bytes'] });
    expect(rd!.sha256).toBe(createHash('sha256').update('late').digest('hex'));
  });
});
