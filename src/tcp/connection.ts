/**
 * One TCP connection: its roles, its two half-streams, and what its summary
 * will say. The assembler decides which connection a segment belongs to;
 * this decides what the segment means for that connection.
 *
 * Closing: on RST, at once (held bytes of both directions are delivered past
 * their holes first); when both directions' FINs have been seen, at once, on
 * the second FIN (not waiting for the final ACKs, which carry nothing); or when
 * the assembler ends it (idle, evicted, port reuse, capture end).
 */
import type { Timestamp } from '../capture/packet.js';
import type { Segment } from '../decode/segment.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/segment.js';
import { HalfStream, type HalfStreamSink } from './half-stream.js';
import type {
  CloseReason,
  ConnectionInfo,
  Direction,
  StreamAnomaly,
  StreamGap,
  StreamHandler,
} from './stream.js';

/** Gaps and anomalies listed per connection; past this they are counted, not listed. */
export const MAX_RECORDS = 1000;

export class Connection {
  readonly halves: Record<Direction, HalfStream>;
  readonly handler: StreamHandler;
  /** Client's initial sequence number, when its SYN was seen. */
  clientIsn: number | null = null;
  lastTime: Timestamp;
  /** Capture-clock seconds of the last packet (set by the assembler; see CaptureClock). */
  lastActive = -Infinity;
  lastFrame: number;
  closed = false;
  /** The assembler's table key for this connection (set by the assembler). */
  key = '';
  /** The segments' flow number (Segment.flow), when the decoder gave one. */
  flow: number | undefined = undefined;
  /** The tunnel identity its segments carry ('' outside tunnels). */
  tunnel = '';
  private rstSeen = false;
  /** Made on the first gap or anomaly: most connections have none. */
  private gaps: StreamGap[] | null = null;
  private anomalies: StreamAnomaly[] | null = null;
  private unlisted = 0;

  constructor(
    readonly info: ConnectionInfo,
    handler: StreamHandler,
  ) {
    this.handler = handler;
    this.lastTime = info.start;
    this.lastFrame = info.firstFrame;
    this.halves = { client: this.half('client'), server: this.half('server'), };
  }

  private half(dir: Direction): HalfStream {
    return new HalfStream(new DirectionSink(this, dir));
  }

  anomaly(kind: string, direction: Direction, frames: number[], message: string): void {
    const list = (this.anomalies ??= []);
    if (list.length < MAX_RECORDS) list.push({ kind, direction, frames, message });
    else this.unlisted++;
  }

  /** A half-stream declared a gap: listed (bounded), then handed on. */
  gap(dir: Direction, offset: number, length: number, frame: number, time: Timestamp): void {
    const list = (this.gaps ??= []);
    if (list.length < MAX_RECORDS) list.push({ direction: dir, offset, length, frame });
    else this.unlisted++;
    this.handler.gap(dir, length, frame, time);
  }

  directionOf(s: Segment): Direction {
    const c = this.info.client;
    return s.src === c.ip && s.srcPort === c.port ? 'client' : 'server';
  }

  /** Is `s` of this connection's 4-tuple and tunnel (either way)? */
  carries(s: Segment): boolean {
    const c = this.info.client;
    const v = this.info.server;
    if ((s.tunnel ?? '') !== this.tunnel) return false;
    return (s.srcPort === c.port && s.dstPort === v.port && s.src === c.ip && s.dst === v.ip) ||
      (s.srcPort === v.port && s.dstPort === c.port && s.src === v.ip && s.dst === c.ip);
  }

  /** Bytes held out of order by both directions. */
  get buffered(): number {
    return this.halves.client.buffered + this.halves.server.buffered;
  }

  /** Would this SYN (without ACK) start a new connection on the same 4-tuple? */
  isNewSyn(s: Segment): boolean {
    if (this.closed) return true;
    if (this.directionOf(s) === 'client' && this.clientIsn === s.seq) return false; // a retransmitted SYN
    return true;
  }

  segment(s: Segment): void {
    const time = { sec: s.sec, nsec: s.nsec };
    this.lastTime = time;
    this.lastFrame = s.frame;
    const dir = this.directionOf(s);
    const own = this.halves[dir];
    const peer = this.halves[dir === 'client' ? 'server' : 'client'];

    peer.peerSpoke();
    if (s.flags & TCP_ACK) peer.acked(s.ack, s.frame, time);

    if (s.flags & TCP_RST) {
      if (s.payload.length > 0) {
        this.anomaly('data-after-rst', dir, [s.frame], `${s.payload.length} bytes carried by a RST were not delivered`);
      }
      this.rstSeen = true;
      this.close('rst');
      return;
    }

    let seq = s.seq;
    if (s.flags & TCP_SYN) {
      if (dir === 'client' && !(s.flags & TCP_ACK) && this.clientIsn === null) this.clientIsn = s.seq;
      own.syn(s.seq);
      seq = (seq + 1) >>> 0; // the SYN takes one sequence number; data on a SYN follows it
    }
    own.segment({ seq, payload: s.payload, missing: s.missing, fin: (s.flags & TCP_FIN) !== 0, frame: s.frame, time });

    if (this.halves.client.finSeen && this.halves.server.finSeen) this.close('fin');
  }

  /** The consumer dropped the connection: nothing more is delivered, and no summary follows. */
  discard(): void {
    this.closed = true;
  }

  /** Deliver what is held past its holes, then hand the summary on. Only the first call counts. */
  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    for (const dir of ['client', 'server'] as const) this.halves[dir].flushAll(this.lastFrame, this.lastTime);
    if (this.unlisted > 0) {
      (this.anomalies ??= []).push({
        kind: 'records-truncated',
        direction: 'client',
        frames: [],
        message: `${this.unlisted} further gaps or anomalies were not listed`,
      });
    }
    const finSeen = this.halves.client.finSeen || this.halves.server.finSeen;
    this.handler.close({
      end: this.lastTime,
      lastFrame: this.lastFrame,
      ended: this.rstSeen ? 'rst' : finSeen ? 'fin' : reason,
      bytes: { client: this.halves.client.delivered, server: this.halves.server.delivered },
      gaps: this.gaps ?? [],
      anomalies: this.anomalies ?? [],
    });
  }
}

/**
 * What a half-stream reports to, for one direction: one small object instead
 * of three closures per direction, since a flood of handshakes keeps many
 * connections alive at once.
 */
class DirectionSink implements HalfStreamSink {
  constructor(private readonly conn: Connection, private readonly dir: Direction) {}

  data(bytes: Uint8Array, frame: number, time: Timestamp): void {
    this.conn.handler.data(this.dir, bytes, frame, frame, time);
  }

  gap(offset: number, length: number, frame: number, time: Timestamp): void {
    this.conn.gap(this.dir, offset, length, frame, time);
  }

  anomaly(kind: string, frames: number[], message: string): void {
    this.conn.anomaly(kind, this.dir, frames, message);
  }
}
