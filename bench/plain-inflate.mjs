#!/usr/bin/env node
/**
 * The floor for gzip input: inflate a file with Node's zlib in 1 MiB chunks
 * and throw the bytes away. `node bench/plain-inflate.mjs FILE.gz` prints the
 * inflated byte count.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

const file = process.argv[2];
if (!file) { process.stderr.write('usage: node bench/plain-inflate.mjs FILE.gz\n'); process.exit(2); }
let total = 0;
fs.createReadStream(file, { highWaterMark: 1 << 20 })
  .pipe(zlib.createGunzip({ chunkSize: 1 << 20 }))
  .on('data', (/** @type {Buffer} */ b) => { total += b.length; })
  .on('end', () => process.stdout.write(`${total}\n`))
  .on('error', (/** @type {Error} */ e) => { process.stderr.write(`plain-inflate: ${e.message}\n`); process.exitCode = 1; });
