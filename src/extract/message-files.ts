/**
 * The message-data sink of an extraction: each RETR/TOP answer streams into its
 * own file under DIR/messages/ as the dissector hands on its unstuffed bytes,
 * hashed on the way, so memory stays bounded whatever the message size. A
 * message is held in memory only until it passes a small buffer; then its file
 * is opened, and with very many open at once each write opens and closes it, so
 * descriptors stay bounded too.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import type { MessageCut, MessageDataSink, MessageDataStart, MessageDataWriter } from '../pop3/message-data.js';
import type { ExtractCap } from './extract-limits.js';
import { type OutputDir, writeAll } from './output-dir.js';
import { UniqueNames } from './safe-name.js';

/** A message smaller than this is written in one go when it ends. */
const BUFFER_BYTES = 64 * 1024;
/** Message files kept open at once; past it, writes open and close their file. */
const MAX_OPEN_FILES = 256;

export const MESSAGES_DIR = 'messages';

/** What the sink knows of one message when its data has ended. */
export interface MessageRecord {
  start: MessageDataStart;
  /** Order of opening: the index lists messages in stream order within a session. */
  seq: number;
  /** Name in MESSAGES_DIR; null when the total cap left it unwritten. */
  name: string | null;
  octets: number;
  sha256: string;
  cut: MessageCut | null;
  lastFrame: number | string;
  gaps: { offset: number; octets: number | null; reason: MessageCut }[];
  limits: ExtractCap[];
}

export interface MessageFileCaps {
  maxMessageBytes: number;
  maxTotalBytes: number;
}

export class MessageFiles implements MessageDataSink {
  readonly records: MessageRecord[] = [];
  /** Octets written so far by the whole extraction (attachments add theirs later). */
  written = 0;
  openFiles = 0;
  private readonly names = new UniqueNames();
  private dir: string | null = null;

  constructor(
    readonly out: OutputDir,
    readonly caps: MessageFileCaps,
    private readonly accept: (start: MessageDataStart) => boolean = () => true,
  ) {}

  open(start: MessageDataStart): MessageDataWriter | null {
    if (!this.accept(start)) return null;
    const record: MessageRecord = {
      start, seq: this.records.length, name: null, octets: 0, sha256: '', cut: null,
      lastFrame: start.firstFrame, gaps: [], limits: [],
    };
    this.records.push(record);
    if (this.written >= this.caps.maxTotalBytes) {
      record.limits.push('extract-bytes');
      return new MessageFile(this, record, null);
    }
    this.dir ??= this.out.dir(MESSAGES_DIR);
    const stem = `s${start.session}-${start.command.toLowerCase()}-${start.number ?? 'x'}`;
    record.name = this.names.take(`${stem}.eml`);
    return new MessageFile(this, record, this.dir);
  }
}

class MessageFile implements MessageDataWriter {
  private readonly hash: Hash = createHash('sha256');
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private fd: number | null = null;
  /** Once the file was opened and closed again (too many open), writes append. */
  private reopen = false;
  private created = false;

  constructor(private readonly files: MessageFiles, private readonly record: MessageRecord, private readonly dir: string | null) {}

  write(bytes: Uint8Array): void {
    const r = this.record;
    if (this.dir === null || r.name === null) {
      // Not written (the total cap): its size and hash still say what arrived.
      this.hash.update(bytes);
      r.octets += bytes.length;
      return;
    }
    const caps = this.files.caps;
    let piece = bytes;
    const room = Math.min(caps.maxMessageBytes - r.octets, caps.maxTotalBytes - this.files.written);
    if (piece.length > room) {
      piece = piece.subarray(0, Math.max(0, room));
      const cap: ExtractCap = caps.maxMessageBytes - r.octets <= caps.maxTotalBytes - this.files.written ? 'message-bytes' : 'extract-bytes';
      if (!r.limits.includes(cap)) r.limits.push(cap);
    }
    if (piece.length === 0) return;
    this.hash.update(piece);
    r.octets += piece.length;
    this.files.written += piece.length;
    if (this.fd === null && !this.reopen && this.buffered + piece.length <= BUFFER_BYTES) {
      this.chunks.push(piece.slice());
      this.buffered += piece.length;
      return;
    }
    this.flush(piece);
  }

  lost(octets: number | null, reason: MessageCut): void {
    this.record.gaps.push({ offset: this.record.octets, octets, reason });
  }

  end(cut: MessageCut | null, lastFrame: number | string): void {
    const r = this.record;
    r.cut = cut ?? r.gaps[0]?.reason ?? null;
    r.lastFrame = lastFrame;
    if (this.dir !== null && r.name !== null) {
      this.flush(null);
      this.closeFd();
    }
    r.sha256 = this.hash.digest('hex');
  }

  /** Writes what is buffered and `piece` to the file, creating it first. */
  private flush(piece: Uint8Array | null): void {
    const shown = join(this.dir!, this.record.name!);
    if (this.fd === null) {
      if (!this.created) {
        this.fd = this.files.out.create(this.dir!, this.record.name!);
        this.created = true;
      } else {
        this.fd = openSync(join(this.files.out.root, shown), constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
      }
      this.files.openFiles++;
    }
    for (const c of this.chunks) writeAll(this.fd, c, shown);
    this.chunks = [];
    this.buffered = 0;
    if (piece) writeAll(this.fd, piece, shown);
    if (this.files.openFiles > MAX_OPEN_FILES) {
      this.closeFd();
      this.reopen = true;
    }
  }

  private closeFd(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.files.openFiles--;
  }
}
