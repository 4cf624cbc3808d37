/** The caps of an extraction (docs/limits.md, `--limit NAME=N`): hitting one is a warning and a flag in the index. */
export interface ExtractLimits {
  /** Octets written per message file; the rest of the message is counted, not written. */
  maxMessageBytes?: number;
  /** Octets written by the whole extraction (messages and attachments); past it nothing more is written. */
  maxTotalBytes?: number;
  /** MIME nesting depth read for attachments: multiparts and forwarded messages inside each other. */
  maxMimeDepth?: number;
  /** MIME parts read per message. */
  maxMimeParts?: number;
}

export const EXTRACT_DEFAULT_LIMITS: Required<ExtractLimits> = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxMimeDepth: 8,
  maxMimeParts: 1000,
};

/** The `limits` names of these caps, as in the index and in `--limit`. */
export const EXTRACT_CAP_NAMES = {
  maxMessageBytes: 'message-bytes',
  maxTotalBytes: 'extract-bytes',
  maxMimeDepth: 'mime-depth',
  maxMimeParts: 'mime-parts',
} as const;

export type ExtractCap = (typeof EXTRACT_CAP_NAMES)[keyof typeof EXTRACT_CAP_NAMES];
