/**
 * Reading one capture input (a file, standard input or any readable stream)
 * through the CaptureReader, inflating gzip on the way when the first bytes
 * say so (1f 8b), whatever the file is called.
 *
 * Files are read with large `read()` calls into one reused buffer: the reader
 * copies only the unfinished record at the end of each block, so a plain
 * capture streams through without per-block allocation.
 */
import { once } from 'node:events';
import { fstatSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { TransformOptions } from 'node:stream';
import zlib from 'node:zlib';
import { CaptureInputError } from './input-error.js';
import type { CaptureInfo, PacketSink } from './packet.js';
import { CaptureReader, type CaptureReaderOptions } from './reader.js';

export interface ReadCaptureOptions extends CaptureReaderOptions {
  /** The name reported as `CaptureInfo.path` for a stream source. Default `-`. */
  name?: string;
  /** Bytes per file read. Default 4 MiB (1 to 8 MiB measured alike; 16 MiB was slower). */
  blockSize?: number;
  /**
   * gzip bomb guard: stop (fatal `gzip-expansion-limit`) once the inflated
   * bytes exceed `gzipMaxRatio` times the compressed bytes read so far AND
   * exceed `gzipRatioFloor`. Real captures compress 2 to 20 times; defaults
   * 1000 and 64 MiB, so only a crafted stream trips it.
   */
  gzipMaxRatio?: number;
  gzipRatioFloor?: number;
  /** Hard cap on inflated bytes, whatever the ratio. Default: none. */
  maxInflatedBytes?: number;
  /**
   * Asked after each block handed to the reader, with the bytes handed so far
   * (inflated, for gzip): true stops reading there, quietly. For a peek at the
   * start of an input, which then costs what reading that much costs.
   */
  stopWhen?: (bytesHanded: number) => boolean;
  /** Called after each block with the input bytes read (compressed, for gzip) and the file size when known. */
  onProgress?: (bytesRead: number, size: number | null) => void;
  /**
   * Ends the input early (Ctrl-C, a stop request): reading stops at once, even while
   * waiting on a quiet pipe, and what was read so far is the whole capture.
   */
  signal?: AbortSignal;
}

const DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024;
/** Compressed reads are handed to zlib, which may hold on to them, so each gets its own buffer of this size. */
const COMPRESSED_BLOCK_SIZE = 1024 * 1024;
const INFLATE_CHUNK_SIZE = 1024 * 1024;
/** Inflated (and compressed) bytes buffered ahead of the reader: inflating overlaps the analysis. */
const INFLATE_AHEAD = 8 * 1024 * 1024;

/**
 * Reads `source` (a path, `-` for standard input, or a stream) and calls
 * `sink.packet()` for every packet in file order. Damaged input resolves with
 * warnings in the returned CaptureInfo; only an input that cannot be read at
 * all (missing, a directory, unreadable) rejects, with a CaptureInputError.
 */
export async function readCapture(source: string | NodeJS.ReadableStream, sink: PacketSink, options: ReadCaptureOptions = {}): Promise<CaptureInfo> {
  const path = typeof source === 'string' ? source : options.name ?? '-';
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const input: ByteInput =
    typeof source === 'string' && source !== '-'
      ? await FileInput.open(source, blockSize)
      : (isStandardInput(source) && openStandardInput(blockSize)) ||
        new StreamInput(source === '-' ? process.stdin : (source as NodeJS.ReadableStream), path);
  const signal = options.signal;
  const next = (): Promise<Uint8Array | null> => (signal === undefined ? input.next() : untilAborted(input.next(), signal));
  const reader = new CaptureReader(sink, options);
  let compression: 'gzip' | null = null;
  let bytesRead = 0;
  const progress = (n: number): void => {
    bytesRead += n;
    options.onProgress?.(bytesRead, input.size);
  };
  try {
    let first = await next();
    if (first && first.length < 2) {
      const copy = Uint8Array.from(first);
      const more = await next();
      first = more ? Buffer.concat([copy, more]) : copy;
    }
    if (first && first[0] === 0x1f && first[1] === 0x8b) {
      compression = 'gzip';
      input.useFreshBuffers(COMPRESSED_BLOCK_SIZE);
      await inflate(reader, Uint8Array.from(first), next, options, progress);
    } else {
      let handed = 0;
      for (let chunk = first; chunk && !reader.stopped; chunk = await next()) {
        progress(chunk.length);
        reader.push(chunk);
        handed += chunk.length;
        if (options.stopWhen?.(handed)) break;
      }
    }
    reader.end();
  } finally {
    await input.close();
  }
  return reader.info(path, compression);
}

/** The input's next block, or null (the end) as soon as `signal` aborts. */
function untilAborted(read: Promise<Uint8Array | null>, signal: AbortSignal): Promise<Uint8Array | null> {
  if (signal.aborted) {
    read.catch(() => {});
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const stop = () => {
      // The read may still complete (or fail) later: its bytes belong to no one now.
      read.catch(() => {});
      resolve(null);
    };
    signal.addEventListener('abort', stop, { once: true });
    read.then(
      (chunk) => { signal.removeEventListener('abort', stop); resolve(chunk); },
      (err: unknown) => { signal.removeEventListener('abort', stop); reject(err); },
    );
  });
}

async function inflate(reader: CaptureReader, first: Uint8Array, next: () => Promise<Uint8Array | null>, options: ReadCaptureOptions, progress: (n: number) => void): Promise<void> {
  const maxRatio = options.gzipMaxRatio ?? 1000;
  const ratioFloor = options.gzipRatioFloor ?? 64 * 1024 * 1024;
  const maxInflated = options.maxInflatedBytes ?? Infinity;
  // Room to inflate ahead on the thread pool while the reader works on the main thread.
  const streamOptions: TransformOptions = { readableHighWaterMark: INFLATE_AHEAD, writableHighWaterMark: INFLATE_AHEAD };
  const gunzip = zlib.createGunzip({ chunkSize: INFLATE_CHUNK_SIZE, ...streamOptions } as zlib.ZlibOptions);
  const done = new AbortController();
  let compressed = 0;
  let inflated = 0;
  const feed = (async () => {
    for (let chunk: Uint8Array | null = first; chunk; chunk = await next()) {
      if (done.signal.aborted || gunzip.destroyed) return;
      compressed += chunk.length;
      progress(chunk.length);
      if (!gunzip.write(chunk)) await once(gunzip, 'drain', { signal: done.signal });
    }
    if (!gunzip.destroyed) gunzip.end();
  })().catch((err: unknown) => {
    // A read error must reach the caller: failing the inflater carries it to the loop below.
    if (err instanceof CaptureInputError) gunzip.destroy(err);
  });
  try {
    for await (const out of gunzip as AsyncIterable<Buffer>) {
      inflated += out.length;
      reader.push(out);
      if (reader.stopped || options.stopWhen?.(inflated)) break;
      if (inflated > maxInflated || (inflated > ratioFloor && inflated > maxRatio * compressed)) {
        reader.warn({
          code: 'gzip-expansion-limit',
          message: `gzip data inflated to ${inflated} bytes from ${compressed} compressed bytes, past the limit (${maxRatio}x beyond ${ratioFloor} bytes${Number.isFinite(maxInflated) ? `, at most ${maxInflated} bytes` : ''}); stopped reading`,
          offset: inflated,
          fatal: true,
        });
        break;
      }
    }
  } catch (err) {
    if (err instanceof CaptureInputError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') {
      reader.warn(
        {
          code: 'truncated-gzip',
          message: `the gzip stream is cut short after ${compressed} compressed bytes; the ${inflated} bytes inflated before the cut were read`,
          offset: inflated,
        },
        true,
      );
    } else {
      reader.warn({
        code: 'gzip-error',
        message: `the gzip data is damaged (${(err as Error).message}) after ${inflated} inflated bytes; what came before was read`,
        offset: inflated,
        fatal: true,
      });
    }
  } finally {
    done.abort();
    gunzip.destroy();
    await feed;
  }
}

/** A source of input blocks. A returned block may be overwritten by the next `next()` unless fresh buffers were asked for. */
interface ByteInput {
  readonly size: number | null;
  next(): Promise<Uint8Array | null>;
  useFreshBuffers(size: number): void;
  close(): Promise<void>;
}

/** `-`, or the process's own standard input stream (what the command line passes for `-`). */
function isStandardInput(source: string | NodeJS.ReadableStream): boolean {
  return source === '-' || (source as { fd?: unknown }).fd === 0;
}

/** Where a FileInput's bytes come from: an opened file, or standard input's descriptor. */
interface BlockSource {
  read(target: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
  /** True when `read` runs on the thread pool, so the next block can be read while this one is analysed. */
  readonly readsAhead: boolean;
}

/**
 * Standard input read in large blocks when it is a regular file or a pipe, without
 * the stream Node offers: that reads a pipe 64 KiB at a time, which made
 * `cat FILE | pop3scope analyze -` about twice as slow as reading FILE. A terminal
 * or a socket returns null, and the stream is read instead.
 */
function openStandardInput(blockSize: number): ByteInput | null {
  try {
    const stat = fstatSync(0);
    if (stat.isFile()) return new FileInput(STDIN_SOURCE, '-', stat.size, blockSize);
    if (!stat.isFIFO()) return null;
    return PipeInput.open(blockSize);
  } catch {
    return null;
  }
}

/**
 * A file read in blocks. Where the source reads on the thread pool, the next block is
 * asked for as soon as one is handed out, into the other of two buffers: the kernel's
 * copy out of the page cache then runs on the second core while the analysis works on
 * this block (the reader is done with a block when it asks for the next).
 */
class FileInput implements ByteInput {
  private freshSize = 0;
  private readonly buffers: [Buffer, Buffer];
  private turn = 0;
  private ahead: { target: Buffer; read: Promise<number> } | null = null;

  constructor(
    private readonly source: BlockSource,
    private readonly path: string,
    readonly size: number | null,
    blockSize: number,
  ) {
    this.buffers = [Buffer.allocUnsafe(blockSize), source.readsAhead ? Buffer.allocUnsafe(blockSize) : Buffer.alloc(0)];
  }

  static async open(path: string, blockSize: number): Promise<FileInput> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const stat = await handle.stat();
      // Opening a directory for reading succeeds on Linux; reading it fails later with a less clear message.
      if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      const file = handle;
      const source: BlockSource = {
        read: async (target, offset, length) => (await file.read(target, offset, length, null)).bytesRead,
        close: () => file.close(),
        readsAhead: true,
      };
      return new FileInput(source, path, stat.size, blockSize);
    } catch (err) {
      await handle?.close();
      throw CaptureInputError.from(path, err);
    }
  }

  async next(): Promise<Uint8Array | null> {
    const pending = this.ahead ?? this.start();
    this.ahead = null;
    let n: number;
    try {
      n = await pending.read;
    } catch (err) {
      throw CaptureInputError.from(this.path, err);
    }
    if (n === 0) return null;
    if (this.source.readsAhead) this.ahead = this.start();
    return pending.target.subarray(0, n);
  }

  /** Starts reading the next block into a buffer the caller no longer holds. */
  private start(): { target: Buffer; read: Promise<number> } {
    let target: Buffer;
    if (this.freshSize > 0) {
      target = Buffer.allocUnsafe(this.freshSize);
    } else {
      target = this.buffers[this.turn]!;
      if (this.source.readsAhead) this.turn ^= 1;
    }
    const read = this.source.read(target, 0, target.length);
    // A read ahead that fails is reported by the next() that takes it, or by nobody.
    read.catch(() => {});
    return { target, read };
  }

  useFreshBuffers(size: number): void {
    this.freshSize = size;
  }

  async close(): Promise<void> {
    // A read still in flight must finish before its file is closed.
    await this.ahead?.read.catch(() => {});
    this.ahead = null;
    await this.source.close();
  }
}

/** fd 0 holding a regular file, from its current position; it belongs to the process, so it is not closed. */
const STDIN_SOURCE: BlockSource = {
  read: async (target, offset, length) => readSync(0, target, offset, length, null),
  close: async () => {},
  readsAhead: false,
};

/**
 * Standard input when it is a pipe: each block holds what the pipe has now, so a
 * capture program writing slowly (tcpdump -U) is analysed as it arrives, and a fast
 * writer still fills whole blocks.
 *
 * The pipe (non-blocking, as Node leaves it) is drained with `readSync` until the
 * block is full or the pipe is empty: a pipe hands over at most 64 KiB per read, and a
 * trip through the event loop or the thread pool for each of those cost more than the
 * analysis (4.4 s against 0.25 s for a 1 GiB capture on a loaded 2-core machine).
 * Only when the pipe is empty does it wait, through `process.stdin`'s readable event
 * (the event loop's poll, so signals and timers run meanwhile, and no thread is stuck in
 * a read that would keep the process from exiting). What that stream read ahead is
 * taken first, so the bytes stay in order.
 */
class PipeInput implements ByteInput {
  readonly size = null;
  private freshSize = 0;
  private readonly buffer: Buffer;
  private ended = false;
  private failure: Error | null = null;

  private constructor(private readonly stream: NodeJS.ReadStream, blockSize: number) {
    this.buffer = Buffer.allocUnsafe(blockSize);
    stream.on('end', () => { this.ended = true; });
    stream.on('error', (err) => { this.failure = err; });
  }

  static open(blockSize: number): PipeInput | null {
    return new PipeInput(process.stdin, blockSize);
  }

  async next(): Promise<Uint8Array | null> {
    const target = this.freshSize > 0 ? Buffer.allocUnsafe(this.freshSize) : this.buffer;
    try {
      let filled = this.drain(target, this.takeReadAhead(target, 0));
      while (filled === 0 && !this.ended && this.failure === null) {
        // Empty: wait for the writer without holding the event loop.
        await this.readable();
        filled = this.drain(target, this.takeReadAhead(target, 0));
      }
      if (this.failure !== null) throw this.failure;
      return filled === 0 ? null : target.subarray(0, filled);
    } catch (err) {
      throw CaptureInputError.from('-', err);
    }
  }

  /** Bytes the stream already read from the pipe while it was watched. */
  private takeReadAhead(target: Buffer, filled: number): number {
    const n = Math.min(this.stream.readableLength, target.length - filled);
    if (n === 0) return filled;
    const chunk = this.stream.read(n) as Buffer | null;
    if (chunk === null) return filled;
    chunk.copy(target, filled);
    return filled + chunk.length;
  }

  /** Reads what the pipe holds now into `target` from `filled`; returns the new fill. */
  private drain(target: Buffer, filled: number): number {
    // Once the stream reads ahead, its buffer must be emptied before the pipe is read again.
    if (this.stream.readableLength > 0) return filled;
    while (filled < target.length && !this.ended) {
      let n: number;
      try {
        n = readSync(0, target, filled, target.length - filled, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw err;
      }
      if (n === 0) this.ended = true;
      filled += n;
    }
    return filled;
  }

  private readable(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.readableLength > 0 || this.stream.readableEnded) return resolve();
      const done = () => {
        this.stream.off('readable', done);
        this.stream.off('end', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('readable', done);
      this.stream.on('end', done);
      this.stream.on('error', done);
    });
  }

  useFreshBuffers(size: number): void {
    this.freshSize = size;
  }

  /** fd 0 belongs to the process: it is left open, and no longer watched. */
  async close(): Promise<void> {
    this.stream.pause();
  }
}

class StreamInput implements ByteInput {
  readonly size = null;
  private readonly chunks: AsyncIterator<string | Buffer>;

  constructor(stream: NodeJS.ReadableStream, private readonly path: string) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  async next(): Promise<Uint8Array | null> {
    try {
      const { value, done } = await this.chunks.next();
      if (done) return null;
      // A stream with an encoding set yields strings; the bytes are already decoded, so this is a best effort.
      return typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
    } catch (err) {
      throw CaptureInputError.from(this.path, err);
    }
  }

  /** Stream chunks are fresh buffers already. */
  useFreshBuffers(): void {}

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
