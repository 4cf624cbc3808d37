/**
 * Wraps POP3 sends in real TLS for the TLS benchmark: TLS 1.3
 * (TLS_AES_256_GCM_SHA384) and TLS 1.2 (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
 * records sealed with node:crypto under keys derived as RFC 8446 §7 and
 * RFC 5246 §6.3 say, and the NSS key log lines that let a reader decrypt them.
 */
import { createCipheriv, createHmac } from 'node:crypto';

const u16 = (/** @type {number} */ n) => Buffer.from([n >> 8, n & 255]);
const u24 = (/** @type {number} */ n) => Buffer.from([n >> 16, (n >> 8) & 255, n & 255]);
const hs = (/** @type {number} */ type, /** @type {Buffer} */ body) => Buffer.concat([Buffer.from([type]), u24(body.length), body]);
const rec = (/** @type {number} */ type, /** @type {Buffer} */ body) => Buffer.concat([Buffer.from([type, 3, 3]), u16(body.length), body]);
const CCS = Buffer.from('140303000101', 'hex');

/** @param {string} hash @param {Buffer} secret @param {string} label @param {number} length */
function expandLabel(hash, secret, label, length) {
  const full = Buffer.from(`tls13 ${label}`);
  const info = Buffer.concat([u16(length), Buffer.from([full.length]), full, Buffer.from([0])]);
  const out = [];
  let t = Buffer.alloc(0);
  for (let i = 1, n = 0; n < length; i++, n += t.length) {
    t = createHmac(hash, secret).update(Buffer.concat([t, info, Buffer.from([i])])).digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

/** @param {string} hash @param {Buffer} secret @param {Buffer} seed @param {number} length */
function pHash(hash, secret, seed, length) {
  const out = [];
  let a = createHmac(hash, secret).update(seed).digest();
  let n = 0;
  while (n < length) {
    const b = createHmac(hash, secret).update(Buffer.concat([a, seed])).digest();
    out.push(b); n += b.length;
    a = createHmac(hash, secret).update(a).digest();
  }
  return Buffer.concat(out).subarray(0, length);
}

class Sealer13 {
  /** @param {Buffer} secret */
  constructor(secret) {
    this.key = expandLabel('sha384', secret, 'key', 32);
    this.iv = expandLabel('sha384', secret, 'iv', 12);
    this.seq = 0n;
  }
  /** @param {number} type @param {Buffer} content */
  seal(type, content) {
    const inner = Buffer.concat([content, Buffer.from([type])]);
    const header = Buffer.from([23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 255]);
    const nonce = Buffer.from(this.iv);
    const s = Buffer.alloc(8); s.writeBigUInt64BE(this.seq++);
    for (let i = 0; i < 8; i++) nonce[4 + i] ^= s[i];
    const c = createCipheriv('aes-256-gcm', this.key, nonce);
    c.setAAD(header);
    return Buffer.concat([header, c.update(inner), c.final(), c.getAuthTag()]);
  }
}

class Sealer12 {
  /** @param {Buffer} key @param {Buffer} salt */
  constructor(key, salt) { this.key = key; this.salt = salt; this.seq = 0n; }
  /** @param {number} type @param {Buffer} content */
  seal(type, content) {
    const explicit = Buffer.alloc(8); explicit.writeBigUInt64BE(this.seq);
    const aad = Buffer.alloc(13); aad.writeBigUInt64BE(this.seq++); aad[8] = type; aad[9] = 3; aad[10] = 3; aad.writeUInt16BE(content.length, 11);
    const c = createCipheriv('aes-128-gcm', this.key, Buffer.concat([this.salt, explicit]));
    c.setAAD(aad);
    return rec(type, Buffer.concat([explicit, c.update(content), c.final(), c.getAuthTag()]));
  }
}

/** A ClientHello (1) or ServerHello (2) record. @param {number} type @param {Buffer} random @param {number[]} suites @param {Buffer[]} exts */
function hello(type, random, suites, exts) {
  const e = Buffer.concat(exts);
  const body = type === 1
    ? Buffer.concat([Buffer.from([3, 3]), random, Buffer.from([0]), u16(suites.length * 2), ...suites.map(u16), Buffer.from([1, 0]), u16(e.length), e])
    : Buffer.concat([Buffer.from([3, 3]), random, Buffer.from([0]), u16(suites[0]), Buffer.from([0]), u16(e.length), e]);
  return rec(22, hs(type, body));
}

/** Seals each send's bytes in records of at most 16384 octets. @param {(t: number, b: Buffer) => Buffer} seal @param {Buffer} bytes */
function sealAll(seal, bytes) {
  const out = [];
  for (let i = 0; i < bytes.length; i += 16384) out.push(seal(23, bytes.subarray(i, i + 16384)));
  return out;
}

/**
 * The same POP3 sends inside TLS, and the key log lines for the connection.
 * @param {'tls13'|'tls12'} version
 * @param {{ c: boolean, pieces: Buffer[] }[]} sends
 * @param {ReturnType<typeof import('./prng.mjs').makeRandom>} rand
 * @returns {{ sends: { c: boolean, pieces: Buffer[] }[], keyLog: string }}
 */
export function wrapInTls(version, sends, rand) {
  const cr = rand.fill(Buffer.alloc(32));
  const sr = rand.fill(Buffer.alloc(32));
  const hex = (/** @type {Buffer} */ b) => b.toString('hex');
  /** @type {{ c: boolean, pieces: Buffer[] }[]} */
  const out = [];
  let client, server, keyLog;
  if (version === 'tls13') {
    const secrets = [0, 1, 2, 3].map(() => rand.fill(Buffer.alloc(48)));
    keyLog = [
      `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${hex(cr)} ${hex(secrets[0])}`, `SERVER_HANDSHAKE_TRAFFIC_SECRET ${hex(cr)} ${hex(secrets[1])}`,
      `CLIENT_TRAFFIC_SECRET_0 ${hex(cr)} ${hex(secrets[2])}`, `SERVER_TRAFFIC_SECRET_0 ${hex(cr)} ${hex(secrets[3])}`,
    ].join('\n') + '\n';
    const cHs = new Sealer13(secrets[0]), sHs = new Sealer13(secrets[1]);
    client = new Sealer13(secrets[2]); server = new Sealer13(secrets[3]);
    out.push({ c: true, pieces: [hello(1, cr, [0x1302, 0x1301], [Buffer.from('002b0003020304', 'hex')])] });
    const flight = Buffer.concat([hs(8, Buffer.from([0, 0])), hs(11, Buffer.alloc(1200)), hs(15, Buffer.alloc(260)), hs(20, Buffer.alloc(48))]);
    out.push({ c: false, pieces: [hello(2, sr, [0x1302], [Buffer.from('002b00020304', 'hex')]), CCS, sHs.seal(22, flight)] });
    out.push({ c: true, pieces: [CCS, cHs.seal(22, hs(20, Buffer.alloc(48)))] });
  } else {
    const master = rand.fill(Buffer.alloc(48));
    keyLog = `CLIENT_RANDOM ${hex(cr)} ${hex(master)}\n`;
    const block = pHash('sha256', master, Buffer.concat([Buffer.from('key expansion'), sr, cr]), 40);
    client = new Sealer12(block.subarray(0, 16), block.subarray(32, 36));
    server = new Sealer12(block.subarray(16, 32), block.subarray(36, 40));
    out.push({ c: true, pieces: [hello(1, cr, [0xc02f], [Buffer.from('ff01000100', 'hex')])] });
    out.push({ c: false, pieces: [hello(2, sr, [0xc02f], [Buffer.from('ff01000100', 'hex')]), rec(22, hs(11, Buffer.alloc(1200))), rec(22, hs(12, Buffer.alloc(300))), rec(22, hs(14, Buffer.alloc(0)))] });
    out.push({ c: true, pieces: [rec(22, hs(16, Buffer.alloc(66))), CCS, client.seal(22, hs(20, Buffer.alloc(12)))] });
    out.push({ c: false, pieces: [CCS, server.seal(22, hs(20, Buffer.alloc(12)))] });
  }
  for (const s of sends) {
    const sealer = s.c ? client : server;
    out.push({ c: s.c, pieces: sealAll((t, b) => sealer.seal(t, b), Buffer.concat(s.pieces)) });
  }
  return { sends: out, keyLog };
}
