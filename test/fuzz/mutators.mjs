/**
 * Structure-aware damage for capture files, shared by the fuzz tests (vitest)
 * and the long run (plain Node). Each mutator takes the file's bytes and a
 * random source and returns new bytes: it finds the field it aims at (capture
 * header, record or block length, link and IP headers, TCP sequence numbers and
 * flags) by walking the file itself, so the damage lands where parsers decide.
 */

import { gzipSync } from 'node:zlib';
import { conversationFrames, pcapOf } from './raw-capture.mjs';

/** @typedef {{ int(max: number): number }} Rng  int(max) in [0, max) */

/** A small deterministic generator (mulberry32), for the long run's seeds. @param {number} seed @returns {Rng} */
export function seededRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (max) => Math.floor(next() * Math.max(1, max)) };
}

/**
 * Where each packet record sits in a classic pcap or a little-endian pcapng file.
 * @param {Uint8Array} buf
 * @returns {{ format: 'pcap' | 'pcapng' | null, le: boolean, records: { header: number, data: number, length: number }[], blocks: number[] }}
 */
export function layout(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = { format: null, le: true, records: [], blocks: [] };
  if (buf.length < 24) return out;
  const magic = dv.getUint32(0, true);
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
    out.format = 'pcap';
    out.le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    for (let o = 24; o + 16 <= buf.length;) {
      const incl = dv.getUint32(o + 8, out.le);
      out.records.push({ header: o, data: o + 16, length: Math.min(incl, buf.length - o - 16) });
      if (incl > buf.length) break;
      o += 16 + incl;
    }
  } else if (magic === 0x0a0d0d0a) {
    out.format = 'pcapng';
    for (let o = 0; o + 12 <= buf.length;) {
      const type = dv.getUint32(o, true);
      const len = dv.getUint32(o + 4, true);
      out.blocks.push(o);
      if (type === 6 && o + 28 <= buf.length) {
        const cap = dv.getUint32(o + 20, true);
        out.records.push({ header: o, data: o + 28, length: Math.min(cap, buf.length - o - 28) });
      }
      if (len < 12 || len % 4 !== 0) break;
      o += len;
    }
  }
  return out;
}

/** Interesting 32-bit values for length fields. */
const EDGE_U32 = [0, 1, 11, 12, 13, 15, 16, 27, 28, 0x7fff, 0x40000, 0x40001, 0xffff, 0x10000, 0x7fffffff, 0xffffffff];

/** @param {Uint8Array} b @param {number} at @param {number} v @param {boolean} le */
function setU32(b, at, v, le) {
  if (!(at >= 0) || at + 4 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, le);
}

/** @param {Rng} r @param {readonly unknown[]} a */
const pick = (r, a) => a[r.int(a.length)];

/** Ethernet-framed packets: where the IP header starts (after VLAN tags), or -1. @param {Uint8Array} b @param {{data:number,length:number}} rec */
function ipStart(b, rec) {
  let o = rec.data + 12;
  const end = rec.data + rec.length;
  while (o + 2 <= end && (b[o] === 0x81 && b[o + 1] === 0x00)) o += 4;
  if (o + 2 > end) return -1;
  const type = (b[o] << 8) | b[o + 1];
  return type === 0x0800 || type === 0x86dd ? o + 2 : -1;
}

/** Where the TCP header starts in an Ethernet/IPv4 or IPv6 packet, or -1. @param {Uint8Array} b @param {number} ip */
function tcpStart(b, ip) {
  const v = b[ip] >> 4;
  if (v === 4) return b[ip + 9] === 6 ? ip + (b[ip] & 15) * 4 : -1;
  if (v === 6) return b[ip + 6] === 6 ? ip + 40 : -1;
  return -1;
}

/** @type {Record<string, (b: Uint8Array, r: Rng) => Uint8Array>} */
export const MUTATORS = {
  /** Capture file header: magic, version, snaplen, link type. */
  'file-header'(b, r) {
    const out = b.slice();
    const at = pick(r, [0, 4, 6, 16, 20, 8, 12]);
    setU32(out, at, pick(r, [...EDGE_U32, 0xa1b2c3d4, 0x0a0d0d0a, r.int(2 ** 32)]), r.int(2) === 0);
    return out;
  },
  /** A record's captured or original length (pcap) or a block's total length (pcapng). */
  'record-length'(b, r) {
    const out = b.slice();
    const l = layout(out);
    if (l.format === 'pcap' && l.records.length) {
      const rec = pick(r, l.records);
      setU32(out, rec.header + pick(r, [8, 12]), pick(r, EDGE_U32), l.le);
    } else if (l.blocks.length) {
      const at = pick(r, l.blocks);
      const len = new DataView(out.buffer).getUint32(at + 4, true);
      // The leading or the trailing copy of the length, or a captured length inside an EPB.
      const field = pick(r, [at + 4, at + len - 4, at + 20, at + 24]);
      setU32(out, field, pick(r, EDGE_U32), true);
    }
    return out;
  },
  /** The file cut at any byte. */
  truncate(b, r) {
    return b.slice(0, r.int(b.length + 1));
  },
  /** Link and IP header fields of one packet: EtherType, version/IHL, total length, fragment bits, next header. */
  'ip-header'(b, r) {
    const out = b.slice();
    const l = layout(out);
    if (!l.records.length) return out;
    const rec = pick(r, l.records);
    const ip = ipStart(out, rec);
    if (ip < 0) { out[rec.data + 12] = r.int(256); return out; }
    const at = ip + pick(r, [0, 0, 2, 3, 6, 7, 9, 4, 5]);
    if (at < rec.data + rec.length) out[at] = pick(r, [0, 0xff, 0x45, 0x4f, 0x60, 0x20, 0x40, r.int(256)]);
    return out;
  },
  /** TCP sequence or acknowledgement number, data offset or flags of one packet. */
  'tcp-header'(b, r) {
    const out = b.slice();
    const l = layout(out);
    if (!l.records.length) return out;
    const rec = pick(r, l.records);
    const ip = ipStart(out, rec);
    const tcp = ip < 0 ? -1 : tcpStart(out, ip);
    if (tcp < 0 || tcp + 20 > rec.data + rec.length) return out;
    const what = r.int(4);
    const dv = new DataView(out.buffer);
    if (what === 0) dv.setUint32(tcp + 4, (dv.getUint32(tcp + 4) + pick(r, [1, -1, 2 ** 31, 1460, -1460, r.int(2 ** 32)])) >>> 0);
    else if (what === 1) dv.setUint32(tcp + 8, r.int(2 ** 32));
    else if (what === 2) out[tcp + 12] = pick(r, [0x00, 0x40, 0xf0, 0x50, r.int(256)]);
    else out[tcp + 13] = pick(r, [0x02, 0x12, 0x04, 0x01, 0x11, 0x3f, 0x00, r.int(256)]);
    return out;
  },
  /** Bytes of one packet's payload overwritten with CR, LF, NUL, ESC, high bytes. */
  payload(b, r) {
    const out = b.slice();
    const l = layout(out);
    if (!l.records.length) return out;
    const rec = pick(r, l.records);
    for (let n = 1 + r.int(4); n > 0; n--) {
      const at = rec.data + r.int(rec.length);
      if (at < out.length) out[at] = pick(r, [0x0d, 0x0a, 0x00, 0x1b, 0x2e, 0x9b, 0xff, r.int(256)]);
    }
    return out;
  },
  /** Two records swapped (out-of-order delivery) or one duplicated. */
  'record-order'(b, r) {
    const l = layout(b);
    if (l.format !== 'pcap' || l.records.length < 2) return b.slice();
    const recs = l.records.map((x) => b.subarray(x.header, x.data + x.length));
    const i = r.int(recs.length);
    const j = r.int(recs.length);
    if (r.int(2) === 0) [recs[i], recs[j]] = [recs[j], recs[i]];
    else recs.splice(j, 0, recs[i]);
    const parts = [b.subarray(0, 24), ...recs];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  },
  /** Random bytes flipped anywhere. */
  'bit-flip'(b, r) {
    const out = b.slice();
    for (let n = 1 + r.int(8); n > 0 && out.length; n--) out[r.int(out.length)] ^= 1 << r.int(8);
    return out;
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** Applies `count` mutations chosen by `r`. @param {Uint8Array} b @param {Rng} r @param {number} count */
export function mutate(b, r, count) {
  let out = b;
  const applied = [];
  for (let i = 0; i < count; i++) {
    const name = MUTATOR_NAMES[r.int(MUTATOR_NAMES.length)];
    out = MUTATORS[name](out, r);
    applied.push(name);
  }
  return { bytes: out, applied };
}

/**
 * Captures built from scratch around one long run that costs time or memory
 * rather than breaking a parser (issue #14): a CAPA answer naming thousands of
 * SASL mechanisms, an AUTH exchange of thousands of rounds, a flood of TLS
 * alerts. `scale` (1 to 100) sets the length, so the vitest run stays quick and
 * the long run reaches the sizes that once took minutes.
 * @type {Record<string, (r: Rng, scale: number) => Uint8Array>}
 */
export const BUILDERS = {
  'long-capa'(r, scale) {
    const lines = ['+OK'];
    const perLine = 1 + r.int(80);
    for (let l = 0, n = 0, count = 1 + r.int(5 * scale); l < count; l++) {
      const names = [];
      for (let k = 0; k < perLine; k++) names.push(r.int(4) === 0 ? 'PLAIN' : `X-${(n++).toString(36)}`);
      lines.push(`${r.int(8) === 0 ? 'sasl' : 'SASL'} ${names.join(' ')}`);
    }
    const answer = Buffer.from(`${lines.join('\r\n')}\r\n.\r\n`);
    return pcapOf(conversationFrames([
      { from: 'server', data: Buffer.from('+OK ready\r\n') }, { from: 'client', data: Buffer.from('CAPA\r\n') },
      ...segments('server', answer, 1 + r.int(1460)),
      { from: 'client', data: Buffer.from(r.int(2) ? 'AUTH\r\n' : 'QUIT\r\n') },
      { from: 'server', data: Buffer.from('+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n') },
    ]));
  },
  'long-sasl'(r, scale) {
    const turns = [{ from: 'server', data: Buffer.from('+OK ready\r\n') }, { from: 'client', data: Buffer.from(`AUTH ${pick(r, ['PLAIN', 'LOGIN', 'X-ROUNDS', 'XOAUTH2'])}\r\n`) }];
    for (let i = 0, rounds = 1 + r.int(400 * scale); i < rounds; i++) {
      if (r.int(3)) turns.push({ from: 'server', data: Buffer.from(r.int(2) ? '+ \r\n' : '+ VXNlcm5hbWU6\r\n') });
      turns.push({ from: 'client', data: Buffer.from(`${pick(r, ['AAAA', 'dXNlcg==', '*', '=', 'not base64!'])}\r\n`) });
    }
    turns.push({ from: 'server', data: Buffer.from(r.int(2) ? '-ERR no\r\n' : '+OK\r\n') }, { from: 'client', data: Buffer.from('QUIT\r\n') });
    return pcapOf(conversationFrames(turns));
  },
  'alert-run'(r, scale) {
    const port = r.int(4) ? 995 : 110;
    const turns = port === 110 ? [{ from: 'server', data: Buffer.from('+OK\r\n') }, { from: 'client', data: Buffer.from('STLS\r\n') }, { from: 'server', data: Buffer.from('+OK\r\n') }] : [];
    for (let n = 0, records = 1 + r.int(20 * scale); n < records; n++) {
      const length = 2 * (1 + r.int(r.int(2) ? 8192 : 4));
      const rec = Buffer.alloc(5 + length);
      rec[0] = 21; rec[1] = 3; rec[2] = pick(r, [1, 3]); rec.writeUInt16BE(length, 3);
      for (let i = 5; i < rec.length; i++) rec[i] = r.int(256);
      turns.push(...segments(r.int(2) ? 'server' : 'client', rec, 1 + r.int(1460)));
    }
    return pcapOf(conversationFrames(turns, 40000, port));
  },
};

export const BUILDER_NAMES = Object.keys(BUILDERS);

/** @param {'client' | 'server'} from @param {Buffer} data @param {number} size */
function segments(from, data, size) {
  const out = [];
  for (let o = 0; o < data.length; o += size) out.push({ from, data: data.subarray(o, o + size) });
  return out;
}

/**
 * Several inputs for one run: each a fixture (mutated or not), a built capture,
 * or a gzip bomb, some gzip'd. Read together, they are first ordered by their
 * first packet, which peeks into each. `inflatedBytes` is what they hold once
 * inflated, the size a time bound is reckoned from.
 * @param {Uint8Array[]} fixtures @param {Rng} r @returns {{ files: Uint8Array[], what: string[], inflatedBytes: number }}
 */
export function severalInputs(fixtures, r) {
  const files = [];
  const what = [];
  let inflatedBytes = 0;
  for (let n = 2 + r.int(3); n > 0; n--) {
    const kind = r.int(6);
    let bytes;
    if (kind === 0) {
      // A gzip bomb: members of zeros, or of a valid pcap header followed by zeros.
      const head = r.int(2) ? Buffer.from(pcapOf([])) : Buffer.alloc(0);
      const plain = Buffer.concat([head, Buffer.alloc((1 + r.int(16)) << 20)]);
      const members = 1 + r.int(8);
      bytes = Buffer.concat(Array.from({ length: members }, () => gzipSync(plain, { level: 1 })));
      inflatedBytes += members * plain.length;
      what.push('gzip-bomb');
    } else if (kind === 1) {
      const name = pick(r, BUILDER_NAMES);
      bytes = BUILDERS[name](r, 1);
      what.push(name);
    } else {
      const f = pick(r, fixtures);
      bytes = r.int(2) ? mutate(f, r, 1 + r.int(3)).bytes : f;
      what.push(bytes === f ? 'fixture' : 'mutated fixture');
    }
    if (kind !== 0) inflatedBytes += bytes.length;
    if (kind !== 0 && r.int(3) === 0) {
      bytes = gzipSync(bytes);
      what[what.length - 1] += ' (gzip)';
    }
    files.push(bytes);
  }
  return { files, what, inflatedBytes };
}
