/**
 * Builds the frames of a whole TCP conversation (handshake, data with correct
 * sequence and acknowledgement numbers, FIN close) for synthetic captures of what
 * real tools will not produce.
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../../src/decode/segment.js';
import { ipv4Fragments, ipv6Fragments, tcpFrame, type TcpFrameOptions } from './frames.js';
import type { PacketToWrite } from './capture-writer.js';

export interface Turn {
  from: 'client' | 'server';
  data: string | Uint8Array;
}

export interface ConversationOptions {
  client?: string;
  server?: string;
  clientPort?: number;
  serverPort?: number;
  clientIsn?: number;
  serverIsn?: number;
  /** Seconds since the epoch of the first packet; each packet is 1 ms later. */
  start?: number;
  /** Leave out the handshake (mid-stream pickup). */
  noHandshake?: boolean;
  /** Leave out the closing FINs. */
  noClose?: boolean;
  extra?: Partial<TcpFrameOptions>;
}

export function conversation(turns: Turn[], o: ConversationOptions = {}): PacketToWrite[] {
  const c = { ip: o.client ?? '127.0.0.1', port: o.clientPort ?? 40000 };
  const s = { ip: o.server ?? '127.0.0.1', port: o.serverPort ?? 110 };
  let cseq = o.clientIsn ?? 1000;
  let sseq = o.serverIsn ?? 5000;
  let t = (o.start ?? 1_700_000_000) * 1000;
  const out: PacketToWrite[] = [];
  const push = (from: 'client' | 'server', flags: number, payload: Uint8Array = new Uint8Array(0)) => {
    const fromClient = from === 'client';
    const data = tcpFrame({
      ...o.extra,
      src: fromClient ? c.ip : s.ip, dst: fromClient ? s.ip : c.ip,
      srcPort: fromClient ? c.port : s.port, dstPort: fromClient ? s.port : c.port,
      seq: fromClient ? cseq : sseq, ack: flags & TCP_ACK ? (fromClient ? sseq : cseq) : 0,
      flags, payload,
    });
    out.push({ sec: Math.floor(t / 1000), nsec: (t % 1000) * 1_000_000, data });
    t++;
    const len = payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0);
    if (fromClient) cseq = (cseq + len) >>> 0;
    else sseq = (sseq + len) >>> 0;
  };
  if (!o.noHandshake) {
    push('client', TCP_SYN);
    push('server', TCP_SYN | TCP_ACK);
    push('client', TCP_ACK);
  }
  for (const turn of turns) {
    const bytes = typeof turn.data === 'string' ? Buffer.from(turn.data, 'latin1') : turn.data;
    push(turn.from, TCP_ACK | TCP_PSH, bytes);
  }
  if (!o.noClose) {
    push('client', TCP_FIN | TCP_ACK);
    push('server', TCP_FIN | TCP_ACK);
    push('client', TCP_ACK);
  }
  return out;
}

export interface SendOptions {
  /** TCP flags; default ACK|PSH. */
  flags?: number;
  /** Send at this offset from the sender's next sequence number (negative: retransmission). */
  seqDelta?: number;
  /** Do not advance the sender's sequence number (a retransmission or a stray packet). */
  keepSeq?: boolean;
  /** Keep only this many bytes of the frame in the capture (a snapshot length cut). */
  capLen?: number;
  /** Send the segment as IP fragments (IPv4, or IPv6 with a fragment header) of this many payload bytes (a multiple of 8), one frame each. */
  fragmentSize?: number;
}

/**
 * A TCP conversation built packet by packet, for scenarios the `conversation()`
 * shorthand cannot express: segments split anywhere, retransmissions, overlaps,
 * RST, FIN with data, data after FIN. Sequence numbers are tracked per side.
 */
export class TcpScript {
  readonly packets: PacketToWrite[] = [];
  private readonly c: { ip: string; port: number };
  private readonly s: { ip: string; port: number };
  seq: { client: number; server: number };
  private t: number;

  constructor(private readonly o: ConversationOptions = {}) {
    this.c = { ip: o.client ?? '127.0.0.1', port: o.clientPort ?? 40000 };
    this.s = { ip: o.server ?? '127.0.0.1', port: o.serverPort ?? 110 };
    this.seq = { client: o.clientIsn ?? 1000, server: o.serverIsn ?? 5000 };
    this.t = (o.start ?? 1_700_000_000) * 1000;
  }

  /** The 1-based frame number the next packet will have. */
  get nextFrame(): number {
    return this.packets.length + 1;
  }

  /** One packet; returns its frame number. */
  send(from: 'client' | 'server', data: string | Uint8Array = '', so: SendOptions = {}): number {
    const fromClient = from === 'client';
    const flags = so.flags ?? TCP_ACK | TCP_PSH;
    const payload = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const own = this.seq[from];
    const peer = this.seq[fromClient ? 'server' : 'client'];
    const fields: TcpFrameOptions = {
      ...this.o.extra,
      src: fromClient ? this.c.ip : this.s.ip, dst: fromClient ? this.s.ip : this.c.ip,
      srcPort: fromClient ? this.c.port : this.s.port, dstPort: fromClient ? this.s.port : this.c.port,
      seq: (own + (so.seqDelta ?? 0)) >>> 0, ack: flags & TCP_ACK ? peer : 0,
      flags, payload,
    };
    const v6 = fields.ipv6 ?? fields.src.includes(':');
    const fragment = v6 ? ipv6Fragments : ipv4Fragments;
    const frames = so.fragmentSize !== undefined ? fragment(fields, { size: so.fragmentSize }) : [tcpFrame(fields)];
    for (const frame of frames) {
      const cut = so.capLen !== undefined ? frame.subarray(0, so.capLen) : frame;
      this.packets.push({ sec: Math.floor(this.t / 1000), nsec: (this.t % 1000) * 1_000_000, data: cut, origLen: frame.length });
      this.t++;
    }
    if (!so.keepSeq) {
      const len = payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0);
      this.seq[from] = (own + (so.seqDelta ?? 0) + len) >>> 0;
    }
    return this.packets.length;
  }

  handshake(): this {
    this.send('client', '', { flags: TCP_SYN });
    this.send('server', '', { flags: TCP_SYN | TCP_ACK });
    this.send('client', '', { flags: TCP_ACK });
    return this;
  }

  /** Both sides close with FIN, client first. */
  close(): this {
    this.send('client', '', { flags: TCP_FIN | TCP_ACK });
    this.send('server', '', { flags: TCP_FIN | TCP_ACK });
    this.send('client', '', { flags: TCP_ACK });
    return this;
  }
}
