#!/usr/bin/env node
/**
 * Rewrites an Ethernet pcap (as `generate.mjs` writes) as another link type, the packets
 * otherwise unchanged, to time the link layers other captures come with:
 *
 *   node bench/relink.mjs IN.pcap OUT.pcap sll2|sll|raw
 *
 * `sll2` is what `tcpdump -i any` writes on Linux (20-byte header, the EtherType first),
 * `sll` its older form (16 bytes, the EtherType last), `raw` bare IP (a frame whose
 * EtherType is not IP, or that carries VLAN tags, is dropped). Classic pcap, microsecond
 * or nanosecond, little-endian only.
 */
import fs from 'node:fs';

const LINK = { sll2: 276, sll: 113, raw: 101 };
const [input, output, kind] = process.argv.slice(2);
if (!input || !output || !(kind in LINK)) {
  process.stderr.write('usage: node bench/relink.mjs IN.pcap OUT.pcap sll2|sll|raw\n');
  process.exit(2);
}
const fd = fs.openSync(input, 'r');
const out = fs.openSync(output, 'w');
const header = Buffer.alloc(24);
fs.readSync(fd, header, 0, 24, 0);
if (header.readUInt32LE(0) !== 0xa1b2c3d4 && header.readUInt32LE(0) !== 0xa1b23c4d) throw new Error('not a little-endian classic pcap');
if (header.readUInt32LE(20) !== 1) throw new Error('not Ethernet');
header.writeUInt32LE(LINK[/** @type {keyof typeof LINK} */ (kind)], 20);
fs.writeSync(out, header);

const CHUNK = 8 << 20;
let buf = Buffer.alloc(0);
let position = 24;
const pieces = [];
let pending = 0;
const flush = () => {
  if (pieces.length > 0) fs.writeSync(out, Buffer.concat(pieces));
  pieces.length = 0;
  pending = 0;
};
for (;;) {
  const more = Buffer.alloc(CHUNK);
  const n = fs.readSync(fd, more, 0, CHUNK, position);
  position += n;
  buf = buf.length > 0 ? Buffer.concat([buf, more.subarray(0, n)]) : more.subarray(0, n);
  let at = 0;
  while (at + 16 <= buf.length) {
    const caplen = buf.readUInt32LE(at + 8);
    if (at + 16 + caplen > buf.length) break;
    const frame = buf.subarray(at + 16, at + 16 + caplen);
    const record = relink(buf.subarray(at, at + 16), frame);
    if (record !== null) {
      pieces.push(...record);
      pending += record[0].length + record[1].length + record[2].length;
      if (pending > CHUNK) flush();
    }
    at += 16 + caplen;
  }
  buf = Buffer.from(buf.subarray(at));
  if (n === 0) break;
}
flush();
fs.closeSync(out);

/**
 * The record header (lengths adjusted), the new link header and the network-layer bytes.
 * @param {Buffer} recordHeader @param {Buffer} frame @returns {Buffer[] | null}
 */
function relink(recordHeader, frame) {
  const type = frame.readUInt16BE(12);
  const ip = frame.subarray(14);
  let link;
  if (kind === 'sll2') {
    link = Buffer.alloc(20);
    link.writeUInt16BE(type, 0);
    link.writeUInt32BE(2, 4); // interface index
    link.writeUInt16BE(1, 8); // ARPHRD_ETHER
    link[10] = 0; // to us
    link[11] = 6;
    frame.copy(link, 12, 6, 12); // the sender's MAC
  } else if (kind === 'sll') {
    link = Buffer.alloc(16);
    link.writeUInt16BE(0, 0);
    link.writeUInt16BE(1, 2);
    link.writeUInt16BE(6, 4);
    frame.copy(link, 6, 6, 12);
    link.writeUInt16BE(type, 14);
  } else {
    if (type !== 0x0800 && type !== 0x86dd) return null;
    link = Buffer.alloc(0);
  }
  const h = Buffer.from(recordHeader);
  const delta = link.length - 14;
  h.writeUInt32LE(recordHeader.readUInt32LE(8) + delta, 8);
  h.writeUInt32LE(recordHeader.readUInt32LE(12) + delta, 12);
  return [h, link, ip];
}
