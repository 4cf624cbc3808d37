#!/usr/bin/env node
/**
 * Writes a deterministic, realistic capture of a chosen size, and its ground
 * truth beside it (FILE.truth.json), for the benchmark.
 *
 *   node bench/generate.mjs [--size 1GiB] [--format pcap|pcapng] [--seed N] [--out FILE]
 *
 * Traffic mix (by bytes): ~8.5 % POP3 on port 110 in complete sessions, ~1.5 %
 * POP3S on 995, the rest HTTPS (443), HTTP (80), SMTP (25), IMAP (143) and DNS
 * (UDP 53); ~6 % of connections over IPv6; ~10 % of the IPv4 TCP connections
 * carried in a tunnel (VXLAN or GRE transparent Ethernet bridging, so the
 * tool must unwrap them, and content detection judge every neighbour);
 * about 1.08 M packets per GiB. Dozens of connections
 * run interleaved. POP3 flows carry a few reordered and retransmitted segments.
 * Payloads are built once (message templates, a TLS record pool, an HTML pool)
 * and sent as views, so generation runs at disk speed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CaptureWriter, ipv4, ipv6 } from './capture-writer.mjs';
import { TcpConversation } from './tcp-conversation.mjs';
import { makeRandom } from './prng.mjs';

export const GENERATOR_VERSION = 4;
const START_US = Date.UTC(2026, 2, 2, 9, 0, 0) * 1000;
const MIX = /** @type {const} */ ({ https: 0.555, http: 0.26, smtp: 0.04, imap: 0.04, pop3: 0.085, pop3s: 0.015, dns: 0.005 });
/** Share of IPv4 TCP connections carried in a tunnel. */
const TUNNEL_SHARE = 0.1;
const CONCURRENT = 64;
const V6_SHARE = 0.06;
const REC = 16384 + 5; // one full TLS application-data record

/** @param {string} s e.g. `1GiB`, `50MB`, `64MiB`, `1000000` */
export function parseSize(s) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?\s*$/i.exec(String(s));
  if (!m) throw new Error(`bad size: ${s}`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const pow = { b: 0, k: 1, m: 2, g: 3, t: 4 }[unit[0]] ?? 0;
  const base = unit.includes('i') ? 1024 : 1000;
  return Math.round(Number(m[1]) * base ** pow);
}

const WORDS = ('the of and to in is that for it as with was on be by this are from or at an which have not ' +
  'report meeting budget invoice schedule project server mail account update review draft attached please ' +
  'regards thanks tomorrow quarter figures shipment order customer support ticket network release notes').split(' ');
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar', 'peggy', 'trent', 'victor', 'walter'];
const SITES = ['www.example.com', 'cdn.example.net', 'api.example.org', 'static.example.com', 'img.example.net', 'login.example.org', 'news.example.com', 'video.example.net'];

/** @param {ReturnType<typeof makeRandom>} rand @param {number} n */
function sentence(rand, n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(rand.pick(WORDS));
  return w.join(' ');
}

/**
 * One mail message as the server stores it, and as it goes on the wire
 * (dot-stuffed, without the terminating `.`).
 * @typedef {{ wire: Buffer, octets: number, lines: number, subject: string, messageId: string }} MessageTemplate
 */

/** @param {ReturnType<typeof makeRandom>} rand @param {number} i @param {number} size */
function makeMessage(rand, i, size) {
  const from = rand.pick(NAMES), to = rand.pick(NAMES);
  const subject = `${sentence(rand, 3)} #${i}`;
  const messageId = `<${i}.${rand.int(1e9)}@example.net>`;
  const lines = [
    `Return-Path: <${from}@example.net>`,
    `Received: from mx${rand.int(9)}.example.net (mx.example.net [198.51.100.${rand.range(1, 250)}]) by mail.example.org with ESMTPS id ${rand.int(1e9).toString(36)}`,
    `From: ${from[0].toUpperCase()}${from.slice(1)} <${from}@example.net>`,
    `To: ${to} <${to}@example.org>`,
    `Subject: ${subject}`,
    `Date: Mon, 02 Mar 2026 0${rand.int(9)}:${10 + rand.int(50)}:${10 + rand.int(50)} +0000`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
  ];
  let octets = 0;
  for (const l of lines) octets += l.length + 2;
  while (octets < size) {
    const r = rand.next();
    // a few lines that need dot-stuffing: a lone dot, leading dots
    const l = r < 0.01 ? '.' : r < 0.03 ? `.${sentence(rand, 4)}` : r < 0.035 ? '..double dot line' : r < 0.07 ? '' : sentence(rand, rand.range(6, 13));
    lines.push(l);
    octets += l.length + 2;
  }
  const wire = lines.map((l) => (l.startsWith('.') ? '.' + l : l) + '\r\n').join('');
  return { wire: Buffer.from(wire, 'latin1'), octets, lines: lines.length, subject, messageId };
}

/** The TLS 1.3 ClientHello a mail or web client sends. @param {ReturnType<typeof makeRandom>} rand @param {string} sni */
export function clientHello(rand, sni) {
  const name = Buffer.from(sni);
  const sniExt = Buffer.alloc(9 + name.length);
  sniExt.writeUInt16BE(0x0000, 0); sniExt.writeUInt16BE(5 + name.length, 2); sniExt.writeUInt16BE(3 + name.length, 4);
  sniExt[6] = 0; sniExt.writeUInt16BE(name.length, 7); name.copy(sniExt, 9);
  const keyShare = Buffer.concat([Buffer.from('0033002600240' + '01d0020', 'hex'), rand.fill(Buffer.alloc(32))]);
  const exts = Buffer.concat([
    sniExt,
    Buffer.from('002b0005040304 0303'.replace(/ /g, ''), 'hex'),
    Buffer.from('000a00080006001d00170018', 'hex'),
    Buffer.from('000d000a0008040308040401 0503'.replace(/ /g, ''), 'hex'),
    Buffer.from('0010000e000c02683208687474702f312e31', 'hex'), // ALPN h2, http/1.1
    keyShare,
  ]);
  const suites = Buffer.from('1301130213031c2bc02fc02cc030cca9cca8'.replace('1c2b', 'c02b'), 'hex');
  const body = Buffer.concat([
    Buffer.from([3, 3]), rand.fill(Buffer.alloc(32)), Buffer.from([32]), rand.fill(Buffer.alloc(32)),
    u16(suites.length), suites, Buffer.from([1, 0]), u16(exts.length), exts,
  ]);
  return Buffer.concat([Buffer.from([0x16, 3, 1]), u16(body.length + 4), Buffer.from([1, 0]), u16(body.length), body]);
}

/** ServerHello choosing TLS 1.3 and TLS_AES_256_GCM_SHA384, then ChangeCipherSpec. @param {ReturnType<typeof makeRandom>} rand */
export function serverHello(rand) {
  const exts = Buffer.concat([Buffer.from('002b00020304' + '00330024001d0020', 'hex'), rand.fill(Buffer.alloc(32))]);
  const body = Buffer.concat([
    Buffer.from([3, 3]), rand.fill(Buffer.alloc(32)), Buffer.from([32]), rand.fill(Buffer.alloc(32)),
    Buffer.from([0x13, 0x02, 0]), u16(exts.length), exts,
  ]);
  return Buffer.concat([
    Buffer.from([0x16, 3, 3]), u16(body.length + 4), Buffer.from([2, 0]), u16(body.length), body,
    Buffer.from('140303000101', 'hex'),
  ]);
}

/** Canonical (RFC 5952) text of a 16-byte address, as tools print it. @param {Buffer} a */
function ipv6Text(a) {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(a.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** @param {number} n */
function u16(n) { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; }

/** Payloads built once per run and sent as views. */
export class Templates {
  /** @param {ReturnType<typeof makeRandom>} rand */
  constructor(rand) {
    this.rand = rand;
    /** @type {MessageTemplate[]} */
    this.messages = [];
    for (let i = 0; i < 48; i++) this.messages.push(makeMessage(rand, i + 1, rand.logUniform(2_000, 300_000)));
    // 1024 full application-data records of opaque bytes, back to back
    this.records = rand.fill(Buffer.allocUnsafe(1024 * REC));
    for (let i = 0; i < 1024; i++) this.records.writeUInt32BE(0x17030340, i * REC), (this.records[i * REC + 4] = 0);
    this.opaque = this.records.subarray(0, 65536);
    const html = [];
    let n = 0;
    while (n < 4 << 20) { const l = `<p class="c${rand.int(20)}">${sentence(rand, rand.range(5, 20))}</p>\n`; html.push(l); n += l.length; }
    this.html = Buffer.from(html.join(''));
  }

  /** One application-data record of n payload bytes (n <= 16384). @param {number} n */
  record(n) {
    const b = Buffer.allocUnsafe(5 + n);
    b.writeUInt32BE(0x17030300 | (n >>> 8), 0); b[4] = n & 255;
    const at = this.rand.int(this.opaque.length - n);
    this.opaque.copy(b, 5, at, at + n);
    return b;
  }

  /** About `len` bytes of application-data records, mostly views of the record pool. @param {number} len */
  bulk(len) {
    const k = Math.min(1000, Math.floor(len / REC));
    const pieces = [];
    if (k > 0) { const s = this.rand.int(1024 - k + 1); pieces.push(this.records.subarray(s * REC, (s + k) * REC)); }
    const rest = Math.max(1, Math.min(16384, len - k * REC));
    pieces.push(this.record(rest));
    return pieces;
  }
}

/**
 * @typedef {{ id: number, client: string, server: string, ipv6: boolean, transport: 'plain'|'implicit-tls', user: string|null,
 *   commands: Record<string, number>, bytes: { client: number, server: number }, retrieved: number, retrievedOctets: number,
 *   deleted: number, committed: boolean, quit: boolean, pipelined: boolean,
 *   logins: { mechanism: string, success: boolean, cleartext: boolean }[], sni?: string }} SessionTruth
 */

/** The script of one POP3 session on port 110, and what it must show. */
export function pop3Script(/** @type {Templates} */ T, /** @type {ReturnType<typeof makeRandom>} */ rand, /** @type {SessionTruth} */ t) {
  /** @type {import('./tcp-conversation.mjs').Send[]} */
  const sends = [];
  const pipelined = rand.chance(0.25);
  t.pipelined = pipelined;
  const S = (/** @type {(Buffer|string)[]} */ ...p) => sends.push({ c: false, pieces: p.map((x) => (typeof x === 'string' ? Buffer.from(x) : x)) });
  const count = (/** @type {string} */ kw) => { t.commands[kw] = (t.commands[kw] ?? 0) + 1; };
  /** A group of [command line, keyword, response pieces]: pipelined in one send each way, or one by one. */
  const exchange = (/** @type {[string, string, (Buffer|string)[]][]} */ group) => {
    for (const [, kw] of group) count(kw);
    if (pipelined && group.length > 1) {
      sends.push({ c: true, pieces: [Buffer.from(group.map((g) => g[0]).join(''))] });
      S(...group.flatMap((g) => g[2]));
    } else {
      for (const [line, , resp] of group) { sends.push({ c: true, pieces: [Buffer.from(line)] }); S(...resp); }
    }
  };

  const user = `${rand.pick(NAMES)}${rand.int(1000)}`;
  const pass = `pw-${rand.int(1e9).toString(36)}`;
  t.user = user;
  S(rand.chance(0.5) ? '+OK Dovecot (Debian) ready.\r\n' : `+OK POP3 server ready <${rand.int(1e6)}.${rand.int(1e9)}@mail.example.org>\r\n`);
  if (rand.chance(0.5)) {
    exchange([['CAPA\r\n', 'CAPA', ['+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n']]]);
  }
  if (rand.chance(0.7)) {
    if (rand.chance(0.08)) {
      exchange([[`USER ${user}\r\n`, 'USER', ['+OK\r\n']], ['PASS wrong-password\r\n', 'PASS', ['-ERR [AUTH] Authentication failed.\r\n']]]);
      t.logins.push({ mechanism: 'USER', success: false, cleartext: true });
    }
    exchange([[`USER ${user}\r\n`, 'USER', ['+OK\r\n']], [`PASS ${pass}\r\n`, 'PASS', ['+OK Logged in.\r\n']]]);
    t.logins.push({ mechanism: 'USER', success: true, cleartext: true });
  } else {
    const cred = Buffer.from(`\0${user}\0${pass}`).toString('base64');
    if (rand.chance(0.5)) {
      exchange([[`AUTH PLAIN ${cred}\r\n`, 'AUTH', ['+OK Logged in.\r\n']]]);
    } else {
      count('AUTH');
      sends.push({ c: true, pieces: [Buffer.from('AUTH PLAIN\r\n')] });
      S('+ \r\n');
      sends.push({ c: true, pieces: [Buffer.from(`${cred}\r\n`)] });
      S('+OK Logged in.\r\n');
    }
    t.logins.push({ mechanism: 'PLAIN', success: true, cleartext: true });
  }

  const n = rand.range(1, 10);
  const box = [];
  for (let i = 0; i < n; i++) box.push(rand.pick(T.messages));
  const total = box.reduce((a, m) => a + m.octets, 0);
  const listing = box.map((m, i) => `${i + 1} ${m.octets}\r\n`).join('');
  const uidl = box.map((m, i) => `${i + 1} ${m.messageId.slice(1, 9)}${i}\r\n`).join('');
  /** @type {[string, string, (Buffer|string)[]][]} */
  const overview = [['STAT\r\n', 'STAT', [`+OK ${n} ${total}\r\n`]], ['LIST\r\n', 'LIST', [`+OK ${n} messages (${total} octets)\r\n${listing}.\r\n`]]];
  if (rand.chance(0.7)) overview.push(['UIDL\r\n', 'UIDL', [`+OK\r\n${uidl}.\r\n`]]);
  exchange(overview);
  if (rand.chance(0.1)) exchange([['NOOP\r\n', 'NOOP', ['+OK\r\n']]]);

  const wanted = [];
  for (let i = 0; i < n; i++) if (rand.chance(0.7) || (i === n - 1 && wanted.length === 0)) wanted.push(i);
  exchange(wanted.map((i) => [`RETR ${i + 1}\r\n`, 'RETR', [`+OK ${box[i].octets} octets\r\n`, box[i].wire, '.\r\n']]));
  t.retrieved = wanted.length;
  t.retrievedOctets = wanted.reduce((a, i) => a + box[i].octets, 0);
  const dele = wanted.filter(() => rand.chance(0.6));
  if (dele.length) exchange(dele.map((i) => [`DELE ${i + 1}\r\n`, 'DELE', ['+OK Marked to be deleted.\r\n']]));
  t.deleted = dele.length;
  if (rand.chance(0.04)) { exchange([['RSET\r\n', 'RSET', ['+OK\r\n']]]); t.deleted = 0; }
  if (rand.chance(0.9)) {
    exchange([['QUIT\r\n', 'QUIT', ['+OK Logging out, messages deleted.\r\n']]]);
    t.quit = true;
    t.committed = true;
  }
  return sends;
}

/** A POP3S session on 995: handshake, then opaque records sized like POP3 traffic. */
function pop3sScript(/** @type {Templates} */ T, /** @type {ReturnType<typeof makeRandom>} */ rand, /** @type {SessionTruth} */ t) {
  t.sni = 'mail.example.org';
  /** @type {import('./tcp-conversation.mjs').Send[]} */
  const sends = [
    { c: true, pieces: [clientHello(rand, t.sni)] },
    { c: false, pieces: [serverHello(rand), T.record(rand.range(2500, 4200)), T.record(rand.range(250, 400))] },
    { c: true, pieces: [Buffer.from('140303000101', 'hex'), T.record(53)] },
    { c: false, pieces: [T.record(rand.range(40, 90))] },
  ];
  const rounds = rand.range(4, 12);
  for (let i = 0; i < rounds; i++) {
    sends.push({ c: true, pieces: [T.record(rand.range(20, 60))] });
    sends.push({ c: false, pieces: rand.chance(0.4) ? T.bulk(rand.pick(T.messages).octets + 40) : [T.record(rand.range(20, 200))] });
  }
  sends.push({ c: true, pieces: [T.record(19)] });
  return sends;
}

function httpsScript(/** @type {Templates} */ T, /** @type {ReturnType<typeof makeRandom>} */ rand, /** @type {number} */ maxBody) {
  /** @type {import('./tcp-conversation.mjs').Send[]} */
  const sends = [
    { c: true, pieces: [clientHello(rand, rand.pick(SITES))] },
    { c: false, pieces: [serverHello(rand), ...T.bulk(rand.range(2500, 6000))] },
    { c: true, pieces: [Buffer.from('140303000101', 'hex'), T.record(53)] },
  ];
  const rounds = rand.range(1, 6);
  for (let i = 0; i < rounds; i++) {
    sends.push({ c: true, pieces: [T.record(rand.range(90, 700))] });
    sends.push({ c: false, pieces: T.bulk(rand.logUniform(2_000, maxBody)) });
  }
  return sends;
}

function httpScript(/** @type {Templates} */ T, /** @type {ReturnType<typeof makeRandom>} */ rand, /** @type {number} */ maxBody) {
  const sends = [];
  const host = rand.pick(SITES);
  const rounds = rand.range(1, 5);
  for (let i = 0; i < rounds; i++) {
    sends.push({ c: true, pieces: [Buffer.from(`GET /${sentence(rand, 2).replace(/ /g, '/')}/${rand.int(1e6)}.html HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\nAccept: text/html,*/*;q=0.8\r\nAccept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n`)] });
    const len = rand.logUniform(400, maxBody / 2);
    const at = rand.int(T.html.length - Math.min(len, T.html.length - 1));
    const body = T.html.subarray(at, at + len);
    sends.push({ c: false, pieces: [Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`), body] });
  }
  return sends;
}

/** Mail submitted over SMTP (RFC 5321): greeting, EHLO, one message, QUIT. */
function smtpScript(/** @type {Templates} */ T, /** @type {ReturnType<typeof makeRandom>} */ rand) {
  const m = rand.pick(T.messages);
  const from = rand.pick(NAMES), to = rand.pick(NAMES);
  const c = (/** @type {string} */ x) => ({ c: true, pieces: [Buffer.from(x)] });
  const s = (/** @type {string} */ x) => ({ c: false, pieces: [Buffer.from(x)] });
  return [
    s('220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n'),
    c('EHLO client.example.net\r\n'),
    s('250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n'),
    c(`MAIL FROM:<${from}@example.net>\r\n`), s('250 2.1.0 Ok\r\n'),
    c(`RCPT TO:<${to}@example.org>\r\n`), s('250 2.1.5 Ok\r\n'),
    c('DATA\r\n'), s('354 End data with <CR><LF>.<CR><LF>\r\n'),
    { c: true, pieces: [m.wire, Buffer.from('.\r\n')] }, s(`250 2.0.0 Ok: queued as ${rand.int(1e9).toString(16).toUpperCase()}\r\n`),
    c('QUIT\r\n'), s('221 2.0.0 Bye\r\n'),
  ];
}

/** An IMAP session (RFC 9051): greeting, LOGIN, SELECT, one FETCH of a whole message, LOGOUT. */
function imapScript(/** @type {Templates} */ T, /** @type {ReturnType<typeof makeRandom>} */ rand) {
  const m = rand.pick(T.messages);
  const c = (/** @type {string} */ x) => ({ c: true, pieces: [Buffer.from(x)] });
  const s = (/** @type {string} */ x) => ({ c: false, pieces: [Buffer.from(x)] });
  const n = rand.range(1, 40);
  return [
    s('* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot (Debian) ready.\r\n'),
    c(`a1 LOGIN ${rand.pick(NAMES)} pw-${rand.int(1e9).toString(36)}\r\n`), s('a1 OK Logged in\r\n'),
    c('a2 SELECT INBOX\r\n'), s(`* ${n} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\na2 OK [READ-WRITE] Select completed.\r\n`),
    c(`a3 FETCH ${rand.range(1, n)} BODY.PEEK[]\r\n`),
    { c: false, pieces: [Buffer.from(`* 1 FETCH (BODY[] {${m.wire.length}}\r\n`), m.wire, Buffer.from(')\r\na3 OK Fetch completed.\r\n')] },
    c('a4 LOGOUT\r\n'), s('* BYE Logging out\r\na4 OK Logout completed.\r\n'),
  ];
}

/** A DNS query and its answer. @param {ReturnType<typeof makeRandom>} rand @param {boolean} v6 */
function dnsPair(rand, v6) {
  const name = rand.pick(SITES).split('.');
  const q = [];
  for (const l of name) q.push(Buffer.from([l.length]), Buffer.from(l));
  const type = v6 ? 28 : 1;
  const question = Buffer.concat([...q, Buffer.from([0, 0, type, 0, 1])]);
  const id = rand.int(65536);
  const query = Buffer.concat([Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), question]);
  const rdata = v6 ? ipv6(0x80, rand.int(1e6)) : ipv4(198, 51, 100, rand.range(1, 250));
  const answer = Buffer.concat([Buffer.from([0xc0, 12, 0, type, 0, 1, 0, 0, 0x0e, 0x10, 0, rdata.length]), rdata]);
  const response = Buffer.concat([Buffer.from([id >> 8, id & 255, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]), question, answer]);
  return [query, response];
}

/**
 * @param {{ size: number, format: 'pcap'|'pcapng', seed: number, out: string, concurrency?: number, quiet?: boolean }} o
 */
export function generate(o) {
  const t0 = process.hrtime.bigint();
  const rand = makeRandom(o.seed);
  const T = new Templates(rand);
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  const w = new CaptureWriter(o.out, o.format);
  const disorderStats = { reorders: 0, retransmissions: 0 };
  /** @type {SessionTruth[]} */
  const sessions = [];
  /** @type {Record<string, number>} */
  const planned = { https: 0, http: 0, smtp: 0, imap: 0, pop3: 0, pop3s: 0, dns: 0 };
  /** Connections and packets carried in a tunnel. */
  const tunnelled = { connections: 0, pop3Sessions: 0 };
  /** A tunnel for one IPv4 TCP connection, now and then. @param {boolean} v6 */
  const tunnelFor = (v6) => {
    if (v6 || !rand.chance(TUNNEL_SHARE)) return undefined;
    tunnelled.connections++;
    return { kind: /** @type {'vxlan'|'gretap'} */ (rand.chance(0.5) ? 'vxlan' : 'gretap'), vni: rand.range(1, 4000) };
  };
  /** @type {Record<string, { packets: number, bytes: number, connections: number }>} */
  const mix = {};
  for (const k of Object.keys(planned)) mix[k] = { packets: 0, bytes: 0, connections: 0 };
  // Bigger transfers send longer bursts (a wider window), so every connection
  // lives for a similar number of turns and the bytes written follow the mix.
  const burstFor = (/** @type {number} */ bytes) => Math.max(4, Math.min(128, Math.ceil(bytes / 65536)));
  // Web transfers scale with the capture so a small one still ends near its mix.
  const maxBody = Math.max(50_000, Math.min(6_000_000, Math.round(o.size / 300)));
  let popN = 0, otherN = 0;
  const kinds = /** @type {(keyof typeof MIX)[]} */ (Object.keys(MIX));

  /** @param {boolean} allowPop */
  const newFlow = (allowPop) => {
    /** @type {keyof typeof MIX} */
    let kind = 'https';
    let best = -Infinity;
    // the kind furthest behind its share of the bytes planned so far (with a little jitter)
    for (const k of kinds) { const d = (-planned[k] / MIX[k]) * (0.9 + 0.2 * rand.next()); if (d > best) { best = d; kind = k; } }
    if (!allowPop && (kind === 'pop3' || kind === 'pop3s')) kind = 'https';
    const v6 = rand.chance(V6_SHARE);
    mix[kind].connections++;
    const cport = 32768 + rand.int(28000);
    if (kind === 'dns') {
      otherN++;
      const ep = { v6, cip: v6 ? ipv6(0x10, otherN) : ipv4(10, 0, rand.int(256), rand.range(1, 254)), sip: v6 ? ipv6(0x53, 0x53) : ipv4(192, 0, 2, 53), cport, sport: 53 };
      const [q, r] = dnsPair(rand, v6);
      planned.dns += q.length + r.length + 100;
      const pk = [{ c: true, data: q, udp: true }, { c: false, data: r, udp: true }];
      let i = 0;
      return { kind, ep, pop: false, burst: 2, next: () => pk[i++] ?? null };
    }
    if (kind === 'pop3' || kind === 'pop3s') {
      popN++;
      const hi = popN >> 16;
      const ep = {
        v6, cport, sport: kind === 'pop3' ? 110 : 995,
        cip: v6 ? ipv6(0x110, popN) : ipv4(10, 110 + hi, (popN >> 8) & 255, popN & 255),
        sip: v6 ? ipv6(0x25, 0x25) : ipv4(192, 0, 2, 25),
        tunnel: tunnelFor(v6),
      };
      if (ep.tunnel) tunnelled.pop3Sessions++;
      /** @type {SessionTruth} */
      const t = {
        id: popN, client: `${v6 ? ipv6Text(ep.cip) : ep.cip.join('.')}:${cport}`,
        server: `${v6 ? '2001:db8:25::25' : '192.0.2.25'}:${ep.sport}`, ipv6: v6,
        transport: kind === 'pop3' ? 'plain' : 'implicit-tls', user: null, commands: {}, bytes: { client: 0, server: 0 },
        retrieved: 0, retrievedOctets: 0, deleted: 0, committed: false, quit: false, pipelined: false, logins: [],
      };
      const sends = kind === 'pop3' ? pop3Script(T, rand, t) : pop3sScript(T, rand, t);
      for (const s of sends) for (const p of s.pieces) t.bytes[s.c ? 'client' : 'server'] += p.length;
      sessions.push(t);
      const b = t.bytes.client + t.bytes.server;
      planned[kind] += b * 1.05;
      const conv = new TcpConversation(ep, sends[Symbol.iterator](), { rand, disorder: kind === 'pop3' ? { reorder: 0.05, retransmit: 0.05 } : undefined, stats: disorderStats });
      return { kind, ep, pop: true, burst: burstFor(b), next: () => conv.next() };
    }
    otherN++;
    const sport = { https: 443, http: 80, smtp: 25, imap: 143 }[kind];
    const ep = {
      v6, cport, sport,
      cip: v6 ? ipv6(0x10, otherN) : ipv4(10, rand.int(100), rand.int(256), rand.range(1, 254)),
      sip: v6 ? ipv6(sport, rand.range(1, 40)) : ipv4(kind === 'https' ? 198 : 203, kind === 'https' ? 51 : 0, kind === 'https' ? 100 : 113, rand.range(1, 40)),
      tunnel: tunnelFor(v6),
    };
    const sends = kind === 'https' ? httpsScript(T, rand, maxBody) : kind === 'http' ? httpScript(T, rand, maxBody)
      : kind === 'smtp' ? smtpScript(T, rand) : imapScript(T, rand);
    let b = 0;
    for (const s of sends) for (const p of s.pieces) b += p.length;
    planned[kind] += b * 1.05;
    const conv = new TcpConversation(ep, sends[Symbol.iterator](), { rand });
    return { kind, ep, pop: false, burst: burstFor(b), next: () => conv.next() };
  };

  let ts = START_US;
  /** @type {ReturnType<typeof newFlow>[]} */
  let active = [];
  let ending = false;
  const conc = o.concurrency ?? CONCURRENT;
  for (;;) {
    // sized as classic pcap, so --format pcapng holds exactly the same packets
    const size = w.pcapSize;
    if (!ending && size >= o.size) { ending = true; active = active.filter((f) => f.pop); }
    while (!ending && active.length < conc) active.push(newFlow(size < o.size * 0.98));
    if (active.length === 0) break;
    const i = rand.int(active.length);
    const f = active[i];
    const burst = 1 + rand.int(f.burst);
    for (let k = 0; k < burst; k++) {
      const s = f.next();
      if (!s) { active[i] = active[active.length - 1]; active.pop(); break; }
      ts += 1 + rand.int(50);
      const before = w.pcapSize;
      if ('udp' in s) w.udp(ts, f.ep, s.c, s.data);
      else w.tcp(ts, f.ep, s.c, s.fl, s.seq, s.ack, s.data);
      const m = mix[f.kind];
      m.packets++;
      m.bytes += w.pcapSize - before;
    }
  }
  w.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  /** @type {Record<string, number>} */
  const commands = {};
  const sum = { client: 0, server: 0 }, sumPlain = { client: 0, server: 0 }, sumTls = { client: 0, server: 0 };
  let retrieved = 0, retrievedOctets = 0, deleted = 0, deletedCommitted = 0, committedSessions = 0, quits = 0, pipelined = 0;
  let loginAttempts = 0, loginSuccesses = 0;
  for (const s of sessions) {
    for (const [k, v] of Object.entries(s.commands)) commands[k] = (commands[k] ?? 0) + v;
    for (const d of /** @type {const} */ (['client', 'server'])) {
      sum[d] += s.bytes[d];
      (s.transport === 'plain' ? sumPlain : sumTls)[d] += s.bytes[d];
    }
    retrieved += s.retrieved; retrievedOctets += s.retrievedOctets; deleted += s.deleted;
    if (s.committed) { committedSessions++; deletedCommitted += s.deleted; }
    if (s.quit) quits++;
    if (s.pipelined && s.transport === 'plain') pipelined++;
    for (const l of s.logins) if (l.cleartext) { loginAttempts++; if (l.success) loginSuccesses++; }
  }
  const truth = {
    generator: { version: GENERATOR_VERSION, seed: o.seed, requestedSize: o.size, format: o.format, seconds: Math.round(seconds * 100) / 100 },
    file: path.basename(o.out),
    bytes: w.written,
    packets: w.packets,
    packetsIpv6: w.packetsV6,
    mix,
    tunnelled,
    pop3: {
      sessions: { total: sessions.length, plain: sessions.filter((s) => s.transport === 'plain').length, implicitTls: sessions.filter((s) => s.transport === 'implicit-tls').length },
      /** client command lines by keyword (SASL answer lines are not commands) */
      commands: Object.fromEntries(Object.entries(commands).sort()),
      commandsTotal: Object.values(commands).reduce((a, b) => a + b, 0),
      /** TCP payload bytes per direction, each byte once (retransmissions not counted) */
      bytes: { all: sum, plain: sumPlain, implicitTls: sumTls },
      messages: { retrieved, retrievedOctets, deleted, deletedCommitted, committedSessions },
      quits,
      pipelinedSessions: pipelined,
      logins: { cleartextPasswordAttempts: loginAttempts, cleartextPasswordSuccesses: loginSuccesses },
      disorder: disorderStats,
    },
    sessions,
  };
  fs.writeFileSync(`${o.out}.truth.json`, JSON.stringify(truth, null, 1) + '\n');
  if (!o.quiet) {
    process.stderr.write(`generate: ${o.out}: ${(w.written / 2 ** 20).toFixed(1)} MiB, ${w.packets} packets, ${sessions.length} POP3/POP3S sessions in ${seconds.toFixed(1)} s (${(w.written / 2 ** 20 / seconds).toFixed(0)} MiB/s)\n`);
  }
  return truth;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '1GiB' },
      format: { type: 'string', default: 'pcap' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node bench/generate.mjs [--size 1GiB] [--format pcap|pcapng] [--seed N] [--out FILE] [--concurrency 64]\n');
    process.exit(0);
  }
  const format = /** @type {'pcap'|'pcapng'} */ (values.format);
  if (format !== 'pcap' && format !== 'pcapng') { process.stderr.write('generate: --format must be pcap or pcapng\n'); process.exit(2); }
  const size = parseSize(values.size);
  const seed = Number(values.seed);
  const out = values.out ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'out', `traffic-${values.size}-s${seed}.${format}`);
  generate({ size, format, seed, out, concurrency: values.concurrency ? Number(values.concurrency) : undefined });
}
