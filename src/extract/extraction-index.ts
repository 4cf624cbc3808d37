/**
 * DIR/index.json: what an extraction wrote, with the proof of what each file is
 * (sha256) and where it came from (session, frames). `docs/extraction.md`
 * describes every field; `--format json` prints the same document.
 */
import type { MessageCut } from '../pop3/message-data.js';
import type { ExtractCap } from './extract-limits.js';

export const EXTRACT_SCHEMA_VERSION = 1;

export interface ExtractionIndex {
  schemaVersion: number;
  tool: { name: string; version: string };
  /** The output directory's real path. */
  outputDir: string;
  messages: ExtractedMessage[];
  /** Caps hit (name → times), as in the analysis result's `limits`. */
  limits: Record<string, number>;
  warnings: string[];
}

/** Why a message file is not the whole message: a cut in the capture, a TOP answer, or a cap. */
export type IncompleteReason = MessageCut | 'top' | ExtractCap;

export interface ExtractedMessage {
  session: string;
  /** The message number RETR/TOP asked for (null when the argument was not a number). */
  message: number | null;
  command: 'RETR' | 'TOP';
  /** Relative to the output directory, `/`-separated; null when a cap left it unwritten. */
  file: string | null;
  /** Octets written to `file` (with `file` null: octets that arrived). */
  octets: number;
  /** The whole message as the server sent it, after dot-unstuffing: false for TOP, a cut or a cap. */
  complete: boolean;
  /** Why not complete (null when complete). */
  reason: IncompleteReason | null;
  /** Of the octets in `file` (with `file` null: of those that arrived). */
  sha256: string;
  from: string | null;
  to: string | null;
  subject: string | null;
  date: string | null;
  messageId: string | null;
  firstFrame: number | string;
  lastFrame: number | string;
  /** Octets missing inside the data (capture gaps, cut lines): where in `file` and how many (null: unknown). */
  gaps?: { offset: number; octets: number | null; reason: MessageCut }[];
  /** Caps hit while writing this message or its attachments. */
  limits?: ExtractCap[];
  attachments: ExtractedAttachment[];
}

export interface ExtractedAttachment {
  /** The name the sender gave, decoded (RFC 2047/2231); null when the part named none. */
  filename: string | null;
  /** The safe name it was written under, relative to the output directory; null when a cap left it unwritten. */
  file: string | null;
  contentType: string;
  /** Decoded octets. */
  octets: number;
  sha256: string;
  /** Index (in this list) of the forwarded message (message/rfc822) this part was inside, if any. */
  parent?: number;
  /** Cut with its message (a TOP answer or a cut capture): the decoded bytes are what arrived. */
  complete?: false;
}
