/**
 * The file reader reuses one read buffer; every layer that keeps bytes past a packet
 * (out-of-order TCP data, message headers) must hold copies. A Buffer's slice() is a
 * view, not a copy, so this once corrupted out-of-order data read from files only.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture } from '../../src/capture/input.js';
import { buildPipeline } from '../../src/analyze.js';
import type { StreamHandler } from '../../src/tcp/stream.js';
import { writePcap } from '../support/capture-writer.js';
import { conversation, type Turn } from '../support/conversation.js';

function serverBytes(path: string, blockSize: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const pipeline = buildPipeline([path], {}, () => ({
    open(): StreamHandler {
      return { data(dir, b) { if (dir === 'server') parts.push(Buffer.from(b)); }, gap() {}, close() {} };
    },
  }));
  return readCapture(path, pipeline.sink, { blockSize }).then(() => {
    pipeline.assembler.finish();
    return Buffer.concat(parts);
  });
}

describe('out-of-order data read through a reused buffer', () => {
  it('is delivered intact', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} of the message body, ${'x'.repeat(i)}\r\n`);
    const turns: Turn[] = [{ from: 'server', data: '+OK ready\r\n' }, { from: 'client', data: 'RETR 1\r\n' }, { from: 'server', data: '+OK\r\n' }];
    for (const l of lines) turns.push({ from: 'server', data: l });
    turns.push({ from: 'server', data: '.\r\n' });
    const packets = conversation(turns);
    // Hold back the first body segments: they arrive after later ones, so they are buffered.
    const first = 3 + 3; // handshake + the three turns before the body
    const moved = packets.splice(first, 5);
    packets.splice(first + 20, 0, ...moved);
    const file = join(mkdtempSync(join(tmpdir(), 'pop3scope-reuse-')), 'reordered.pcap');
    writeFileSync(file, writePcap(packets));
    const expected = Buffer.from(['+OK ready\r\n', '+OK\r\n', ...lines, '.\r\n'].join(''), 'latin1');
    for (const size of [64, 300, 1024, 4096]) expect((await serverBytes(file, size)).equals(expected), `block size ${size}`).toBe(true);
    expect((await serverBytes(file, 1 << 20)).equals(expected)).toBe(true);
  });
});
