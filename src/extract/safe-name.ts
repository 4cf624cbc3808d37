/**
 * File names for attachments, whose names the sender chose: whatever the name
 * holds, the result is one plain file name that is valid on Linux, macOS and
 * Windows and cannot leave its directory. `UniqueNames` keeps the names of one
 * directory apart (case-insensitively, as on macOS and Windows).
 */

/** Bytes of a name at most (file systems allow 255; room is left for a `-NNN` suffix). */
export const MAX_NAME_BYTES = 200;
/** An extension longer than this is part of the stem, not kept whole. */
const MAX_EXTENSION_BYTES = 32;

/** C0 and C1 controls, DEL, and the format characters that reorder or hide text (bidi overrides, zero-width). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
/** Characters Windows does not allow in a name. */
const WINDOWS_UNSAFE = /[<>:"|?*]/g;
/** Device names Windows reserves, with or without an extension (`CON.txt` opens the console). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Extensions for parts that named no file, by content type. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'message/rfc822': '.eml',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
};

/**
 * A safe file name for a name a sender gave (or null): the last path component
 * (`/` and `\` both separate), without control or Windows-unsafe characters
 * (each becomes `_`), leading dots, or trailing dots and spaces; a reserved
 * device name gets a `_` in front; at most MAX_NAME_BYTES of UTF-8, the
 * extension kept. An empty result becomes `fallback` plus an extension for the
 * content type.
 */
export function safeFileName(name: string | null | undefined, fallback: string, contentType = ''): string {
  let s = (name ?? '').normalize('NFC');
  const parts = s.split(/[/\\]/);
  s = parts[parts.length - 1] ?? '';
  s = s.replace(CONTROL, '_').replace(WINDOWS_UNSAFE, '_');
  s = s.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');
  if (s === '' || /^_+$/.test(s)) s = fallback + (EXTENSIONS[contentType.toLowerCase()] ?? '.bin');
  if (RESERVED.test(s)) s = `_${s}`;
  return limitBytes(s, MAX_NAME_BYTES);
}

/** Cuts the stem so the whole name fits `max` UTF-8 bytes, keeping a short extension. */
export function limitBytes(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(name.slice(dot)) <= MAX_EXTENSION_BYTES && !/\s/.test(name.slice(dot))
    ? name.slice(dot) : '';
  const stem = ext ? name.slice(0, dot) : name;
  return cutToBytes(stem, max - Buffer.byteLength(ext)) + ext;
}

/** The longest prefix of whole code points within `max` UTF-8 bytes. */
function cutToBytes(s: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/** Names already used in one directory; a repeat gets `-2`, `-3`, … before its extension. */
export class UniqueNames {
  private readonly used = new Set<string>();

  take(name: string): string {
    let candidate = name;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) {
      const dot = name.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
      const suffix = `-${n}`;
      candidate = cutToBytes(stem, MAX_NAME_BYTES - Buffer.byteLength(suffix + ext)) + suffix + ext;
    }
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
