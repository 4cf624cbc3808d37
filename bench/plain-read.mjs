#!/usr/bin/env node
/**
 * The floor for any Node reader: read a file in 1 MiB chunks and do nothing
 * with them. `node bench/plain-read.mjs FILE` prints the byte count.
 */
import fs from 'node:fs';

const file = process.argv[2];
if (!file) { process.stderr.write('usage: node bench/plain-read.mjs FILE\n'); process.exit(2); }
const fd = fs.openSync(file, 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let total = 0;
for (;;) {
  const n = fs.readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  total += n;
}
fs.closeSync(fd);
process.stdout.write(`${total}\n`);
