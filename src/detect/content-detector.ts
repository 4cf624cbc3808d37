/**
 * Content detection: finds POP3 on any TCP port from the first bytes of a
 * connection, between TCP reassembly and the dissector (after Zeek's dynamic
 * protocol detection). On the POP3 ports the port decides (`detection:
 * "port"`), and the first line of each side only says whether the stream is
 * POP3 at all (`protocol-sniffer.ts`; on the implicit-TLS ports not even
 * that): one that is not reaches the dissector as `rejected`, to be listed as
 * `notPop3` with no transcript. Any other connection is held here until its
 * first bytes decide:
 *
 * - POP3 (`detection: "content"`): the server speaks first with a status
 *   (`+OK` or `-ERR`), the client's first line is a command of the POP3 table,
 *   and the server's next line is a status again (the command was answered).
 *   A connection joined mid-stream has no greeting to see: a command answered
 *   by a status is enough there.
 * - POP3S: the client opens with a TLS ClientHello whose ALPN offers `pop3`.
 * - Anything else is not ours: a server that does not open with a status (SMTP
 *   and FTP `220`, IMAP `* OK`, SSH, TLS), a client that speaks first (HTTP, TLS
 *   without that ALPN), a first line that is not a command, an unanswered
 *   command, a gap, or no decision within the byte budget.
 *
 * What is held is bounded (twice DETECT_BUDGET bytes, copied); once POP3
 * is found it is replayed into the dissector in arrival order, with its frames
 * and times, and the connection carries on as if it had been POP3 from the
 * start. A connection that is not ours says so (`dropped`), and the TCP layer
 * stops reassembling it.
 */
import type { Timestamp } from '../capture/packet.js';
import type {
  ConnectionInfo, ConnectionSummary, Direction, StreamFactory, StreamHandler,
} from '../tcp/stream.js';
import { alpnOffers, firstRecordLength, startsWithTlsHandshake } from './client-hello-alpn.js';
import { isCommandLine, isStatusLine } from './first-lines.js';
import { latin1 } from '../latin1.js';
import { HeldStream } from './held-stream.js';
import { ProtocolSniffer } from './protocol-sniffer.js';

/** Bytes held per direction while deciding: a 512-octet POP3 line (RFC 2449) fits, and most ClientHellos. */
export const DETECT_BUDGET = 4096;

export interface DetectionOptions {
  /** True for a server port that is POP3 by configuration (110, 995, --pop3-ports, --pop3s-ports). */
  isPop3Port(port: number): boolean;
  /** True for the implicit-TLS ones among them (995, --pop3s-ports): TLS from the first byte, nothing to sniff. */
  isImplicitTlsPort(port: number): boolean;
  /** True for a POP3 command keyword (upper case): the dissector's command table. */
  isCommand(keyword: string): boolean;
}

export interface DetectionStats {
  /** Connections found to be POP3 or POP3S by their content. */
  pop3: number;
  pop3s: number;
  /** Connections given up as not POP3. */
  dropped: number;
}

export class ContentDetector implements StreamFactory {
  readonly stats: DetectionStats = { pop3: 0, pop3s: 0, dropped: 0 };
  /**
   * Connections handed to the dissector, which numbers them: ids count POP3
   * connections only, as without detection, not every TCP connection seen.
   */
  private handed = 0;

  constructor(
    private readonly inner: StreamFactory,
    readonly options: DetectionOptions,
  ) {}

  open(conn: ConnectionInfo): StreamHandler {
    const port = conn.server.port;
    if (this.options.isImplicitTlsPort(port)) return this.inner.open(handedOn(conn, { id: ++this.handed, detection: 'port' }));
    if (this.options.isPop3Port(port)) return new PortConnection(this, handedOn(conn, { id: ++this.handed, detection: 'port' }));
    return new PendingConnection(this, conn);
  }

  /** The dissector for a connection on a POP3 port, once its first lines are judged. */
  judged(conn: ConnectionInfo, rejected: ConnectionInfo['rejected'] | null): StreamHandler {
    return this.inner.open(rejected === null ? conn : handedOn(conn, { rejected }));
  }

  /** The dissector for a connection found to be ours. */
  found(conn: ConnectionInfo, tls: boolean): StreamHandler {
    if (tls) this.stats.pop3s++;
    else this.stats.pop3++;
    return this.inner.open(handedOn(conn, { id: ++this.handed, detection: 'content', implicitTls: tls ? true : undefined }));
  }
}

/**
 * `conn` as the dissector gets it, with `set` applied. Every field is written out, so these
 * objects share one V8 hidden class: a spread copy (`{ ...conn, id }`) got one of its own,
 * ~250 bytes more for each of the up to 100,000 connections held open in a SYN flood.
 */
function handedOn(conn: ConnectionInfo, set: Partial<ConnectionInfo>): ConnectionInfo {
  const out: { [K in keyof Required<ConnectionInfo>]: ConnectionInfo[K] } = {
    id: set.id ?? conn.id,
    client: conn.client,
    server: conn.server,
    start: conn.start,
    firstFrame: conn.firstFrame,
    midstream: conn.midstream,
    encapsulation: conn.encapsulation,
    detection: set.detection ?? conn.detection,
    implicitTls: set.implicitTls ?? conn.implicitTls,
    rejected: set.rejected ?? conn.rejected,
  };
  return out;
}

const CR = 0x0d;
const LF = 0x0a;

/** One undecided connection: holds its first bytes until they decide. */
class PendingConnection implements StreamHandler {
  dropped = false;
  private target: StreamHandler | null = null;
  private readonly held = new HeldStream();
  /** The bytes of each direction so far, joined (bounded by DETECT_BUDGET). */
  private readonly first: Record<Direction, Uint8Array> = { client: EMPTY, server: EMPTY };
  private clientSpokeFirst = false;

  constructor(private readonly detector: ContentDetector, private readonly conn: ConnectionInfo) {}

  data(dir: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, time: Timestamp): void {
    if (this.target !== null) {
      this.target.data(dir, bytes, firstFrame, lastFrame, time);
      return;
    }
    if (this.dropped) return;
    if (this.first.client.length === 0 && this.first.server.length === 0 && dir === 'client') this.clientSpokeFirst = true;
    const room = DETECT_BUDGET - this.first[dir].length;
    const kept = bytes.subarray(0, Math.max(0, room));
    this.first[dir] = join(this.first[dir], kept);
    if (this.held.bytes + bytes.length > 2 * DETECT_BUDGET) return this.drop();
    this.held.data(dir, bytes, firstFrame, lastFrame, time);
    this.decide();
  }

  gap(dir: Direction, length: number, frame: number, time: Timestamp): void {
    if (this.target !== null) this.target.gap(dir, length, frame, time);
    // Missing first bytes cannot be judged.
    else this.drop();
  }

  close(summary: ConnectionSummary): void {
    // Undecided at the end: not ours (nothing was confirmed).
    if (this.target !== null) this.target.close(summary);
    else if (!this.dropped) this.drop();
  }

  private decide(): void {
    const c = this.first.client;
    const s = this.first.server;
    if (this.clientSpokeFirst) {
      // Only implicit TLS with ALPN pop3 opens from the client's side; mid-stream, a client line may come first.
      if (startsWithTlsHandshake(c)) {
        const offered = alpnOffers(c, 'pop3');
        if (offered === true) return this.accept(true);
        if (offered === false || firstRecordLength(c) > DETECT_BUDGET) return this.drop();
        return; // the record is not complete yet
      }
      if (!this.conn.midstream) return this.drop();
      // Joined mid-stream with the client first: a command, answered by a status.
      return this.commandAnswered(c, s, 0);
    }
    // The server spoke first: its greeting, then the client's command, then the answer.
    const greeting = lineAt(s, 0);
    if (greeting === null) return this.dropIfFull(s);
    if (!isStatusLine(greeting)) return this.drop();
    return this.commandAnswered(c, s, 1);
  }

  /** The client's first line is a command, and the server's line `answerLine` a status. */
  private commandAnswered(c: Uint8Array, s: Uint8Array, answerLine: number): void {
    const command = lineAt(c, 0);
    if (command === null) return this.dropIfFull(c);
    if (!isCommandLine(command, this.detector.options.isCommand)) return this.drop();
    const answer = lineAt(s, answerLine);
    if (answer === null) return this.dropIfFull(s);
    return isStatusLine(answer) ? this.accept(false) : this.drop();
  }

  private dropIfFull(b: Uint8Array): void {
    if (b.length >= DETECT_BUDGET) this.drop();
  }

  private accept(tls: boolean): void {
    this.target = this.detector.found(this.conn, tls);
    this.first.client = EMPTY;
    this.first.server = EMPTY;
    this.held.replay(this.target);
  }

  private drop(): void {
    this.dropped = true;
    this.detector.stats.dropped++;
    this.held.clear();
    this.first.client = EMPTY;
    this.first.server = EMPTY;
  }
}

/**
 * A connection on a plain POP3 port until its first lines say whether it is
 * POP3 at all. Made cheap for the many connections that never carry a byte
 * (a SYN flood): the sniffer and the held bytes come with the first data.
 */
class PortConnection implements StreamHandler {
  private target: StreamHandler | null = null;
  private sniffer: ProtocolSniffer | null = null;
  private held: HeldStream | null = null;
  /** Each side's first line so far, until it ends or the sniffer has judged it. */
  private firstLine: Record<Direction, Uint8Array> | null = null;

  constructor(private readonly detector: ContentDetector, private readonly conn: ConnectionInfo) {}

  data(dir: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, time: Timestamp): void {
    if (this.target !== null) return this.target.data(dir, bytes, firstFrame, lastFrame, time);
    const sniffer = (this.sniffer ??= new ProtocolSniffer(this.conn.midstream, this.detector.options.isCommand));
    const held = (this.held ??= new HeldStream());
    held.data(dir, bytes, firstFrame, lastFrame, time);
    sniffer.keep(dir, bytes);
    if (sniffer.undecided(dir)) {
      const lines = (this.firstLine ??= { client: EMPTY, server: EMPTY });
      const lf = bytes.indexOf(LF);
      const line = join(lines[dir], lf < 0 ? bytes : bytes.subarray(0, lf));
      if (lf < 0) {
        lines[dir] = line.length > DETECT_BUDGET ? line.subarray(0, DETECT_BUDGET) : line;
        // A long first "line" without a line end: judged by its first bytes.
        sniffer.unfinishedLine(dir, line.length);
      } else {
        const text = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
        if (dir === 'client') sniffer.clientLine(text, latin1(text));
        else sniffer.serverLine(text);
      }
    }
    if (sniffer.rejected !== null) this.settle(sniffer.rejected);
    else if (sniffer.accepted || held.bytes > 2 * DETECT_BUDGET) this.settle(null);
  }

  gap(dir: Direction, length: number, frame: number, time: Timestamp): void {
    if (this.target !== null) return this.target.gap(dir, length, frame, time);
    const sniffer = (this.sniffer ??= new ProtocolSniffer(this.conn.midstream, this.detector.options.isCommand));
    (this.held ??= new HeldStream()).gap(dir, length, frame, time);
    // The start of this side is missing: its first line proves nothing either way.
    sniffer.gap(dir);
    if (sniffer.rejected !== null) this.settle(sniffer.rejected);
    else if (sniffer.accepted) this.settle(null);
  }

  close(summary: ConnectionSummary): void {
    // Undecided at the end: on a POP3 port the port decides.
    if (this.target === null) this.settle(null);
    this.target!.close(summary);
  }

  private settle(rejected: ConnectionInfo['rejected'] | null): void {
    this.target = this.detector.judged(this.conn, rejected);
    this.sniffer = null;
    this.firstLine = null;
    const held = this.held;
    this.held = null;
    held?.replay(this.target);
  }
}

const EMPTY = new Uint8Array(0);

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Line number `n` (0-based) of `b` without its line end, or null when it is not complete yet. */
function lineAt(b: Uint8Array, n: number): Uint8Array | null {
  let start = 0;
  for (let i = 0; ; i++) {
    const lf = b.indexOf(LF, start);
    if (lf < 0) return null;
    if (i === n) return b.subarray(start, lf > start && b[lf - 1] === CR ? lf - 1 : lf);
    start = lf + 1;
  }
}
