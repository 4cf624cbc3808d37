/**
 * Drives a Pop3Session the way the pipeline does: through content detection
 * (which judges whether a stream on a POP3 port is POP3 at all) into the
 * session factory; each step is one segment (its own frame, time = frame
 * number in seconds), or a gap.
 */
import type { SessionOut } from '../../src/model.js';
import type { CloseReason, ConnectionInfo, Direction } from '../../src/tcp/stream.js';
import { type Pop3Options, Pop3SessionFactory } from '../../src/pop3/session-factory.js';
import { lookupCommand } from '../../src/pop3/commands.js';
import { ContentDetector } from '../../src/detect/content-detector.js';

export type Step =
  | { c: string | Uint8Array; frame?: number }
  | { s: string | Uint8Array; frame?: number }
  | { gap: Direction; length: number };

export interface RunOptions extends Partial<Pop3Options> {
  serverPort?: number;
  midstream?: boolean;
  ended?: CloseReason;
}

export function run(steps: Step[], o: RunOptions = {}): SessionOut {
  const out: SessionOut[] = [];
  const factory = new Pop3SessionFactory({
    showSecrets: o.showSecrets ?? false,
    isImplicitTlsPort: o.isImplicitTlsPort ?? ((p) => p === 995),
    frameLabel: o.frameLabel ?? ((f) => f),
    formatTime: o.formatTime ?? ((s, n) => `${s}.${n}`),
    ...(o.keepBodies !== undefined ? { keepBodies: o.keepBodies } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.messageData ? { messageData: o.messageData } : {}),
  }, (s) => out.push(s));
  const conn: ConnectionInfo = {
    id: 1, client: { ip: '127.0.0.1', port: 40000 }, server: { ip: '127.0.0.1', port: o.serverPort ?? 110 },
    start: { sec: 1, nsec: 0 }, firstFrame: 1, midstream: o.midstream ?? false,
  };
  const isImplicitTlsPort = o.isImplicitTlsPort ?? ((p: number) => p === 995);
  const detector = new ContentDetector(factory, {
    isPop3Port: (p) => p === 110 || isImplicitTlsPort(p) || p === conn.server.port,
    isImplicitTlsPort,
    isCommand: (k) => lookupCommand(k) !== undefined,
  });
  const h = detector.open(conn);
  let frame = 3; // frames 1-3: the TCP handshake
  const bytes = { client: 0, server: 0 };
  for (const step of steps) {
    if ('gap' in step) {
      frame++;
      h.gap(step.gap, step.length, frame, { sec: frame, nsec: 0 });
      continue;
    }
    const dir: Direction = 'c' in step ? 'client' : 'server';
    const raw = 'c' in step ? step.c : step.s;
    const data = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
    frame = step.frame ?? frame + 1;
    bytes[dir] += data.length;
    // A copy the session must not keep a reference to: overwrite it after the call.
    const view = new Uint8Array(data);
    h.data(dir, view, frame, frame, { sec: frame, nsec: 0 });
    view.fill(0x5a);
  }
  h.close({
    end: { sec: frame + 1, nsec: 0 }, lastFrame: frame + 1, ended: o.ended ?? 'fin', bytes, gaps: [], anomalies: [],
  });
  if (out.length !== 1) throw new Error(`expected one session, got ${out.length}`);
  return out[0]!;
}

/** Client and server lines with CRLF. */
export const C = (line: string): Step => ({ c: `${line}\r\n` });
export const S = (line: string): Step => ({ s: `${line}\r\n` });
export const SLines = (...lines: string[]): Step => ({ s: lines.map((l) => `${l}\r\n`).join('') });
