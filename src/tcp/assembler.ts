/**
 * TCP reassembly for a whole capture, after gopacket's tcpassembly: segments go
 * in one at a time, each connection's consumer (from the StreamFactory) gets
 * ordered bytes, gaps and one close. Nothing here knows what the bytes mean.
 *
 * Connections are keyed by their 4-tuple and tunnel; a live one is found first by
 * the segment's flow number, its endpoints then compared. The table is a Map kept
 * in order of last activity, so the least recently active connection is always
 * first: eviction and idle checks look only at the front.
 *
 * A connection that ended (RST, or FIN both ways) leaves its 4-tuple in a
 * second, bounded table until it goes idle, so that its final ACKs and any
 * stragglers are absorbed rather than opening a new mid-stream connection;
 * payload arriving there is counted in `stats.ignored['data-after-close']`.
 * A SYN (without ACK) on that 4-tuple starts a new connection.
 *
 * Idle timeouts run on a CaptureClock, not on each packet's own timestamp, so that
 * one packet stamped far from its neighbours does not split a connection.
 */
import type { Segment } from '../decode/segment.js';
import { TCP_ACK, TCP_SYN } from '../decode/segment.js';
import { flat } from '../kept-string.js';
import { CaptureClock } from './capture-clock.js';
import { Connection } from './connection.js';
import type { ConnectionInfo, Endpoint, StreamFactory } from './stream.js';

export interface TcpAssemblerOptions {
  /** Which ports are servers, for connections whose SYN was not seen. */
  isServerPort(port: number): boolean;
  /** Bytes held out of order by one connection before the oldest are flushed past a gap (default 4 MiB). */
  maxBufferedPerConnection?: number;
  /** Bytes held out of order by all connections together (default 128 MiB). */
  maxBufferedTotal?: number;
  /** Connections tracked at once; past it the least recently active is closed as `evicted` (default 100 000). */
  maxConnections?: number;
  /** Capture-time seconds without a packet after which a connection is closed as `idle` (default 600). */
  idleTimeoutSec?: number;
}

export interface TcpAssemblerStats {
  /** Connections opened so far. */
  connections: number;
  /** How often each cap was hit: `ooo-per-connection`, `ooo-total`, `connections`. */
  limits: Record<string, number>;
  /** Segments not used, by reason: `data-after-close` (payload on a connection that had ended). */
  ignored: Record<string, number>;
}

export const DEFAULT_MAX_BUFFERED_PER_CONNECTION = 4 * 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_TOTAL = 128 * 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 100_000;
export const DEFAULT_IDLE_TIMEOUT_SEC = 600;

/** The 4-tuple, either way round, and the tunnel it came through: overlapping tenants stay apart. */
function keyOf(s: Segment): string {
  const a = `${s.src}]${s.srcPort}`;
  const b = `${s.dst}]${s.dstPort}`;
  const pair = a < b ? `${a} ${b}` : `${b} ${a}`;
  return s.tunnel ? `${pair} ${s.tunnel}` : pair;
}

function seconds(t: { sec: number; nsec: number }): number {
  return t.sec + t.nsec / 1e9;
}

export class TcpAssembler {
  readonly stats: TcpAssemblerStats = { connections: 0, limits: {}, ignored: {} };
  /** The time idle timeouts run on; its outlier counts are the `timestamp-jump` warning. */
  readonly clock = new CaptureClock();
  /** The connection the last packet went to, while that packet's time waits for confirmation. */
  private heldConn: Connection | null = null;
  private readonly table = new Map<string, Connection>();
  /** Live connections by flow number (the latest opened, on a collision). */
  private readonly byFlow = new Map<number, Connection>();
  private readonly maxPerConnection: number;
  private readonly maxTotal: number;
  private readonly maxConnections: number;
  private readonly idleTimeoutSec: number;
  private bufferedTotal = 0;
  private lastKey = '';
  private lastIdleCheckSec = -Infinity;
  /** 4-tuples whose connection ended (RST, or FIN both ways), with when they were last seen. */
  private readonly ended = new Map<string, number>();
  /** 4-tuples whose consumer dropped them (not its protocol), with when they were last seen. */
  private readonly notOurs = new Map<string, number>();
  /** Where eviction goes on from (see evictOne). */
  private evictCursor: Iterator<[string, Connection]> | null = null;

  constructor(
    private readonly factory: StreamFactory,
    private readonly options: TcpAssemblerOptions,
  ) {
    this.maxPerConnection = options.maxBufferedPerConnection ?? DEFAULT_MAX_BUFFERED_PER_CONNECTION;
    this.maxTotal = options.maxBufferedTotal ?? DEFAULT_MAX_BUFFERED_TOTAL;
    this.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.idleTimeoutSec = options.idleTimeoutSec ?? DEFAULT_IDLE_TIMEOUT_SEC;
  }

  /** Takes one segment; true when its connection is (now) one the consumer dropped as not its protocol. */
  segment(s: Segment): boolean {
    const active = this.clock.observe(seconds(s), s.frame);
    // The packet before was no outlier after all: its connection was active at its own time.
    if (this.clock.confirmed !== null && this.heldConn !== null) this.heldConn.lastActive = this.clock.confirmed;
    // Idle connections are looked for once per clock second, from the least recently active.
    const nowSec = Math.floor(this.clock.now);
    if (nowSec !== this.lastIdleCheckSec) {
      this.lastIdleCheckSec = nowSec;
      this.closeIdle(this.clock.now);
    }

    // The flow number finds a live connection without building the text key; a miss or a
    // collision falls back to the key, which the tables of ended and dropped flows use.
    let key: string | null = null;
    let conn = s.flow === undefined ? undefined : this.byFlow.get(s.flow);
    if (conn !== undefined && !conn.carries(s)) conn = undefined;
    if (conn === undefined) {
      key = keyOf(s);
      conn = this.table.get(key);
    }
    const pureSyn = (s.flags & TCP_SYN) !== 0 && (s.flags & TCP_ACK) === 0;
    if (conn && pureSyn && conn.isNewSyn(s)) {
      conn.anomaly('port-reuse', conn.directionOf(s), [s.frame], 'a new SYN on this 4-tuple started another connection');
      this.end(conn, 'evicted');
      key = conn.key;
      this.forget(conn);
      conn = undefined;
    }
    key ??= conn === undefined ? keyOf(s) : conn.key;
    if (!conn && this.notOurs.size > 0) {
      const at = this.notOurs.get(key);
      if (at !== undefined) {
        this.notOurs.delete(key);
        // A new SYN starts a connection worth judging again; anything else belongs to the dropped one.
        if (!pureSyn) {
          this.notOurs.set(key, active);
          this.heldConn = null;
          return true;
        }
      }
    }
    if (!conn) {
      const ended = this.ended.get(key);
      if (ended !== undefined && !pureSyn) {
        if (s.payload.length > 0) this.count(this.stats.ignored, 'data-after-close');
        this.ended.delete(key);
        this.ended.set(key, active);
        this.heldConn = null;
        return false;
      }
      this.ended.delete(key);
      conn = this.open(key, s);
    }
    this.touch(conn.key, conn);
    conn.lastActive = active;
    this.heldConn = this.clock.held !== null ? conn : null;

    const before = conn.buffered;
    conn.segment(s);
    this.bufferedTotal += conn.buffered - before;
    if (conn.handler.dropped === true) {
      this.drop(conn, active);
      this.heldConn = null;
      return true;
    }
    if (conn.closed) {
      this.forget(conn);
      this.note(this.ended, conn.key, active);
      return false;
    }

    if (conn.buffered > this.maxPerConnection) this.capConnection(conn, 'ooo-per-connection', this.maxPerConnection);
    if (this.bufferedTotal > this.maxTotal) this.capTotal();
    return false;
  }

  /** The consumer gave the connection up: its held bytes are freed and its later segments ignored. */
  private drop(conn: Connection, at: number): void {
    this.bufferedTotal -= conn.buffered;
    conn.discard();
    this.forget(conn);
    this.note(this.notOurs, conn.key, at);
  }

  /** The capture ended: every open connection is flushed and closed. */
  finish(): void {
    for (const conn of this.table.values()) this.end(conn, 'capture-end');
    this.table.clear();
    this.byFlow.clear();
    this.evictCursor = null;
    this.ended.clear();
    this.notOurs.clear();
    this.lastKey = '';
  }

  private open(key: string, s: Segment): Connection {
    if (this.table.size >= this.maxConnections) this.evictOne();
    const syn = (s.flags & TCP_SYN) !== 0;
    const ack = (s.flags & TCP_ACK) !== 0;
    const src: Endpoint = { ip: s.src, port: s.srcPort };
    const dst: Endpoint = { ip: s.dst, port: s.dstPort };
    let serverIsSrc: boolean;
    if (syn) serverIsSrc = ack; // SYN: sender is the client; SYN/ACK: sender is the server
    else {
      const srcServes = this.options.isServerPort(s.srcPort);
      const dstServes = this.options.isServerPort(s.dstPort);
      serverIsSrc = srcServes && !dstServes;
    }
    const info: ConnectionInfo = {
      id: ++this.stats.connections,
      client: serverIsSrc ? dst : src,
      server: serverIsSrc ? src : dst,
      start: { sec: s.sec, nsec: s.nsec },
      firstFrame: s.frame,
      midstream: !(syn && !ack),
    };
    if (s.encapsulation) info.encapsulation = s.encapsulation;
    const conn = new Connection(info, this.factory.open(info));
    // Kept for the connection's life: one run of characters, not the tree of its parts.
    conn.key = flat(key);
    conn.tunnel = s.tunnel ?? '';
    conn.flow = s.flow;
    this.table.set(conn.key, conn);
    // A colliding older connection is then found by its key.
    if (s.flow !== undefined) this.byFlow.set(s.flow, conn);
    return conn;
  }

  /** Keep the table in order of last activity (most recent last). */
  private touch(key: string, conn: Connection): void {
    if (key === this.lastKey) return;
    this.table.delete(key);
    this.table.set(key, conn);
    this.lastKey = key;
  }

  private end(conn: Connection, reason: 'evicted' | 'idle' | 'capture-end'): void {
    const before = conn.buffered;
    conn.close(reason);
    this.bufferedTotal += conn.buffered - before;
  }

  private forget(conn: Connection): void {
    this.table.delete(conn.key);
    if (conn.flow !== undefined && this.byFlow.get(conn.flow) === conn) this.byFlow.delete(conn.flow);
    if (this.lastKey === conn.key) this.lastKey = '';
  }

  /** Keep a 4-tuple in `table` (ended or dropped ones), in order of last activity, bounded like the live table. */
  private note(table: Map<string, number>, key: string, at: number): void {
    table.delete(key);
    table.set(key, at);
    if (table.size > this.maxConnections) {
      for (const k of table.keys()) {
        table.delete(k);
        break;
      }
    }
  }

  /**
   * Close the least recently active connection. A Map keeps deleted entries
   * until it is rehashed, and a new iterator walks past all of them: under a
   * flood, starting one per eviction made eviction cost grow with the table.
   * One iterator is kept instead: every entry it has passed was evicted, so
   * the next live one is always the oldest.
   */
  private evictOne(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      this.evictCursor ??= this.table.entries();
      const next = this.evictCursor.next();
      if (next.done) {
        this.evictCursor = null;
        continue;
      }
      const conn = next.value[1];
      this.forget(conn);
      this.count(this.stats.limits, 'connections');
      this.end(conn, 'evicted');
      return;
    }
  }

  private closeIdle(now: number): void {
    for (const conn of this.table.values()) {
      if (now - conn.lastActive < this.idleTimeoutSec) break;
      this.forget(conn);
      this.end(conn, 'idle');
    }
    for (const table of [this.ended, this.notOurs]) {
      for (const [key, at] of table) {
        if (now - at < this.idleTimeoutSec) break;
        table.delete(key);
      }
    }
  }

  private capConnection(conn: Connection, limit: string, cap: number): void {
    while (conn.buffered > cap) {
      const dir = conn.halves.client.buffered >= conn.halves.server.buffered ? 'client' : 'server';
      const freed = conn.halves[dir].flushOldest(conn.lastFrame, conn.lastTime);
      this.bufferedTotal -= freed;
      this.count(this.stats.limits, limit);
      conn.anomaly('ooo-cap-flush', dir, [conn.lastFrame], `out-of-order limit (${limit}) reached: ${freed} held bytes delivered past a gap`);
      if (freed === 0) break;
    }
  }

  /** Too much held in total: flush the least recently active connections first. */
  private capTotal(): void {
    for (const conn of this.table.values()) {
      if (this.bufferedTotal <= this.maxTotal) return;
      if (conn.buffered === 0) continue;
      const keep = Math.max(0, conn.buffered - (this.bufferedTotal - this.maxTotal));
      this.capConnection(conn, 'ooo-total', keep);
    }
  }

  private count(into: Record<string, number>, key: string): void {
    into[key] = (into[key] ?? 0) + 1;
  }
}
