/**
 * Where the TCP layer meets POP3: one Pop3Session per connection, with the
 * user's options resolved to concrete limits.
 */
import type { SessionOut } from '../model.js';
import type { Timestamp } from '../capture/packet.js';
import type { ConnectionInfo, ConnectionSummary, Direction, StreamFactory, StreamHandler } from '../tcp/stream.js';
import { Pop3Session, type Pop3SessionConfig } from './session.js';
import type { MessageDataSink } from './message-data.js';
import type { KeyLogStore } from '../tls/key-log.js';
import { stripUndefined } from '../limits.js';

export interface Pop3Options {
  /** false: every secret is `[redacted]` in the SessionOut itself. */
  showSecrets: boolean;
  /** 995 and --pop3s-ports: TLS from the first byte. */
  isImplicitTlsPort(port: number): boolean;
  /** Maps internal frame ids to what users see. */
  frameLabel(frame: number): number | string;
  formatTime(sec: number, nsec: number): string;
  /** Keep unstuffed RETR/TOP text (bounded by maxBodyBytes) in `data.body`. */
  keepBodies?: boolean;
  /** Receives the unstuffed bytes of RETR/TOP answers as they arrive (extraction). */
  messageData?: MessageDataSink;
  /** TLS secrets to decrypt POP3S and STLS with. */
  keys?: KeyLogStore;
  /** Sees each connection's decrypted application data (follow --decrypted). */
  onPlaintext?: (conn: ConnectionInfo, dir: Direction, bytes: Uint8Array, frame: number) => void;
  limits?: {
    maxLineLength?: number;
    maxPendingCommands?: number;
    maxHeaderBytes?: number;
    maxTranscriptEntries?: number;
    maxBodyBytes?: number;
    maxSaslRounds?: number;
  };
}

export const POP3_DEFAULT_LIMITS = {
  maxLineLength: 65536,
  maxPendingCommands: 1000,
  maxHeaderBytes: 65536,
  /**
   * Transcript entries kept per session (and, each, auth attempts and listed,
   * retrieved, deleted messages); past it they are counted, not kept.
   */
  maxTranscriptEntries: 20000,
  maxBodyBytes: 1 << 20,
  /** Lines kept per CAPA/LIST/UIDL listing. */
  maxLineItems: 10000,
  /** Client responses kept per SASL exchange; real mechanisms need a handful (GSSAPI the most, under ten). */
  maxSaslRounds: 100,
} as const;

export class Pop3SessionFactory implements StreamFactory {
  /**
   * `onEmpty`, when given, is called instead of `onSession` for a connection that
   * carried no payload and no gap either way (a SYN scan): no session is built for it.
   */
  constructor(
    private readonly options: Pop3Options,
    private readonly onSession: (s: SessionOut) => void,
    private readonly onEmpty?: () => void,
  ) {}

  open(conn: ConnectionInfo): StreamHandler {
    return new LazySession(this, conn, this.onEmpty);
  }

  /** The session itself, built when the connection first carries bytes or a gap. */
  make(conn: ConnectionInfo): Pop3Session {
    return new Pop3Session(conn, this.configFor(conn), this.onSession);
  }

  private configFor(conn: ConnectionInfo): Pop3SessionConfig {
    const o = this.options;
    const l = { ...POP3_DEFAULT_LIMITS, ...stripUndefined(o.limits ?? {}) };
    const config: Pop3SessionConfig = {
      showSecrets: o.showSecrets,
      implicitTls: conn.implicitTls ?? o.isImplicitTlsPort(conn.server.port),
      frameLabel: o.frameLabel,
      formatTime: o.formatTime,
      maxLineLength: Math.max(1, l.maxLineLength),
      maxPendingCommands: Math.max(1, l.maxPendingCommands),
      maxHeaderBytes: Math.max(0, l.maxHeaderBytes),
      maxTranscriptEntries: Math.max(0, l.maxTranscriptEntries),
      maxBodyBytes: o.keepBodies ? Math.max(0, l.maxBodyBytes) : 0,
      maxLineItems: POP3_DEFAULT_LIMITS.maxLineItems,
      keys: o.keys,
      onPlaintext: o.onPlaintext ? (dir, bytes, frame) => o.onPlaintext!(conn, dir, bytes, frame) : undefined,
      maxSaslRounds: Math.max(0, l.maxSaslRounds),
    };
    if (o.messageData) config.messageData = o.messageData;
    return config;
  }
}

/**
 * Builds the session only when the connection first carries bytes (or a gap):
 * a flood of connections that never send anything then costs the assembler's
 * table entry alone, not a full session each.
 */
class LazySession implements StreamHandler {
  private session: Pop3Session | null = null;

  // The factory and connection, not a closure over them: one object less per connection.
  constructor(
    private readonly factory: Pop3SessionFactory,
    private readonly conn: ConnectionInfo,
    private readonly onEmpty?: () => void,
  ) {}

  private make(): Pop3Session {
    return this.factory.make(this.conn);
  }

  data(dir: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, time: Timestamp): void {
    (this.session ??= this.make()).data(dir, bytes, firstFrame, lastFrame, time);
  }

  gap(dir: Direction, length: number, frame: number, time: Timestamp): void {
    (this.session ??= this.make()).gap(dir, length, frame, time);
  }

  close(summary: ConnectionSummary): void {
    if (this.session === null && this.onEmpty && summary.bytes.client === 0 && summary.bytes.server === 0 && summary.gaps.length === 0) {
      this.onEmpty();
      return;
    }
    (this.session ??= this.make()).close(summary);
    this.session = null;
  }
}
