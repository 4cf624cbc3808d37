/**
 * Follow one TCP connection: its reassembled bytes per direction, with gaps,
 * as Wireshark's "Follow TCP Stream" shows them. Wired like analyze(), but the
 * handler of the chosen connection keeps bytes instead of dissecting POP3.
 */
import type { Timestamp } from './capture/packet.js';
import type { CaptureInfo } from './capture/packet.js';
import { readCapture } from './capture/input.js';
import type { ConnectionInfo, ConnectionSummary, Direction, StreamHandler } from './tcp/stream.js';
import { buildPipeline, type AnalyzeOptions, type Input } from './analyze.js';
import { orderInputs } from './input-order.js';

export type FollowChunk =
  | { kind: 'data'; direction: Direction; bytes: Uint8Array; firstFrame: number | string; lastFrame: number | string }
  | { kind: 'gap'; direction: Direction; length: number; frame: number | string };

export interface FollowResult {
  connection: ConnectionInfo | null;
  summary: ConnectionSummary | null;
  chunks: FollowChunk[];
  captures: CaptureInfo[];
}

const IGNORE: StreamHandler = { data() {}, gap() {}, close() {} };

/** Collects the chunks of connection `id` (as numbered in the sessions output). */
export async function followConnection(inputs: Input[], id: string, options: AnalyzeOptions = {}): Promise<FollowResult> {
  const list = await orderInputs(inputs);
  const labels = list.map((i, n) => (typeof i === 'string' ? i.split('/').pop()! : `input${n}`));
  const res: FollowResult = { connection: null, summary: null, chunks: [], captures: [] };
  const pipeline = buildPipeline(labels, options, (ctx) => ({
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
  for (let i = 0; i < list.length; i++) {
    pipeline.startInput(i);
    res.captures.push(await readCapture(list[i], pipeline.sink, {}));
  }
  pipeline.assembler.finish();
  return res;
}
