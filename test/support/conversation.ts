/**
 * Builds the frames of a whole TCP conversation (handshake, data with correct
 * sequence and acknowledgement numbers, FIN close) for synthetic captures of what
 * real tools will not produce.
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../../src/decode/segment.js';
import { tcpFrame, type TcpFrameOptions } from './frames.js';
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
