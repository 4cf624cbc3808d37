/**
 * Follow one TCP connection: its reassembled bytes per direction, with gaps,
 * as Wireshark's "Follow TCP Stream" shows them. Wired like analyze(), but the
 * handler of the chosen connection keeps bytes instead of dissecting POP3.
 * With `decrypted`, the connection is dissected as analyze() does (so STLS is
 * found where POP3 says it is) and the TLS application data it decrypted is
 * kept instead, as Wireshark's "Follow TLS Stream" shows it.
 */
import type { Timestamp } from './capture/packet.js';
import type { CaptureInfo } from './capture/packet.js';
import { readCapture } from './capture/input.js';
import type { ConnectionInfo, ConnectionSummary, Direction, StreamFactory, StreamHandler } from './tcp/stream.js';
import { buildPipeline, loadKeyLogs, type AnalyzeOptions, type Input, type PipelineContext } from './analyze.js';
import { orderInputs } from './input-order.js';
import { Pop3SessionFactory } from './pop3/session-factory.js';
import type { TlsInfo } from './model.js';

export type FollowChunk =
  | { kind: 'data'; direction: Direction; bytes: Uint8Array; firstFrame: number | string; lastFrame: number | string }
  | { kind: 'gap'; direction: Direction; length: number; frame: number | string };

export interface FollowResult {
  connection: ConnectionInfo | null;
  summary: ConnectionSummary | null;
  chunks: FollowChunk[];
  captures: CaptureInfo[];
  /** With `decrypted`: the session's TLS facts and decryption status (null when it carried no TLS). */
  tls?: TlsInfo | null;
}

const IGNORE: StreamHandler = { data() {}, gap() {}, close() {} };

/** Collects the chunks of connection `id` (as numbered in the sessions output): its TCP bytes, or with `decrypted` its TLS plaintext. */
export async function followConnection(inputs: Input[], id: string, options: AnalyzeOptions = {}, how: { decrypted?: boolean } = {}): Promise<FollowResult> {
  const list = await orderInputs(inputs);
  const labels = list.map((i, n) => (typeof i === 'string' ? i.split('/').pop()! : `input${n}`));
  const res: FollowResult = { connection: null, summary: null, chunks: [], captures: [] };
  const pipeline = buildPipeline(labels, options, (ctx) => how.decrypted ? decryptingFactory(ctx, id, options, res) : ({
    open(conn: ConnectionInfo): StreamHandler {
      if (String(conn.id) !== id) return IGNORE;
      res.connection = conn;
      return {
        data(direction: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, _t: Timestamp) {
          res.chunks.push({ kind: 'data', direction, bytes: Uint8Array.from(bytes), firstFrame: ctx.frameLabel(firstFrame), lastFrame: ctx.frameLabel(lastFrame) });
        },
        gap(direction: Direction, length: number, frame: number) {
          res.chunks.push({ kind: 'gap', direction, length, frame: ctx.frameLabel(frame) });
        },
        close(summary: ConnectionSummary) {
          res.summary = summary;
        },
      };
    },
  }));
  if (how.decrypted) await loadKeyLogs(options.keylog ?? [], pipeline.ctx.keys);
  for (let i = 0; i < list.length; i++) {
    pipeline.startInput(i);
    res.captures.push(await readCapture(list[i], pipeline.sink, {}));
  }
  pipeline.assembler.finish();
  return res;
}

/** Dissects every connection as analyze() does, keeping the decrypted application data of connection `id`. */
function decryptingFactory(ctx: PipelineContext, id: string, options: AnalyzeOptions, res: FollowResult): StreamFactory {
  const sessions = new Pop3SessionFactory(
    {
      showSecrets: true,
      isImplicitTlsPort: ctx.isImplicitTlsPort,
      frameLabel: ctx.frameLabel,
      formatTime: ctx.formatTime,
      limits: options.limits,
      keys: ctx.keys,
      onPlaintext(conn, direction, bytes, frame) {
        if (String(conn.id) !== id) return;
        const label = ctx.frameLabel(frame);
        res.chunks.push({ kind: 'data', direction, bytes: Uint8Array.from(bytes), firstFrame: label, lastFrame: label });
      },
    },
    (s) => {
      if (s.id === id) res.tls = s.tls;
    },
  );
  return {
    open(conn: ConnectionInfo): StreamHandler {
      if (String(conn.id) === id) res.connection = conn;
      return sessions.open(conn);
    },
  };
}
