/**
 * `pop3scope extract` as a library: the analysis runs with a message-data sink
 * that streams every RETR/TOP answer into DIR/messages/; then each message is
 * read back, one at a time, for its headers and attachments (DIR/attachments/),
 * and DIR/index.json lists it all with sha256s. Extraction is an output beside
 * report/: the dissector only hands on bytes, and knows nothing of files.
 */
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { analyze, type AnalyzeOptions, type Input } from '../analyze.js';
import type { AnalysisResult } from '../model.js';
import type { MessageDataStart } from '../pop3/message-data.js';
import { stripUndefined } from '../limits.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { EXTRACT_DEFAULT_LIMITS, type ExtractCap, type ExtractLimits } from './extract-limits.js';
import {
  EXTRACT_SCHEMA_VERSION, type ExtractedAttachment, type ExtractedMessage, type ExtractionIndex, type IncompleteReason,
} from './extraction-index.js';
import { MESSAGES_DIR, MessageFiles, type MessageRecord } from './message-files.js';
import { readMime } from './mime-parts.js';
import { OutputDir } from './output-dir.js';
import { safeFileName, UniqueNames } from './safe-name.js';

export const ATTACHMENTS_DIR = 'attachments';
export const INDEX_FILE = 'index.json';

export interface ExtractOptions {
  outputDir: string;
  /** Replace files already in the output directory (only regular files, never through a symlink). */
  force?: boolean;
  limits?: ExtractLimits;
  /** Which answers to write, decided when their data begins (e.g. the session filters). */
  accept?: (start: MessageDataStart) => boolean;
}

export class Extraction {
  readonly out: OutputDir;
  readonly sink: MessageFiles;
  private readonly limits: Required<ExtractLimits>;

  constructor(options: ExtractOptions) {
    this.limits = { ...EXTRACT_DEFAULT_LIMITS, ...stripUndefined(options.limits ?? {}) };
    this.out = new OutputDir(options.outputDir, Boolean(options.force));
    this.sink = new MessageFiles(this.out, this.limits, options.accept);
  }

  /** After the analysis: attachments of every message written, and the index. */
  async finish(): Promise<ExtractionIndex> {
    const capsHit: Record<string, number> = {};
    const warnings: string[] = [];
    const records = [...this.sink.records].sort((a, b) => Number(a.start.session) - Number(b.start.session) || a.seq - b.seq);
    const messages: ExtractedMessage[] = [];
    for (const r of records) {
      const m = await this.message(r, warnings);
      for (const cap of m.limits ?? []) capsHit[cap] = (capsHit[cap] ?? 0) + 1;
      messages.push(m);
    }
    for (const [cap, n] of Object.entries(capsHit)) {
      warnings.push(`limit reached for ${n} message${n === 1 ? '' : 's'}: ${CAP_TEXT[cap as ExtractCap]} (see docs/limits.md)`);
    }
    const index: ExtractionIndex = {
      schemaVersion: EXTRACT_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      outputDir: this.out.root,
      messages,
      limits: capsHit,
      warnings,
    };
    this.out.writeFile('', INDEX_FILE, Buffer.from(JSON.stringify(index, null, 2) + '\n'));
    return index;
  }

  private async message(r: MessageRecord, warnings: string[]): Promise<ExtractedMessage> {
    const s = r.start;
    const limits = [...r.limits];
    const m: ExtractedMessage = {
      session: s.session, message: s.number, command: s.command,
      file: r.name === null ? null : this.out.relative(MESSAGES_DIR, r.name),
      octets: r.octets, complete: false, reason: null, sha256: r.sha256,
      from: null, to: null, subject: null, date: null, messageId: null,
      firstFrame: s.firstFrame, lastFrame: r.lastFrame, attachments: [],
    };
    if (r.gaps.length > 0) m.gaps = r.gaps;
    const what = `session ${s.session} ${s.command} ${s.number ?? '?'}`;
    if (r.name !== null) {
      const mime = await readMime(this.readBack(r.name), this.limits);
      Object.assign(m, mime.headers);
      for (const p of mime.problems) warnings.push(`${what}: ${p}`);
      for (const cap of mime.limits) if (!limits.includes(cap)) limits.push(cap);
      const partial = r.cut !== null || s.command === 'TOP' || firstByteCap(r.limits) !== null;
      m.attachments = this.attachments(r.name, mime.attachments, partial, limits);
    }
    const reason: IncompleteReason | null = r.cut ?? (s.command === 'TOP' ? 'top' : null) ?? firstByteCap(r.limits);
    m.complete = reason === null;
    m.reason = reason;
    if (limits.length > 0) m.limits = limits;
    return m;
  }

  private attachments(messageName: string, parts: Awaited<ReturnType<typeof readMime>>['attachments'], partial: boolean, limits: ExtractCap[]): ExtractedAttachment[] {
    if (parts.length === 0) return [];
    const names = new UniqueNames();
    const folder = messageName.replace(/\.eml$/, '');
    let dir: string | null = null;
    return parts.map((p, i) => {
      const a: ExtractedAttachment = {
        filename: p.filename, file: null, contentType: p.contentType, octets: p.content.length,
        sha256: createHash('sha256').update(p.content).digest('hex'),
      };
      if (p.parent !== undefined) a.parent = p.parent;
      if (partial) a.complete = false;
      if (this.sink.written + p.content.length > this.limits.maxTotalBytes) {
        if (!limits.includes('extract-bytes')) limits.push('extract-bytes');
        return a;
      }
      dir ??= this.out.dir(ATTACHMENTS_DIR, folder);
      const name = names.take(safeFileName(p.filename, `part-${i + 1}`, p.contentType));
      this.out.writeFile(dir, name, p.content);
      this.sink.written += p.content.length;
      a.file = this.out.relative(dir, name);
      return a;
    });
  }

  /** A message file this extraction wrote, read back without following a symlink. */
  private readBack(name: string): Buffer {
    const fd = openSync(join(this.out.root, MESSAGES_DIR, name), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

const CAP_TEXT: Readonly<Record<ExtractCap, string>> = {
  'message-bytes': 'messages longer than the per-message cap were written up to it',
  'extract-bytes': 'the total the extraction may write was reached; later messages and attachments were not written',
  'mime-depth': 'MIME parts nested deeper than the cap were not read for attachments',
  'mime-parts': 'messages with more MIME parts than the cap had only the first read',
};

/** A byte cap on the message file makes it incomplete; the other caps only limit what was read or written beside it. */
function firstByteCap(limits: ExtractCap[]): IncompleteReason | null {
  return limits.find((c) => c === 'message-bytes' || c === 'extract-bytes') ?? null;
}

/**
 * Extracts every retrieved message of the captures into `options.outputDir`.
 * Returns the index (also written as DIR/index.json) and the analysis result.
 */
export async function extract(
  inputs: Input | Input[],
  options: AnalyzeOptions & ExtractOptions,
): Promise<{ index: ExtractionIndex; result: AnalysisResult }> {
  const extraction = new Extraction(options);
  const result = await analyze(inputs, { ...options, messageData: extraction.sink });
  const index = await extraction.finish();
  return { index, result };
}
