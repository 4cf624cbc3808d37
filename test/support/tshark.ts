/**
 * Readers for what tshark said about each fixture, stored beside it in fixtures/tshark/
 * at recording time, so tests compare against Wireshark without running it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = new URL('../../fixtures/captures/', import.meta.url).pathname;
/** The bundled sample `npm start` analyses sits at the top of fixtures/. */
export const SAMPLE = new URL('../../fixtures/sample.pcapng', import.meta.url).pathname;
export const TSHARK_DIR = new URL('../../fixtures/tshark/', import.meta.url).pathname;

/** Every real capture (fixtures/captures/ and the sample), by file name. A missing folder throws: no silent empty list. */
export function fixtureCaptures(): string[] {
  const names = readdirSync(FIXTURES).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f));
  return [...names, 'sample.pcapng'].sort();
}

/**
 * The captures fixtures/README.md documents, by file name (its table's first
 * column): what the tests expect to find, so a loop over fixtures that went
 * missing fails instead of running zero times.
 */
export function documentedCaptures(): string[] {
  const whole = readFileSync(new URL('../../fixtures/README.md', import.meta.url), 'utf8');
  // The section "## The captures" (up to the next `## `): the TLS fixtures under tls/ have their own.
  const readme = whole.slice(whole.indexOf('\n## The captures'), whole.indexOf('\n## ', whole.indexOf('\n## The captures') + 1));
  // A row's first cell may name several captures recorded alike (`a.pcap`, `b.pcap`).
  const firstCells = [...readme.matchAll(/^\| (`[^|]*)\|/gm)].map((m) => m[1]!);
  const names = firstCells.flatMap((cell) => [...cell.matchAll(/`([\w.-]+\.(?:pcap|pcapng)(?:\.gz)?)`/g)].map((m) => m[1]!));
  return [...new Set(names)].sort();
}

/** Where a fixture named by file name lives. */
export function fixturePath(name: string): string {
  return name === 'sample.pcapng' ? SAMPLE : join(FIXTURES, name);
}

export interface FollowStream {
  stream: number;
  /** Node 0 sent the first packet of the stream (the client when the handshake was captured). */
  node0: string;
  node1: string;
  /** Bytes per node, concatenated in order. */
  bytes0: Buffer;
  bytes1: Buffer;
  /** Chunks in the order tshark printed them. */
  chunks: { node: 0 | 1; bytes: Buffer }[];
}

/** Parses the unmodified output of `tshark -q -z follow,tcp,raw,N`. */
export function parseFollowRaw(text: string, stream: number): FollowStream {
  const lines = text.split('\n');
  let node0 = '';
  let node1 = '';
  const chunks: { node: 0 | 1; bytes: Buffer }[] = [];
  for (const line of lines) {
    if (line.startsWith('Node 0: ')) node0 = line.slice(8).trim();
    else if (line.startsWith('Node 1: ')) node1 = line.slice(8).trim();
    else if (/^\t?[0-9a-f]+$/.test(line) && line.trim().length > 0 && line.trim().length % 2 === 0) {
      chunks.push({ node: line.startsWith('\t') ? 1 : 0, bytes: Buffer.from(line.trim(), 'hex') });
    }
  }
  return {
    stream, node0, node1, chunks,
    bytes0: Buffer.concat(chunks.filter((c) => c.node === 0).map((c) => c.bytes)),
    bytes1: Buffer.concat(chunks.filter((c) => c.node === 1).map((c) => c.bytes)),
  };
}

/** All follow outputs stored for one capture, by stream number. */
export function followStreams(capture: string): FollowStream[] {
  const base = baseName(capture);
  const re = new RegExp(`^${escapeRe(base)}\\.follow-(\\d+)\\.txt$`);
  return readdirSync(TSHARK_DIR)
    .map((f) => ({ f, m: re.exec(f) }))
    .filter((x) => x.m)
    .map((x) => parseFollowRaw(readFileSync(join(TSHARK_DIR, x.f), 'utf8'), Number(x.m![1])))
    .sort((a, b) => a.stream - b.stream);
}

/** A tab-separated tshark fields file with a header row, as objects. */
export function readTsv(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = head.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

export function tsharkFile(capture: string, suffix: string): string {
  return join(TSHARK_DIR, `${baseName(capture)}.${suffix}`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Stored files are named for the capture without its extension. */
export function baseName(capture: string): string {
  return capture.replace(/\.gz$/, '').replace(/\.(pcap|pcapng)$/, '');
}
