/**
 * Runs the real capture → decode → tcp pipeline over a fixture and keeps every
 * connection's reassembled bytes per direction, for comparison with tshark.
 */
import { readCapture } from '../../src/capture/input.js';
import { buildPipeline } from '../../src/analyze.js';
import type { ConnectionInfo, ConnectionSummary, StreamHandler } from '../../src/tcp/stream.js';

export interface CollectedStream {
  info: ConnectionInfo;
  client: Buffer;
  server: Buffer;
  gaps: number;
  summary: ConnectionSummary | null;
}

export async function collectStreams(path: string): Promise<CollectedStream[]> {
  const streams: CollectedStream[] = [];
  const pipeline = buildPipeline([path], {}, () => ({
    open(info: ConnectionInfo): StreamHandler {
      const parts = { client: [] as Buffer[], server: [] as Buffer[] };
      const s: CollectedStream = { info, client: Buffer.alloc(0), server: Buffer.alloc(0), gaps: 0, summary: null };
      streams.push(s);
      return {
        data(dir, bytes) { parts[dir].push(Buffer.from(bytes)); },
        gap() { s.gaps++; },
        close(summary) {
          s.client = Buffer.concat(parts.client);
          s.server = Buffer.concat(parts.server);
          s.summary = summary;
        },
      };
    },
  }));
  pipeline.startInput(0);
  await readCapture(path, pipeline.sink);
  pipeline.assembler.finish();
  return streams.sort((a, b) => a.info.id - b.info.id);
}
