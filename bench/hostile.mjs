#!/usr/bin/env node
/**
 * Hostile-load captures: each one aims at one of pop3scope's memory or time
 * bounds. Generates them (once, under bench/out/) and runs the tool on each,
 * reporting wall time, peak RSS, exit code, and what the tool said
 * (captures[0].warnings, limits).
 *
 *   node bench/hostile.mjs [--small] [--big-size 1GiB] [--only syn-flood,reverse-big,...] [--generate-only] [--tool bin/pop3scope.js]
 *
 * Cases:
 *   syn-flood        1,000,000 SYNs to port 110 from distinct source ports (and addresses)
 *   reverse-big      one POP3 connection whose server data (default 1 GiB, --small 64 MiB) arrives in reverse segment order
 *   reverse-bytes    a 10 MB capture of one connection of single-byte segments in reverse order
 *   pipelined-1m     a million tiny pipelined commands (NOOP) before any response
 *   long-line        a 100 MB response line without CRLF, in ~1400-byte segments
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ACK, CaptureWriter, FIN, PSH, SYN, ipv4 } from './capture-writer.mjs';
import { parseSize } from './generate.mjs';
import { GNU_TIME, measure, printUsageAndExit } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const outDir = path.join(here, 'out');
const HOSTILE_VERSION = 1;
const T0 = Date.UTC(2026, 2, 2, 10, 0, 0) * 1000;
const SERVER = ipv4(192, 0, 2, 110);

/** A TCP connection being written by hand: sequence numbers per side. */
class Conn {
  /** @param {CaptureWriter} w @param {import('./capture-writer.mjs').Endpoints} ep */
  constructor(w, ep) {
    this.w = w; this.ep = ep; this.ts = T0;
    this.c = 1000; this.s = 5000; // next sequence number per side (after the SYNs)
  }
  tick() { return (this.ts += 10); }
  open() {
    this.w.tcp(this.tick(), this.ep, true, SYN, this.c - 1, 0, null);
    this.w.tcp(this.tick(), this.ep, false, SYN | ACK, this.s - 1, this.c, null);
    this.w.tcp(this.tick(), this.ep, true, ACK, this.c, this.s, null);
  }
  /** In-order data from one side, cut into segments of `mss`. @param {boolean} fromClient @param {Buffer|string} data @param {number} [mss] */
  say(fromClient, data, mss = 1460) {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    for (let o = 0; o < b.length; o += mss) this.seg(fromClient, (fromClient ? this.c : this.s) + o, b.subarray(o, Math.min(b.length, o + mss)));
    if (fromClient) this.c += b.length; else this.s += b.length;
  }
  /** @param {boolean} fromClient @param {number} seq @param {Buffer} data */
  seg(fromClient, seq, data) {
    this.w.tcp(this.tick(), this.ep, fromClient, PSH | ACK, seq, fromClient ? this.s : this.c, data);
  }
  close() {
    this.w.tcp(this.tick(), this.ep, true, FIN | ACK, this.c, this.s, null);
    this.w.tcp(this.tick(), this.ep, false, FIN | ACK, this.s, this.c + 1, null);
    this.w.tcp(this.tick(), this.ep, true, ACK, this.c + 1, this.s + 1, null);
  }
}

const client = (/** @type {number} */ port) => ({ v6: false, cip: ipv4(10, 9, 0, 1), sip: SERVER, cport: port, sport: 110 });

/** A body of text lines that repeats with the line's period, so any slice can be taken from one buffer. */
const LINE = 'The quick brown fox jumps over the lazy dog while the mail server waits.\r\n'; // 74 bytes
const PERIOD = LINE.length;
const PATTERN = Buffer.from(LINE.repeat(Math.ceil((PERIOD + 65536) / PERIOD) + 1));
/** Bytes [o, o+n) of the endless body. @param {number} o @param {number} n */
const bodySlice = (o, n) => PATTERN.subarray(o % PERIOD, (o % PERIOD) + n);

/** @type {Record<string, (file: string, o: { bigSize: number }) => string>} */
const CASES = {
  'syn-flood'(file) {
    const w = new CaptureWriter(file, 'pcap');
    let ts = T0;
    for (let i = 0; i < 1_000_000; i++) {
      const ep = { v6: false, cip: ipv4(10, 20 + Math.floor(i / 64000), 0, 1), sip: SERVER, cport: 1024 + (i % 64000), sport: 110 };
      w.tcp((ts += 3), ep, true, SYN, (i * 2654435761) >>> 0, 0, null);
    }
    w.close();
    return '1,000,000 SYNs, no answers';
  },
  'reverse-big'(file, o) {
    const w = new CaptureWriter(file, 'pcap');
    const k = new Conn(w, client(40001));
    k.open();
    k.say(false, '+OK ready\r\n');
    k.say(true, 'USER alice\r\n'); k.say(false, '+OK\r\n');
    k.say(true, 'PASS secret\r\n'); k.say(false, '+OK Logged in.\r\n');
    k.say(true, 'RETR 1\r\n');
    const body = Math.floor(o.bigSize / PERIOD) * PERIOD;
    const head = Buffer.from(`+OK ${body} octets\r\n`);
    const base = k.s;
    const total = head.length + body + 3;
    // every server segment of the reply, last one first
    const mss = 1460;
    const last = Math.floor((total - 1) / mss);
    for (let i = last; i >= 0; i--) {
      const from = i * mss, to = Math.min(total, from + mss);
      const parts = [];
      for (let x = from; x < to;) {
        if (x < head.length) { const n = Math.min(to, head.length) - x; parts.push(head.subarray(x, x + n)); x += n; }
        else if (x < head.length + body) { const n = Math.min(to, head.length + body) - x; parts.push(bodySlice(x - head.length, n)); x += n; }
        else { const t = Buffer.from('.\r\n').subarray(x - head.length - body, to - head.length - body); parts.push(t); x = to; }
      }
      k.seg(false, base + from, parts.length === 1 ? parts[0] : Buffer.concat(parts));
    }
    k.s += total;
    k.say(true, 'QUIT\r\n'); k.say(false, '+OK Bye\r\n');
    k.close();
    w.close();
    return `one RETR reply of ${total} bytes in ${last + 1} segments, reverse order`;
  },
  'reverse-bytes'(file) {
    const w = new CaptureWriter(file, 'pcap');
    const k = new Conn(w, client(40002));
    k.open();
    k.say(false, '+OK ready\r\n');
    k.say(true, 'USER alice\r\n'); k.say(false, '+OK\r\n');
    k.say(true, 'PASS secret\r\n'); k.say(false, '+OK Logged in.\r\n');
    k.say(true, 'RETR 1\r\n');
    const n = Math.floor((10e6 - w.size - 400) / 71); // 16-byte record + 54 bytes of headers + 1 byte
    const body = n - 30;
    const reply = Buffer.from("+OK message follows\r\n");
    const stream = Buffer.alloc(body);
    for (let i = 0; i < body; i++) stream[i] = PATTERN[i % PERIOD];
    const all = Buffer.concat([reply, stream.subarray(0, body - reply.length - 3), Buffer.from('.\r\n')]);
    for (let i = all.length - 1; i >= 0; i--) k.seg(false, k.s + i, all.subarray(i, i + 1));
    k.s += all.length;
    k.close();
    w.close();
    return `${all.length} single-byte segments in reverse order`;
  },
  'pipelined-1m'(file) {
    const w = new CaptureWriter(file, 'pcap');
    const k = new Conn(w, client(40003));
    k.open();
    k.say(false, '+OK ready\r\n');
    k.say(true, 'USER alice\r\n'); k.say(false, '+OK\r\n');
    k.say(true, 'PASS secret\r\n'); k.say(false, '+OK Logged in.\r\n');
    k.say(true, Buffer.from('NOOP\r\n'.repeat(1_000_000)));
    k.say(false, Buffer.from('+OK\r\n'.repeat(1_000_000)));
    k.say(true, 'QUIT\r\n'); k.say(false, '+OK Bye\r\n');
    k.close();
    w.close();
    return '1,000,000 NOOPs sent before the first reply';
  },
  'long-line'(file) {
    const w = new CaptureWriter(file, 'pcap');
    const k = new Conn(w, client(40004));
    k.open();
    const big = Buffer.alloc(1400, 'A');
    k.say(false, '+OK ');
    const n = Math.ceil(100e6 / 1400);
    for (let i = 0; i < n; i++) { k.seg(false, k.s, big); k.s += big.length; }
    k.close();
    w.close();
    return `a reply line of ${n * 1400 + 4} bytes without CRLF`;
  },
};

const { values: opt } = parseArgs({
  options: {
    small: { type: 'boolean', default: false },
    'big-size': { type: 'string' },
    only: { type: 'string' },
    'generate-only': { type: 'boolean', default: false },
    tool: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) printUsageAndExit(import.meta.url);
const tool = path.resolve(opt.tool ?? path.join(root, 'bin', 'pop3scope.js'));
const bigSize = parseSize(opt['big-size'] ?? (opt.small ? '64MiB' : '1GiB'));
const names = opt.only ? opt.only.split(',') : Object.keys(CASES);
fs.mkdirSync(outDir, { recursive: true });
const lines = [
  `pop3scope hostile-load runs, ${new Date().toISOString()}${GNU_TIME ? '' : ' (no GNU time: RSS n/a)'}`,
  '',
  '| case | what | file MiB | packets | wall s | peak RSS MiB | exit | warnings | limits hit | sessions |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |',
];
for (const name of names) {
  const make = CASES[name];
  if (!make) { process.stderr.write(`hostile: unknown case ${name} (known: ${Object.keys(CASES).join(', ')})\n`); process.exit(2); }
  const label = name === 'reverse-big' ? `reverse-${(bigSize / 2 ** 20).toFixed(0)}MiB` : name;
  const file = path.join(outDir, `hostile-${label}-h${HOSTILE_VERSION}.pcap`);
  const metaFile = `${file}.meta.json`;
  let meta;
  if (fs.existsSync(file) && fs.existsSync(metaFile)) {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } else {
    const t0 = Date.now();
    const what = make(`${file}.part`, { bigSize });
    fs.renameSync(`${file}.part`, file);
    const bytes = fs.statSync(file).size;
    meta = { what, bytes };
    fs.writeFileSync(metaFile, JSON.stringify(meta) + '\n');
    process.stderr.write(`hostile: wrote ${path.relative(root, file)} (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  if (opt['generate-only']) continue;
  const out = path.join(outDir, `hostile-${label}.out.json`);
  const m = measure([process.execPath, tool, 'analyze', '--format', 'json', file], { stdout: out });
  let warnings = 'n/a', limits = 'n/a', sessions = 'n/a', packets = 'n/a';
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    /** @type {Record<string, number>} */
    const byCode = {};
    for (const wv of r.captures?.[0]?.warnings ?? []) byCode[wv.code] = (byCode[wv.code] ?? 0) + 1;
    warnings = JSON.stringify(byCode);
    limits = JSON.stringify(r.limits ?? {});
    sessions = String(r.sessions?.length ?? 'n/a');
    packets = String(r.captures?.[0]?.packets ?? 'n/a');
  } catch {
    const err = m.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
    warnings = `no JSON: ${(err.find((l) => /Error|pop3scope:/.test(l)) ?? err[0] ?? '').slice(0, 100)}`;
  }
  const row = `| ${label} | ${meta.what} | ${(meta.bytes / 2 ** 20).toFixed(1)} | ${packets} | ${m.wall.toFixed(2)} | ${m.rssMiB === null ? 'n/a' : m.rssMiB.toFixed(0)} | ${m.code ?? m.signal} | ${warnings.replace(/\|/g, '\\|')} | ${limits} | ${sessions} |`;
  process.stderr.write(`hostile: ${row}\n`);
  lines.push(row);
}
const report = lines.join('\n') + '\n';
process.stdout.write(report);
if (!opt['generate-only']) fs.writeFileSync(path.join(outDir, `hostile-${new Date().toISOString().replace(/[:.]/g, '-')}.md`), report);
