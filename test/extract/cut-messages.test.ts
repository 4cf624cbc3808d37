/**
 * A message cut by the end of the capture or by a gap is written with what was
 * received, `complete: false` and the reason. The captures are the real
 * recording of alice's 224910-octet message (RETR 3 in frames 41-49) with
 * frames taken away; the expected bytes are the mailbox copy's (manifest) cut
 * where the missing frames were (their tcp.len from tshark's frames.tsv).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { FIXTURES_DIR } from '../capture/fixture-files.js';
import { MAILBOXES } from './mailbox-manifest.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-cut-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ORIGINAL = readFileSync(join(FIXTURES_DIR, 'captures/user-pass-retr-dele-quit.pcap'));
/** tcp.len of the server's data frames of RETR 3 (tshark/user-pass-retr-dele-quit.frames.tsv). */
const RETR3_FRAMES = new Map([[41, 32768], [43, 47616], [45, 47616], [47, 47616], [49, 49316]]);
const OK_LINE = '+OK 224910 octets\r\n'.length;

/** The classic pcap with only the frames `keep` says yes to (records copied whole). */
function withFrames(keep: (frame: number) => boolean): string {
  expect(ORIGINAL.readUInt32LE(0)).toBe(0xa1b2c3d4);
  const parts = [ORIGINAL.subarray(0, 24)];
  for (let off = 24, frame = 1; off < ORIGINAL.length; frame++) {
    const len = 16 + ORIGINAL.readUInt32LE(off + 8);
    if (keep(frame)) parts.push(ORIGINAL.subarray(off, off + len));
    off += len;
  }
  const path = join(tmp, `cut-${parts.length}.pcap`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** The message bytes are not in the manifest, only their hash: rebuild them from the whole recording. */
let whole: Buffer | undefined;
async function wholeMessage(): Promise<Buffer> {
  if (whole) return whole;
  const { index } = await extract(join(FIXTURES_DIR, 'captures/user-pass-retr-dele-quit.pcap'), { outputDir: join(tmp, 'whole') });
  const m = index.messages.find((x) => x.command === 'RETR' && x.message === 3)!;
  const bytes = readFileSync(join(tmp, 'whole', m.file!));
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(MAILBOXES.alice![2]!.sha256);
  whole = bytes;
  return bytes;
}

describe('cut messages', () => {
  it('the capture ends inside RETR 3: what arrived is written, complete false, reason capture-end', async () => {
    const whole = await wholeMessage();
    const dir = join(tmp, 'end');
    const { index } = await extract(withFrames((f) => f <= 45), { outputDir: dir });
    const m = index.messages.find((x) => x.message === 3)!;
    const received = 32768 + 47616 + 47616 - OK_LINE;
    expect(m).toMatchObject({ command: 'RETR', complete: false, reason: 'capture-end', octets: received });
    expect(readFileSync(join(dir, m.file!)).equals(whole.subarray(0, received))).toBe(true);
    // The messages before it are whole.
    expect(index.messages.filter((x) => x.message !== 3).every((x) => x.complete || x.command === 'TOP')).toBe(true);
  });

  it('frame 45 is missing: the bytes around the gap are written, the gap noted where it fell, reason gap', async () => {
    const whole = await wholeMessage();
    const dir = join(tmp, 'gap');
    const { index } = await extract(withFrames((f) => f !== 45), { outputDir: dir });
    const m = index.messages.find((x) => x.message === 3)!;
    const at = 32768 + 47616 - OK_LINE;
    const lost = RETR3_FRAMES.get(45)!;
    expect(m).toMatchObject({ complete: false, reason: 'gap', octets: 224910 - lost, gaps: [{ offset: at, octets: lost, reason: 'gap' }] });
    const expected = Buffer.concat([whole.subarray(0, at), whole.subarray(at + lost)]);
    expect(readFileSync(join(dir, m.file!)).equals(expected)).toBe(true);
    // The next message (RETR 4) is whole again.
    const next = index.messages.find((x) => x.message === 4)!;
    expect(next).toMatchObject({ complete: true, sha256: MAILBOXES.alice![3]!.sha256 });
  });
});
