/**
 * NSS key log files (the `SSLKEYLOGFILE` format that curl, Firefox, Python's
 * `ssl`, OpenSSL's `s_client -keylogfile` and GnuTLS write, and that pcapng
 * Decryption Secrets Blocks carry): one secret a line, `LABEL <client random hex>
 * <secret hex>`, found later by the ClientHello's random.
 *
 * Only the labels decryption needs are kept: `CLIENT_RANDOM` (the TLS 1.2 and
 * earlier master secret) and the four TLS 1.3 traffic secrets. Other well-formed
 * labels (exporter and early secrets) are ignored. A malformed line is
 * remembered by number and reason, and the good lines are still used.
 */

export interface KeyLogEntry {
  /** TLS 1.2 and earlier: the 48-octet master secret. */
  masterSecret?: Buffer;
  clientHandshakeTrafficSecret?: Buffer;
  serverHandshakeTrafficSecret?: Buffer;
  clientTrafficSecret0?: Buffer;
  serverTrafficSecret0?: Buffer;
}

const LABELS: ReadonlyMap<string, keyof KeyLogEntry> = new Map([
  ['CLIENT_RANDOM', 'masterSecret'],
  ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'clientHandshakeTrafficSecret'],
  ['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'serverHandshakeTrafficSecret'],
  ['CLIENT_TRAFFIC_SECRET_0', 'clientTrafficSecret0'],
  ['SERVER_TRAFFIC_SECRET_0', 'serverTrafficSecret0'],
]);

/** The line numbers listed in a warning; the rest are counted. */
const LISTED_BAD_LINES = 10;
/** Longer than any valid line (a label, 64 and 96 hex digits); longer lines are not parsed. */
const MAX_LINE = 1024;

const HEX = /^[0-9a-fA-F]+$/;

export interface BadKeyLogLine {
  line: number;
  reason: string;
}

/** One key log source read line by line: call `line()` for each, then `warning()`. */
export class KeyLogReader {
  private lineNumber = 0;
  private used = 0;
  private readonly bad: BadKeyLogLine[] = [];
  private badCount = 0;

  constructor(private readonly store: KeyLogStore, private readonly source: string) {
    store.sources++;
  }

  line(text: string): void {
    this.lineNumber++;
    const reason = this.store.addLine(text);
    if (reason === null) return;
    if (reason === 'used') {
      this.used++;
      return;
    }
    this.badCount++;
    if (this.bad.length < LISTED_BAD_LINES) this.bad.push({ line: this.lineNumber, reason });
  }

  /** Splits text into lines (LF or CRLF) and reads each. */
  text(text: string): void {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      this.line(text.slice(start, end));
      start = end + 1;
    }
  }

  /** Secrets taken from this source. */
  get secretsUsed(): number {
    return this.used;
  }

  get badLines(): readonly BadKeyLogLine[] {
    return this.bad;
  }

  /** One sentence naming every bad line (the first few by number), or null when all lines were good. */
  warning(): string | null {
    if (this.badCount === 0) return null;
    const listed = this.bad.map((b) => `line ${b.line}: ${b.reason}`).join('; ');
    const more = this.badCount > this.bad.length ? `; and ${this.badCount - this.bad.length} more` : '';
    return `key log ${this.source}: ${this.badCount} line${this.badCount === 1 ? '' : 's'} not used (${listed}${more}); the other lines were used`;
  }
}

/** Secrets by client random (lower-case hex), from any number of key logs. */
export class KeyLogStore {
  private readonly entries = new Map<string, KeyLogEntry>();
  /** Key logs read into the store, usable or not. */
  sources = 0;

  get size(): number {
    return this.entries.size;
  }

  find(clientRandom: Uint8Array): KeyLogEntry | null {
    return this.entries.get(Buffer.from(clientRandom.buffer, clientRandom.byteOffset, clientRandom.byteLength).toString('hex')) ?? null;
  }

  /** Every secret held, for tests that prove none reaches an output. */
  *secrets(): Iterable<Buffer> {
    for (const entry of this.entries.values()) {
      for (const value of Object.values(entry)) if (value) yield value as Buffer;
    }
  }

  /**
   * Reads one line: 'used' when it added a secret, null for a comment, a blank
   * line or a label decryption does not need, otherwise why it is malformed.
   */
  addLine(raw: string): 'used' | string | null {
    if (raw.length > MAX_LINE) return `longer than ${MAX_LINE} characters`;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return null;
    const fields = text.split(/\s+/);
    if (fields.length !== 3) return `expected 3 fields (label, client random, secret), found ${fields.length}`;
    const [label, random, secret] = fields as [string, string, string];
    if (!/^[A-Z0-9_]+$/.test(label)) return `'${label.slice(0, 40)}' is not a key log label`;
    if (!HEX.test(random) || random.length !== 64) return 'the client random is not 32 octets of hex';
    if (!HEX.test(secret) || secret.length % 2 !== 0) return 'the secret is not hex';
    const field = LABELS.get(label);
    if (field === undefined) return null;
    const octets = secret.length / 2;
    if (field === 'masterSecret' ? octets !== 48 : octets !== 32 && octets !== 48) {
      return `a ${label} secret of ${octets} octets (expected ${field === 'masterSecret' ? '48' : '32 or 48'})`;
    }
    const key = random.toLowerCase();
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = {};
      this.entries.set(key, entry);
    }
    entry[field] = Buffer.from(secret, 'hex');
    return 'used';
  }
}
