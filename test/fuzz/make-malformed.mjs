#!/usr/bin/env node
/**
 * Writes the hand-made bad inputs of fixtures/malformed/ (run once; the files
 * are committed). Each is built byte by byte from the format specifications
 * (pcap-savefile(5), draft-ietf-opsawg-pcapng) around one real fixture, so the
 * offsets in the .json expectations can be computed by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACK, PSH, SYN, conversationFrames, pcapOf, tcpFrame } from './raw-capture.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = (name) => path.join(root, 'fixtures', 'malformed', name);
const apop = readFileSync(path.join(root, 'fixtures', 'captures', 'apop-login.pcap'));

/** Offsets of the first `n` records of a little-endian classic pcap. */
function recordOffsets(b, n) {
  const offs = [];
  for (let o = 24; offs.length < n && o + 16 <= b.length; o += 16 + b.readUInt32LE(o + 8)) offs.push(o);
  return offs;
}

writeFileSync(out('empty.pcap'), Buffer.alloc(0));
writeFileSync(out('text-file.pcap'), Buffer.from('From: someone\nThis is a mail, not a capture.\n'));
writeFileSync(out('truncated-file-header.pcap'), apop.subarray(0, 10));
// Three whole records, then the fourth cut 5 bytes into its data.
const [, , , r4] = recordOffsets(apop, 4);
writeFileSync(out('truncated-record.pcap'), apop.subarray(0, r4 + 16 + 5));
// The second record claims 300000 captured bytes (past 256 KiB).
const [, r2] = recordOffsets(apop, 2);
const big = Buffer.from(apop);
big.writeUInt32LE(300000, r2 + 8);
writeFileSync(out('record-too-long.pcap'), big);
// pcapng: SHB (28 bytes) + IDB (20 bytes) + an EPB whose total length is 13 (not a multiple of 4).
const shb = Buffer.alloc(28);
shb.writeUInt32LE(0x0a0d0d0a, 0); shb.writeUInt32LE(28, 4); shb.writeUInt32LE(0x1a2b3c4d, 8);
shb.writeUInt16LE(1, 12); shb.writeUInt16LE(0, 14); shb.writeBigInt64LE(-1n, 16); shb.writeUInt32LE(28, 24);
const idb = Buffer.alloc(20);
idb.writeUInt32LE(1, 0); idb.writeUInt32LE(20, 4); idb.writeUInt16LE(1, 8); idb.writeUInt32LE(262144, 12); idb.writeUInt32LE(20, 16);
const epb = Buffer.alloc(32);
epb.writeUInt32LE(6, 0); epb.writeUInt32LE(13, 4);
writeFileSync(out('bad-block-length.pcapng'), Buffer.concat([shb, idb, epb]));
// gzip of the whole capture, cut in the middle of the compressed stream.
const gz = gzipSync(apop);
writeFileSync(out('cut-gzip.pcap.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
console.log('wrote fixtures/malformed/', { r2, r4, gzLength: gz.length });

// Three SYNs to port 110 from three ports, never answered: no payload, so no session.
writeFileSync(out('syn-only.pcap'), pcapOf([40001, 40002, 40003].map((p) => tcpFrame(p, 110, 1000, 0, 0x02))));
// A 70000-octet greeting line (past the 65536 line limit) and its CRLF, in segments of 1400 (51 of them).
const frames = [tcpFrame(40000, 110, 999, 0, SYN), tcpFrame(110, 40000, 4999, 1000, SYN | ACK), tcpFrame(40000, 110, 1000, 5000, ACK)];
const line = Buffer.concat([Buffer.from('+OK '), Buffer.alloc(70000 - 4, 'x'), Buffer.from('\r\n')]);
for (let o = 0; o < line.length; o += 1400) frames.push(tcpFrame(110, 40000, 5000 + o, 1000, PSH | ACK, line.subarray(o, o + 1400)));
writeFileSync(out('overlong-greeting.pcap'), pcapOf(frames));

// Message number 0 in a LIST listing, a RETR and a DELE: RFC 1939 numbers messages from 1.
{
  const turns = [
    ['server', '+OK ready\r\n'], ['client', 'USER a\r\n'], ['server', '+OK\r\n'], ['client', 'PASS b\r\n'], ['server', '+OK\r\n'],
    ['client', 'LIST\r\n'], ['server', '+OK 2 messages\r\n0 100\r\n1 200\r\n.\r\n'],
    ['client', 'RETR 0\r\n'], ['server', '+OK\r\nSubject: zero\r\n\r\nx\r\n.\r\n'],
    ['client', 'DELE 0\r\n'], ['server', '+OK\r\n'],
    ['client', 'QUIT\r\n'], ['server', '+OK\r\n'],
  ].map(([from, data]) => ({ from, data: Buffer.from(data) }));
  writeFileSync(out('message-number-zero.pcap'), pcapOf(conversationFrames(turns)));
}

// Bytes before the capture header: a stray byte, 17 bytes, an HTTP response saved with its headers.
// The real captures follow unchanged, so the analysis must equal theirs.
{
  const dumpcap = readFileSync(path.join(root, 'fixtures', 'captures', 'dumpcap-pcapng.pcapng'));
  writeFileSync(out('leading-garbage-1.pcap'), Buffer.concat([Buffer.from([0x0a]), apop]));
  writeFileSync(out('leading-garbage-17.pcap'), Buffer.concat([Buffer.from('0123456789abcdef\n'), apop]));
  const http = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/vnd.tcpdump.pcap\r\nContent-Length: ${dumpcap.length}\r\n\r\n`);
  writeFileSync(out('leading-garbage-http.pcapng'), Buffer.concat([http, dumpcap]));
  console.log('leading garbage', { http: http.length });
  // 8 KiB of seeded random bytes holding the pcap and pcapng magic numbers (not whole headers): nothing to recover.
  let x = 20261206;
  const noise = Buffer.alloc(8192);
  for (let i = 0; i < noise.length; i++) { x = (x * 1103515245 + 12345) >>> 0; noise[i] = x >>> 24; }
  noise.writeUInt32LE(0xa1b2c3d4, 1000);
  noise.writeUInt32LE(0x0a0d0d0a, 5000);
  writeFileSync(out('magic-in-random-bytes.bin'), noise);
}

// A gzip bomb: 32 members of 16 MiB of zeros each (RFC 1952 §2.2 allows members one after another),
// 512 MiB inflated from about half a megabyte. Read with another input, the inputs are first
// ordered by their first packet's time, so this checks that the peek inflates through the bounded path too.
{
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  writeFileSync(out('gzip-bomb.pcap.gz'), Buffer.concat(Array.from({ length: 32 }, () => member)));
  console.log('gzip-bomb.pcap.gz: member', member.length, 'bytes');
}

// ---- inputs that cost time or memory rather than break parsing (issue #14), with their bounds in the .json ----
/** A conversation written as frames, each client turn its own segment, gzip'd: repetitive frames compress well. */
const writeGz = (name, frames) => writeFileSync(out(name), gzipSync(pcapOf(frames), { level: 9 }));

// A CAPA answer of 370 KB: 460 lines of `SASL` each naming 50 new mechanisms (23,000 in all).
{
  const lines = ['+OK Capability list follows'];
  for (let l = 0, n = 0; l < 460; l++) {
    const names = [];
    for (let k = 0; k < 50; k++) names.push(`X-MECH-${String(n++).padStart(8, '0')}`);
    lines.push(`SASL ${names.join(' ')}`);
  }
  const answer = `${lines.join('\r\n')}\r\n.\r\n`;
  const turns = [['server', '+OK ready\r\n'], ['client', 'CAPA\r\n'], ['server', answer], ['client', 'QUIT\r\n'], ['server', '+OK\r\n']];
  // The answer in 1400-octet segments, as a server would send it.
  const cut = turns.flatMap(([from, data]) => {
    const b = Buffer.from(data);
    const parts = [];
    for (let o = 0; o < b.length; o += 1400) parts.push({ from, data: b.subarray(o, o + 1400) });
    return parts;
  });
  writeGz('long-capa.pcap.gz', conversationFrames(cut));
  console.log('long-capa.pcap.gz: CAPA answer', answer.length, 'bytes');
}

// 40,000 SASL rounds in one AUTH exchange, each client line its own segment.
{
  const turns = [{ from: 'server', data: Buffer.from('+OK ready\r\n') }, { from: 'client', data: Buffer.from('AUTH X-ROUNDS\r\n') }];
  for (let i = 0; i < 40000; i++) {
    turns.push({ from: 'server', data: Buffer.from('+ \r\n') }, { from: 'client', data: Buffer.from('AAAA\r\n') });
  }
  turns.push({ from: 'server', data: Buffer.from('-ERR no\r\n') }, { from: 'client', data: Buffer.from('QUIT\r\n') }, { from: 'server', data: Buffer.from('+OK\r\n') });
  writeGz('long-sasl.pcap.gz', conversationFrames(turns));
}

// 9.2 MB of TLS alert records in clear on port 995 (RFC 5246 §6.2.1 record, §7.2 alert): 4.6 million alerts.
{
  const body = Buffer.alloc(16384);
  for (let i = 0; i < body.length; i += 2) { body[i] = 1; body[i + 1] = 0; } // warning close_notify
  const rec = Buffer.concat([Buffer.from([21, 3, 3, body.length >> 8, body.length & 0xff]), body]);
  const turns = [];
  for (let sent = 0; sent < 9.2e6; sent += rec.length) {
    for (let o = 0; o < rec.length; o += 1400) turns.push({ from: 'server', data: rec.subarray(o, o + 1400) });
  }
  writeGz('tls-alert-flood.pcap.gz', conversationFrames(turns, 40000, 995));
}

// One packet whose record claims an original length of 0xfffffff0 and whose IPv4 total length is 0
// (segmentation offload's "the frame holds it all"): the datagram can hold at most 65,535 octets.
{
  const frames = conversationFrames([{ from: 'server', data: Buffer.from('+OK ready\r\n') }]);
  const ipOffloaded = Buffer.from(frames[3]);
  ipOffloaded.writeUInt16BE(0, 14 + 2);
  const cap = Buffer.from(pcapOf(frames));
  // Record 4 (the greeting): its original-length field.
  let o = 24;
  for (let i = 0; i < 3; i++) o += 16 + cap.readUInt32LE(o + 8);
  ipOffloaded.copy(cap, o + 16);
  cap.writeUInt32LE(0xfffffff0, o + 12);
  writeFileSync(out('offload-huge-original-length.pcap'), cap);
}

// One session of 130,007 transcript entries (the greeting, USER, PASS and their +OKs, 65,000 NOOP/+OK
// pairs, QUIT and its +OK), each line its own segment: 130,012 packets with the handshake and the two
// FINs. The login puts the NOOPs in the TRANSACTION state, where RFC 1939 §5 allows them. Past the default
// transcript cap, so its .json raises it (`withLimits`); then every report walks all the entries, and a
// spread of them into one call (`Math.max(...widths)`) throws RangeError past ~120,000.
{
  const turns = [['server', '+OK ready\r\n'], ['client', 'USER a\r\n'], ['server', '+OK\r\n'], ['client', 'PASS b\r\n'], ['server', '+OK\r\n']]
    .map(([from, data]) => ({ from, data: Buffer.from(data) }));
  for (let i = 0; i < 65000; i++) {
    turns.push({ from: 'client', data: Buffer.from('NOOP\r\n') }, { from: 'server', data: Buffer.from('+OK\r\n') });
  }
  turns.push({ from: 'client', data: Buffer.from('QUIT\r\n') }, { from: 'server', data: Buffer.from('+OK\r\n') });
  const frames = conversationFrames(turns);
  writeGz('many-entries.pcap.gz', frames);
  console.log('many-entries.pcap.gz:', turns.length, 'lines,', frames.length, 'packets');
}
