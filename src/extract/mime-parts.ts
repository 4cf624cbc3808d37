/**
 * What a message holds, read with postal-mime (docs/extraction.md says why that
 * library): its decoded headers and its attachments, the parts that are not the
 * text or HTML body (RFC 2045–2047 decoding, RFC 2231 names). A forwarded
 * message (message/rfc822) is an attachment as it stands, and is read in turn
 * for its own attachments, down to the depth cap. Archives are not opened.
 */
import PostalMime, { type Email } from 'postal-mime';
import { decodeHeaderWords } from '../pop3/header-words.js';
import type { ExtractCap } from './extract-limits.js';

export interface MessageHeaderFields {
  from: string | null;
  to: string | null;
  subject: string | null;
  date: string | null;
  messageId: string | null;
}

export interface MimeAttachment {
  filename: string | null;
  contentType: string;
  content: Uint8Array;
  /** Index in the list of the forwarded message this part came from. */
  parent?: number;
}

export interface MimeContent {
  headers: MessageHeaderFields;
  attachments: MimeAttachment[];
  /** Caps hit while reading (the parts past them are not listed). */
  limits: ExtractCap[];
  /** Why (part of) the message could not be read, in words. */
  problems: string[];
}

export interface MimeCaps {
  maxMimeDepth: number;
  maxMimeParts: number;
}

/** Reads one message's headers and attachments; never throws for what the message holds. */
export async function readMime(bytes: Uint8Array, caps: MimeCaps): Promise<MimeContent> {
  const out: MimeContent = { headers: NO_HEADERS, attachments: [], limits: [], problems: [] };
  const top = await parse(bytes, caps.maxMimeDepth, caps, out);
  if (!top) return out;
  out.headers = headerFields(top);
  await collect(top, 1, undefined, caps, out);
  return out;
}

const NO_HEADERS: MessageHeaderFields = { from: null, to: null, subject: null, date: null, messageId: null };

async function collect(email: Email, depth: number, parent: number | undefined, caps: MimeCaps, out: MimeContent): Promise<void> {
  for (const a of email.attachments) {
    if (out.attachments.length >= caps.maxMimeParts) {
      addCap(out, 'mime-parts');
      return;
    }
    const content = a.content instanceof ArrayBuffer ? new Uint8Array(a.content)
      : typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
    const item: MimeAttachment = { filename: a.filename, contentType: a.mimeType, content };
    if (parent !== undefined) item.parent = parent;
    out.attachments.push(item);
    if (a.mimeType !== 'message/rfc822') continue;
    if (depth >= caps.maxMimeDepth) {
      addCap(out, 'mime-depth');
      continue;
    }
    const inner = await parse(content, caps.maxMimeDepth - depth, caps, out);
    if (inner) await collect(inner, depth + 1, out.attachments.length - 1, caps, out);
  }
}

async function parse(bytes: Uint8Array, depth: number, caps: MimeCaps, out: MimeContent): Promise<Email | null> {
  try {
    return await PostalMime.parse(bytes, {
      // A forwarded message is kept whole as an attachment (and read on its own by collect()).
      forceRfc822Attachments: true,
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: Math.max(1, depth),
      maxPartCount: Math.max(1, caps.maxMimeParts),
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EMAXNESTINGDEPTH') addCap(out, 'mime-depth');
    else if (code === 'EMAXPARTCOUNT') addCap(out, 'mime-parts');
    else out.problems.push(`MIME not readable: ${(e as Error).message}`);
    return null;
  }
}

function addCap(out: MimeContent, cap: ExtractCap): void {
  if (!out.limits.includes(cap)) out.limits.push(cap);
}

/**
 * From, To, Subject as people read them: as sent, RFC 2047 decoded by the function the
 * transcript's header summary uses (postal-mime's own decoding of `subject` and of
 * address names reads a character split across two encoded words as two U+FFFD);
 * Date and Message-ID as sent.
 */
function headerFields(email: Email): MessageHeaderFields {
  const raw = (key: string) => email.headers.find((h) => h.key === key)?.value.trim() ?? null;
  const decoded = (key: string) => {
    const v = raw(key);
    return v === null ? null : decodeHeaderWords(v);
  };
  return {
    from: decoded('from'),
    to: decoded('to'),
    subject: decoded('subject'),
    date: raw('date'),
    messageId: raw('message-id'),
  };
}
