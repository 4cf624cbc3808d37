/**
 * Names what an input that is not a capture looks like, so "not a capture"
 * can say "this looks like a PNG image" instead of leaving the user guessing.
 */

interface Signature {
  bytes: number[];
  name: string;
}

const SIGNATURES: Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive' },
  { bytes: [0x1f, 0x8b], name: 'gzip data (compressed twice?)' },
  { bytes: [0x42, 0x5a, 0x68], name: 'bzip2 data (not supported: decompress it first)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz data (not supported: decompress it first)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd data (not supported: decompress it first)' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: 'a 7-Zip archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'an ELF executable' },
  { bytes: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00], name: 'a Solaris snoop capture (not supported: convert it with editcap)' },
  { bytes: [0x47, 0x4d, 0x42, 0x55], name: 'a Microsoft Network Monitor capture (not supported: convert it with editcap)' },
  { bytes: [0x58, 0x43, 0x50, 0x00], name: 'a NetXray/Sniffer capture (not supported: convert it with editcap)' },
];

/** A short phrase for what `head` (the first bytes of the input) looks like, or null when it is not recognised. */
export function describeContent(head: Uint8Array): string | null {
  for (const sig of SIGNATURES) {
    if (head.length >= sig.bytes.length && sig.bytes.every((b, i) => head[i] === b)) return sig.name;
  }
  if (looksLikeText(head)) return 'text';
  return null;
}

/** Printable ASCII, tabs and line ends, and valid UTF-8, throughout the sample. */
function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 512);
  if (sample.length === 0) return false;
  for (const b of sample) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  try {
    // `stream: true` tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}
