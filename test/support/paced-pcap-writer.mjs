#!/usr/bin/env node
/**
 * Writes a classic pcap file's records to standard output one by one, as tcpdump -U
 * does on a live interface, for the streaming tests:
 *
 *   node paced-pcap-writer.mjs FILE [--delay-ms 5] [--pause-after FRAME] [--pause-ms 2000]
 *
 * After frame FRAME it waits --pause-ms before the next record. It reports on standard
 * error, one JSON object a line, when it paused and resumed ({"event", "frame", "at": ms
 * since the epoch}) and when it wrote the last record.
 */
import { readFileSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const delayMs = opt('--delay-ms', 5);
const pauseAfter = opt('--pause-after', -1);
const pauseMs = opt('--pause-ms', 2000);

const data = readFileSync(file);
const magic = data.readUInt32LE(0);
const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
if (!little && data.readUInt32BE(0) !== 0xa1b2c3d4 && data.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a classic pcap`);
const report = (event, frame) => process.stderr.write(JSON.stringify({ event, frame, at: Date.now() }) + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes all of it: a pipe may take less than asked. */
function writeAll(bytes) {
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(1, bytes, off, bytes.length - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

writeAll(data.subarray(0, 24));
let pos = 24;
for (let frame = 1; pos + 16 <= data.length; frame++) {
  const caplen = little ? data.readUInt32LE(pos + 8) : data.readUInt32BE(pos + 8);
  writeAll(data.subarray(pos, pos + 16 + caplen));
  pos += 16 + caplen;
  if (frame === pauseAfter) {
    report('paused', frame);
    await sleep(pauseMs);
    report('resumed', frame);
  } else if (delayMs > 0) {
    await sleep(delayMs);
  }
}
report('done', null);
