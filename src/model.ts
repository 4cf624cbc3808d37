/**
 * The output contract: the object `analyze()` returns and `--format json` prints.
 * Types only, no logic. The pop3, rules and report layers build and read these;
 * docs/output.schema.json describes the same shape for scripts in other languages.
 * Add fields freely; renaming one means bumping SCHEMA_VERSION.
 */
import type { CaptureInfo, CaptureWarning } from './capture/packet.js';
import type { StreamAnomaly, StreamGap } from './tcp/stream.js';
import type { SECRET_LENGTH } from './redaction.js';

export const SCHEMA_VERSION = 1;

export type { CaptureInfo, CaptureWarning, StreamAnomaly, StreamGap };

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export type Transport = 'plain' | 'stls' | 'implicit-tls';
export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';
export type SessionEnd = 'quit' | 'fin' | 'rst' | 'capture-end' | 'idle' | 'evicted';

export interface EndpointOut {
  ip: string;
  port: number;
}

/** One command or one response line (with its multi-line data, if any). */
export interface TranscriptEntry {
  /** The frame that completed it (its last segment), as Wireshark shows it. Text with several inputs: `file#frame`. */
  frame: number | string;
  /** Every frame that carried its bytes, when more than one. */
  frames?: (number | string)[];
  time: string;
  from: 'client' | 'server';
  // client side
  /** Upper-cased keyword, e.g. `USER`; `*` for a SASL cancel; absent for SASL data lines. */
  command?: string;
  /** The argument as sent, or `[redacted]` for secrets unless --show-secrets. */
  argument?: string;
  /** Client line that is part of an AUTH exchange (base64 answer to a `+` challenge). */
  sasl?: boolean;
  /** True when this entry holds a secret (the argument is redacted unless asked). */
  secret?: boolean;
  // server side
  status?: '+OK' | '-ERR' | '+';
  text?: string;
  /** RFC 2449 extended response code without brackets, e.g. `IN-USE`, `SYS/TEMP`. */
  code?: string;
  /** The command this response answers (upper-cased keyword). */
  answers?: string;
  /** Multi-line data that followed a `+OK`. */
  data?: MultilineData;
  /** Line was not valid POP3 here (state, syntax, unmatched response, ...). */
  notes?: string[];
  /** The full raw line when it could not be parsed (raw text; outputs escape it). */
  raw?: string;
  /**
   * Octets of the line as sent, without its line end. Withheld on a line holding
   * a secret unless --show-secrets (a secret's length is a secret); the rules
   * then read it from `[SECRET_LENGTH]`, which no output prints.
   */
  length?: number;
  /** RFC 1939 state the session was in when this command arrived. */
  state?: Pop3State;
  /** Read from inside TLS (decrypted with a key log); absent for clear text. */
  tls?: true;
  /** The withheld `length` of a secret line, for the rules only (see src/redaction.ts). */
  [SECRET_LENGTH]?: number;
}

export interface MultilineData {
  /** Octets after dot-unstuffing, counting CRLF line ends, without the terminating `.`. */
  octets: number;
  lines: number;
  /** True when the terminating `.` line was seen. */
  complete: boolean;
  /** Ranges of frames that carried the data. */
  firstFrame: number | string;
  lastFrame: number | string;
  /** RETR/TOP: selected headers (RFC 2047 decoded). */
  headers?: MessageHeaders;
  /** CAPA, LIST, UIDL: the lines themselves (bounded). */
  lineItems?: string[];
  /** With --bodies only: the unstuffed text (bounded). */
  body?: string;
}

export interface MessageHeaders {
  from?: string;
  to?: string;
  subject?: string;
  date?: string;
  messageId?: string;
}

export interface AuthAttempt {
  /** `USER`, `APOP`, or the SASL mechanism name (`PLAIN`, `LOGIN`, `CRAM-MD5`, ...). */
  mechanism: string;
  user: string | null;
  outcome: 'success' | 'failure' | 'cancelled' | 'unknown';
  /** `[redacted]` unless --show-secrets; null when no secret crossed. */
  secret: string | null;
  /** Transport at the moment of the attempt. */
  encrypted: boolean;
  frames: (number | string)[];
  time: string;
  /** Server's response code on failure (e.g. `AUTH`, `IN-USE`). */
  code?: string;
  text?: string;
}

/** `decryptionReason` of a TLS session when no key log was given at all: text outputs then say nothing more than before. */
export const NO_KEY_LOG_REASON = 'no key log was given (--keylog, or a pcapng with embedded secrets)';

export interface TlsInfo {
  /** Frame where TLS started (first TLS record). */
  startFrame: number | string | null;
  recordVersion: string | null;
  clientVersions: string[];
  /** Negotiated version, e.g. `TLS 1.3`. */
  version: string | null;
  cipherSuite: string | null;
  cipherSuiteId: number | null;
  sni: string | null;
  alpn: string[];
  /** Encrypted application-data bytes per direction. */
  encryptedBytes: { client: number; server: number };
  alerts: string[];
  /** Decryption from a key log: `decrypted`, `no-keys`, `unsupported` (a version or suite not covered) or `failed` (records did not authenticate). */
  decryption: 'decrypted' | 'no-keys' | 'unsupported' | 'failed';
  /** Why, in words, when the status needs explaining (which suite, which frame, which direction stopped). */
  decryptionReason: string | null;
  /** Alerts read in clear past the first 8 listed in `alerts`: counted, not kept. Absent when none. */
  alertsDropped?: number;
}

export interface RetrievedMessage {
  number: number;
  command: 'RETR' | 'TOP';
  octets: number;
  /** The size LIST reported, where the session showed it. */
  listedOctets?: number;
  lines: number;
  uid?: string;
  from?: string;
  to?: string;
  subject?: string;
  date?: string;
  messageId?: string;
  frames: (number | string)[];
}

export interface DeletedMessage {
  number: number;
  octets?: number;
  uid?: string;
  subject?: string;
  frame: number | string;
}

/**
 * A connection on a POP3 port that is not POP3: what its first bytes look like
 * and how many were judged. The bytes themselves (which may hold an HTTP
 * `Authorization` header or another protocol's login) only with --show-secrets.
 */
export interface NotPop3 {
  /** `tls`, `http`, `ssh`, `text` (another text protocol) or `binary`. */
  kind: string;
  /** The side whose first bytes were not POP3. */
  direction: 'client' | 'server';
  /** How many leading bytes were judged (at most 64). */
  bytes: number;
  /** Those bytes, as latin-1 text: only with --show-secrets. */
  firstBytes?: string;
}

export interface SessionOut {
  id: string;
  client: EndpointOut;
  server: EndpointOut;
  start: string;
  end: string;
  ended: SessionEnd;
  transport: Transport;
  /** The connection was already open when the capture started. */
  midstream: boolean;
  /** How the session was found: its server port is a POP3 port, or its first bytes are POP3 (content detection). */
  detection?: 'port' | 'content';
  /** Tunnel layers outside the innermost IP header, outermost first (`["gre"]`, `["l2tp","ppp"]`); absent when not tunnelled. */
  encapsulation?: string[];
  /** The stream on a POP3 port did not look like POP3 (first bytes kept, sanitised). */
  notPop3?: NotPop3;
  bytes: { client: number; server: number };
  gaps: StreamGap[];
  anomalies: StreamAnomaly[];
  greeting: { text: string; apopTimestamp: string | null; frame: number | string } | null;
  capabilities: string[] | null;
  saslMechanisms: string[];
  user: string | null;
  auth: AuthAttempt[];
  tls: TlsInfo | null;
  messages: {
    /** LIST/STAT facts seen: message number -> size. */
    listed: { number: number; octets: number; uid?: string }[];
    retrieved: RetrievedMessage[];
    /** Message numbers marked with DELE and not reset (the DESIGN's contract: plain numbers). */
    deleted: number[];
    /** The same deletions with what the session showed of each message. */
    deletedDetails: DeletedMessage[];
    /** True when QUIT was answered +OK in TRANSACTION: the deletions above were applied. */
    committed: boolean;
  };
  state: Pop3State;
  /** Named protocol anomalies with counts (`unknown-command`, `bare-lf`, `pipeline-overflow`, ...). */
  events: Record<string, number>;
  transcript: TranscriptEntry[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  session: string | null;
  frames: (number | string)[];
  message: string;
  remediation: string;
  /** The problem's identity across recordings (32 hex digits; docs/rules.md lists what goes in per rule). */
  fingerprint: string;
  /** Set when a policy suppression matched: the finding is reported but does not fail `check`. */
  suppressed?: { justification: string; expires?: string };
  /** With `check --baseline`: `unchanged` when the baseline holds the fingerprint (known), else `new`. */
  baselineState?: 'new' | 'unchanged';
  /** Rule-specific facts (user names tried, messages deleted, ...). */
  details?: Record<string, unknown>;
  /**
   * JSON Lines only: an early notice, written when a rule that compares sessions saw its
   * threshold crossed; the final finding follows at the end of the stream.
   */
  provisional?: true;
}

export interface AnalysisResult {
  schemaVersion: number;
  tool: { name: string; version: string };
  captures: CaptureInfo[];
  sessions: SessionOut[];
  findings: Finding[];
  /** Resource caps that were hit during the analysis, with counts. */
  limits: Record<string, number>;
  /**
   * TCP connections seen on POP3 ports or found to be POP3; `empty` ones carried no payload and are not
   * listed as sessions; `dropped` (when some were): other TCP connections content detection judged not POP3.
   */
  connections?: { total: number; empty: number; dropped?: number };
  /** Problems with the policy itself, e.g. a suppression that expired and no longer applies. */
  policyWarnings?: string[];
  /** `check --baseline`: how this run's findings compare with the baseline's. */
  baseline?: BaselineComparison;
}

/** A finding of the baseline, as the baseline file shows it. */
export interface BaselineFinding {
  fingerprint: string;
  rule: string;
  message: string;
  severity: Severity | null;
}

export interface BaselineComparison {
  /** The baseline file as named on the command line. */
  file: string;
  /** Findings whose fingerprint the baseline does not hold. */
  new: number;
  /** Findings whose fingerprint the baseline holds (known). */
  unchanged: number;
  /** Baseline findings that this run no longer shows (fixed, or not exercised). */
  absent: BaselineFinding[];
}
