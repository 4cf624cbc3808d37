/**
 * Test harness for TCP reassembly: builds Segments by hand and records what a
 * StreamFactory is told, so tests can state expected streams directly.
 */
import type { Segment } from '../../src/decode/segment.js';
import type { Timestamp } from '../../src/capture/packet.js';
import type {
  ConnectionInfo,
  ConnectionSummary,
  Direction,
  StreamFactory,
  StreamHandler,
} from '../../src/tcp/stream.js';

export const CLIENT = { ip: '10.0.0.1', port: 40000 };
export const SERVER = { ip: '10.0.0.2', port: 110 };

export interface SegmentSpec {
  from: Direction;
  seq: number;
  ack?: number;
  flags?: number;
  payload?: Uint8Array | string;
  missing?: number;
  frame?: number;
  sec?: number;
}

let autoFrame = 0;

/** Build one segment between CLIENT and SERVER (or the endpoints given). */
export function seg(spec: SegmentSpec, client = CLIENT, server = SERVER): Segment {
  const [a, b] = spec.from === 'client' ? [client, server] : [server, client];
  const payload = typeof spec.payload === 'string' ? new TextEncoder().encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const frame = spec.frame ?? ++autoFrame;
  return {
    frame,
    sec: spec.sec ?? 1_700_000_000,
    nsec: 0,
    src: a.ip,
    dst: b.ip,
    srcPort: a.port,
    dstPort: b.port,
    seq: spec.seq >>> 0,
    ack: (spec.ack ?? 0) >>> 0,
    flags: spec.flags ?? 0,
    window: 65535,
    // A view into a larger, reused buffer, as the capture reader hands them on.
    payload: inChunk(payload),
    missing: spec.missing ?? 0,
  };
}

const chunk = new Uint8Array(1 << 16);
/** Return `bytes` as a view into a shared chunk that the next call overwrites. */
export function inChunk(bytes: Uint8Array): Uint8Array {
  chunk.fill(0xee);
  chunk.set(bytes, 7);
  return chunk.subarray(7, 7 + bytes.length);
}

export type Event =
  | { kind: 'data'; dir: Direction; bytes: Uint8Array; firstFrame: number; lastFrame: number; time: Timestamp }
  | { kind: 'gap'; dir: Direction; length: number; frame: number };

export interface Recorded {
  info: ConnectionInfo;
  events: Event[];
  summary: ConnectionSummary | null;
  closes: number;
}

/** A factory that records every call, copying the bytes it is given. */
export class Recorder implements StreamFactory {
  readonly connections: Recorded[] = [];
  open(info: ConnectionInfo): StreamHandler {
    const rec: Recorded = { info, events: [], summary: null, closes: 0 };
    this.connections.push(rec);
    return {
      data: (dir, bytes, firstFrame, lastFrame, time) => {
        if (rec.closes > 0) throw new Error('data after close');
        rec.events.push({ kind: 'data', dir, bytes: bytes.slice(), firstFrame, lastFrame, time });
      },
      gap: (dir, length, frame) => {
        if (rec.closes > 0) throw new Error('gap after close');
        rec.events.push({ kind: 'gap', dir, length, frame });
      },
      close: (summary) => {
        rec.closes++;
        rec.summary = summary;
      },
    };
  }
}

/** The stream of one direction as text, with each gap shown as `[gap N]`. */
export function streamText(rec: Recorded, dir: Direction): string {
  let out = '';
  for (const e of rec.events) {
    if (e.dir !== dir) continue;
    out += e.kind === 'data' ? new TextDecoder('latin1').decode(e.bytes) : `[gap ${e.length}]`;
  }
  return out;
}

/** The delivered bytes of one direction, gaps left out. */
export function streamBytes(rec: Recorded, dir: Direction): Uint8Array {
  const parts = rec.events.filter((e) => e.dir === dir && e.kind === 'data') as Array<Extract<Event, { kind: 'data' }>>;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.bytes.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p.bytes, at);
    at += p.bytes.length;
  }
  return out;
}

export const pop3Ports = { isServerPort: (p: number) => p === 110 || p === 995 };
