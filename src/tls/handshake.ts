/**
 * The two handshake messages that say what a connection negotiated:
 * ClientHello and ServerHello (RFC 8446 §4.1.2-4.1.3, RFC 5246 §7.4.1), with
 * the extensions server_name (RFC 6066 §3), ALPN (RFC 7301 §3.1) and
 * supported_versions (RFC 8446 §4.2.1). Every read is bounds-checked: a
 * malformed hello yields null, never an exception.
 */
import { latin1 } from '../latin1.js';

export interface ClientHello {
  legacyVersion: number;
  /** The 32-octet random: the key a key log files this connection's secrets under. */
  random: Uint8Array;
  /** The supported_versions extension, GREASE included, or null when absent. */
  supportedVersions: number[] | null;
  cipherSuites: number[];
  sni: string | null;
  alpn: string[];
  /** The client offered 0-RTT data (early_data, RFC 8446 §4.2.10). */
  earlyData: boolean;
}

export interface ServerHello {
  legacyVersion: number;
  random: Uint8Array;
  /** supported_versions in a ServerHello: the version TLS 1.3 actually chose. */
  selectedVersion: number | null;
  cipherSuite: number;
  /** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
  helloRetryRequest: boolean;
  alpn: string | null;
  /** The server agreed to encrypt-then-MAC (RFC 7366 §2). */
  encryptThenMac: boolean;
}

const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
const EXT_ENCRYPT_THEN_MAC = 22;
const EXT_EARLY_DATA = 42;
const EXT_SUPPORTED_VERSIONS = 43;

/** SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3). */
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

class Truncated extends Error {}

/** Reads big-endian fields and refuses to read past the end. */
class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array, private readonly end = bytes.length) {}
  get remaining(): number {
    return this.end - this.pos;
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = (this.bytes[this.pos] << 8) | this.bytes[this.pos + 1];
    this.pos += 2;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A vector with a 1- or 2-octet length prefix, as its own reader. */
  vector(prefix: 1 | 2): Reader {
    const length = prefix === 1 ? this.u8() : this.u16();
    return new Reader(this.take(length));
  }
  private need(n: number): void {
    if (this.pos + n > this.end) throw new Truncated();
  }
}

interface Extension {
  type: number;
  data: Reader;
}

function readExtensions(r: Reader): Extension[] {
  // Extensions are optional before TLS 1.2 (RFC 5246 §7.4.1.2).
  if (r.remaining === 0) return [];
  const list = r.vector(2);
  const out: Extension[] = [];
  while (list.remaining > 0) {
    const type = list.u16();
    out.push({ type, data: list.vector(2) });
  }
  return out;
}

function readServerName(r: Reader): string | null {
  const list = r.vector(2);
  while (list.remaining > 0) {
    const nameType = list.u8();
    const name = list.vector(2);
    // host_name(0) is the only type defined; a name is ASCII (RFC 6066 §3).
    if (nameType === 0) return latin1(name.take(name.remaining));
  }
  return null;
}

function readAlpn(r: Reader): string[] {
  const list = r.vector(2);
  const out: string[] = [];
  while (list.remaining > 0) {
    const name = list.vector(1);
    out.push(new TextDecoder().decode(name.take(name.remaining)));
  }
  return out;
}

export function parseClientHello(body: Uint8Array): ClientHello | null {
  try {
    const r = new Reader(body);
    const legacyVersion = r.u16();
    const random = r.take(32);
    r.vector(1); // legacy_session_id
    const suites = r.vector(2);
    const cipherSuites: number[] = [];
    while (suites.remaining >= 2) cipherSuites.push(suites.u16());
    r.vector(1); // legacy_compression_methods
    const hello: ClientHello = { legacyVersion, random, supportedVersions: null, cipherSuites, sni: null, alpn: [], earlyData: false };
    for (const ext of readExtensions(r)) {
      if (ext.type === EXT_SERVER_NAME && ext.data.remaining > 0) hello.sni = readServerName(ext.data);
      else if (ext.type === EXT_ALPN) hello.alpn = readAlpn(ext.data);
      else if (ext.type === EXT_EARLY_DATA) hello.earlyData = true;
      else if (ext.type === EXT_SUPPORTED_VERSIONS) {
        const list = ext.data.vector(1);
        const versions: number[] = [];
        while (list.remaining >= 2) versions.push(list.u16());
        hello.supportedVersions = versions;
      }
    }
    return hello;
  } catch (err) {
    if (err instanceof Truncated) return null;
    throw err;
  }
}

export function parseServerHello(body: Uint8Array): ServerHello | null {
  try {
    const r = new Reader(body);
    const legacyVersion = r.u16();
    const random = r.take(32);
    r.vector(1); // legacy_session_id_echo
    const cipherSuite = r.u16();
    r.u8(); // legacy_compression_method
    const hello: ServerHello = {
      legacyVersion, random, selectedVersion: null, cipherSuite, alpn: null, encryptThenMac: false,
      helloRetryRequest: Buffer.from(random).toString('hex') === HELLO_RETRY_RANDOM,
    };
    for (const ext of readExtensions(r)) {
      if (ext.type === EXT_SUPPORTED_VERSIONS) hello.selectedVersion = ext.data.u16();
      else if (ext.type === EXT_ALPN) hello.alpn = readAlpn(ext.data)[0] ?? null;
      else if (ext.type === EXT_ENCRYPT_THEN_MAC) hello.encryptThenMac = true;
    }
    return hello;
  } catch (err) {
    if (err instanceof Truncated) return null;
    throw err;
  }
}
