/**
 * The one place that wires the layers together:
 * capture → decode → tcp → pop3 (+ tls) → rules, into an AnalysisResult.
 * The command line and the library call the same function.
 */
import { basename } from 'node:path';
import type { Packet, CaptureInfo, CaptureWarning } from './capture/packet.js';
import { readCapture } from './capture/input.js';
import { formatTimestamp } from './capture/timestamp.js';
import { PacketDecoder } from './decode/decoder.js';
import { TcpAssembler } from './tcp/assembler.js';
import { type CaptureClock, MAX_CLOCK_STEP_SEC } from './tcp/capture-clock.js';
import type { StreamFactory } from './tcp/stream.js';
import { Pop3SessionFactory } from './pop3/session-factory.js';
import type { MessageDataSink } from './pop3/message-data.js';
import { lookupCommand } from './pop3/commands.js';
import { ContentDetector } from './detect/content-detector.js';
import type { Policy } from './rules/policy.js';
import { RuleRunner } from './rules/runner.js';
import { RULES } from './rules/registry.js';
import { expiredSuppressionWarnings, utcDate } from './rules/suppressions.js';
import { SCHEMA_VERSION, type AnalysisResult, type Finding, type SessionOut } from './model.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { orderInputs } from './input-order.js';
import { limitsHit, limitWarnings } from './limits.js';
import { KeyLogStore } from './tls/key-log.js';
import { latin1 } from './latin1.js';
import { DSB_TLS_KEY_LOG, isKeyLogText, readKeyLogFile, readKeyLogText } from './tls/key-log-file.js';

export type Input = string | NodeJS.ReadableStream;

export interface AnalyzeOptions {
  /** Plain POP3 ports (default [110]); --pop3-ports adds to them. */
  pop3Ports?: number[];
  /** Implicit-TLS POP3 ports (default [995]). */
  pop3sPorts?: number[];
  /** Find POP3 on other TCP ports by its first bytes (default true); false: the ports alone decide. */
  detect?: boolean;
  /** Reveal passwords, SASL secrets and tokens instead of `[redacted]`. */
  showSecrets?: boolean;
  /**
   * TLS key logs (NSS format, as SSLKEYLOGFILE writes them) to decrypt POP3S and
   * STLS sessions: paths, or key log text (a string holding a line break or
   * starting like a key log line, or bytes). Secrets embedded in a pcapng are
   * used without this.
   */
  keylog?: (string | Uint8Array)[];
  /** Keep unstuffed RETR/TOP text in the transcript (bounded). */
  bodies?: boolean;
  policy?: Policy;
  /** The time a policy's suppression expiry dates are compared with (default: the clock). */
  now?: Date;
  limits?: AnalysisLimits;
  /** Called as each session closes (before rules run), e.g. for JSON Lines. */
  onSession?: (s: SessionOut) => void;
  /**
   * Called with each finding as soon as it is known, right after its session's `onSession`
   * for rules that judge one session; `provisional` ones are early notices of rules that
   * compare sessions. The result's `findings` lists every final finding again, in order.
   */
  onFinding?: (f: Finding) => void;
  /**
   * Ends the input early (Ctrl-C, a stop request): reading stops, open sessions end as
   * `capture-end`, the remaining rules run and the result is complete for what was read.
   */
  signal?: AbortSignal;
  /** Called with each input's facts once it has been read. */
  onCapture?: (c: CaptureInfo) => void;
  /** Receives the unstuffed bytes of every RETR/TOP answer as they arrive (extraction); none are copied without it. */
  messageData?: MessageDataSink;
  /** Progress: bytes read so far of the current input. */
  onProgress?: (p: { input: number; bytes: number; packets: number; sessions: number }) => void;
}

export interface AnalysisLimits {
  maxConnections?: number;
  maxBufferedPerConnection?: number;
  maxBufferedTotal?: number;
  idleTimeoutSec?: number;
  maxLineLength?: number;
  maxPendingCommands?: number;
  maxHeaderBytes?: number;
  maxTranscriptEntries?: number;
  /** Client responses kept per SASL exchange (`--limit sasl-rounds=N`). */
  maxSaslRounds?: number;
  /** gzip input: stop once inflated bytes pass this many times the compressed bytes (and gzipRatioFloor). */
  gzipMaxRatio?: number;
  gzipRatioFloor?: number;
}

export const DEFAULT_POP3_PORTS = [110];
export const DEFAULT_POP3S_PORTS = [995];

/** Frame ids inside the pipeline: input index in the high part, the file's own frame number below. */
const FRAME_ID_BASE = 2 ** 32;

/** Wires the layers for one analysis; `analyze()` and `follow` both use it. */
export function buildPipeline(
  inputLabels: string[],
  options: AnalyzeOptions,
  makeFactory: (ctx: PipelineContext) => StreamFactory,
) {
  const plain = new Set([...DEFAULT_POP3_PORTS, ...(options.pop3Ports ?? [])]);
  const tls = new Set([...DEFAULT_POP3S_PORTS, ...(options.pop3sPorts ?? [])]);
  const isServerPort = (port: number) => plain.has(port) || tls.has(port);
  const several = inputLabels.length > 1;
  const ctx: PipelineContext = {
    isImplicitTlsPort: (port) => tls.has(port),
    frameLabel: several
      ? (id) => `${inputLabels[Math.floor(id / FRAME_ID_BASE)]}#${id % FRAME_ID_BASE}`
      : (id) => id,
    precision: 'us',
    formatTime: (sec, nsec) => formatTimestamp(sec, nsec, ctx.precision),
    keys: new KeyLogStore(),
  };
  const limits = options.limits ?? {};
  const keyLogWarnings: CaptureWarning[] = [];
  const detect = options.detect ?? true;
  const decoder = new PacketDecoder({ wantPort: isServerPort, detect, maxIgnoredFlows: limits.maxConnections });
  // Always in the pipeline: on the POP3 ports it judges whether a stream is POP3 at all (notPop3);
  // with detection on, the decoder also hands it connections on every other port.
  const detector = new ContentDetector(makeFactory(ctx), {
    isPop3Port: isServerPort,
    isImplicitTlsPort: (port) => tls.has(port),
    isCommand: (k) => lookupCommand(k) !== undefined,
  });
  const assembler = new TcpAssembler(detector, {
    isServerPort,
    maxConnections: limits.maxConnections,
    maxBufferedPerConnection: limits.maxBufferedPerConnection,
    maxBufferedTotal: limits.maxBufferedTotal,
    idleTimeoutSec: limits.idleTimeoutSec,
  });
  let frameBase = 0;
  let packets = 0;
  let segments = 0;
  const sink = {
    packet(p: Packet) {
      packets++;
      const seg = decoder.decode(p);
      if (seg === null) return;
      segments++;
      seg.frame += frameBase;
      // Not POP3, content detection says: the decoder skips its later packets before they cost anything.
      if (assembler.segment(seg)) decoder.ignoreLastFlow();
    },
    dismiss(p: Packet, data: Uint8Array, start: number, length: number) {
      if (!decoder.dismiss(p.linkType, data, start, length)) return false;
      packets++;
      return true;
    },
    secrets(type: number, data: Uint8Array) {
      if (type !== DSB_TLS_KEY_LOG) return;
      const warning = readKeyLogText(latin1(data), 'embedded in the capture', ctx.keys);
      if (warning !== null) keyLogWarnings.push({ code: 'keylog-bad-lines', message: warning });
    },
  };
  return {
    ctx,
    decoder,
    assembler,
    detector,
    sink,
    packets: () => packets,
    /** Segments handed to TCP reassembly so far (every packet is either one of these or a decoder skip). */
    segments: () => segments,
    startInput(index: number) {
      frameBase = index * FRAME_ID_BASE;
    },
    /** Warnings about bad lines in embedded key logs since the last call. */
    takeKeyLogWarnings(): CaptureWarning[] {
      return keyLogWarnings.splice(0);
    },
  };
}

export interface PipelineContext {
  isImplicitTlsPort(port: number): boolean;
  frameLabel(frame: number): number | string;
  /** Precision used to print times: the finest of the inputs read so far. */
  precision: 'us' | 'ns';
  formatTime(sec: number, nsec: number): string;
  /** TLS secrets from --keylog and from the captures' Decryption Secrets Blocks. */
  keys: KeyLogStore;
}

/** Reads the key logs given as options into the store; the warnings about bad lines, one per key log. */
export async function loadKeyLogs(keylog: (string | Uint8Array)[], store: KeyLogStore): Promise<string[]> {
  const warnings: string[] = [];
  for (const [i, k] of keylog.entries()) {
    const warning = typeof k === 'string' && !isKeyLogText(k)
      ? await readKeyLogFile(k, store)
      : readKeyLogText(typeof k === 'string' ? k : latin1(k), `#${i + 1} (text)`, store);
    if (warning !== null) warnings.push(warning);
  }
  return warnings;
}

/**
 * Analyses one or more captures (paths, `-` for standard input, or streams).
 * Several inputs are read as one capture in time order (rotated files).
 */
export async function analyze(inputs: Input | Input[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const list = await orderInputs(Array.isArray(inputs) ? inputs : [inputs]);
  const labels = list.map((i) => (typeof i === 'string' ? (i === '-' ? 'stdin' : basename(i)) : 'stream'));
  const sessions: SessionOut[] = [];
  const captures: CaptureInfo[] = [];
  const connections: { total: number; empty: number; dropped?: number } = { total: 0, empty: 0 };
  const now = options.now ?? new Date();
  const rules = new RuleRunner(options.policy, RULES, now, options.onFinding !== undefined);
  const pipeline = buildPipeline(labels, options, (ctx) => new Pop3SessionFactory(
    {
      showSecrets: options.showSecrets ?? false,
      isImplicitTlsPort: ctx.isImplicitTlsPort,
      frameLabel: ctx.frameLabel,
      formatTime: ctx.formatTime,
      keepBodies: options.bodies ?? false,
      limits: options.limits,
      messageData: options.messageData,
      keys: ctx.keys,
    },
    (s) => {
      connections.total++;
      // A connection that carried no payload either way (a SYN scan, a refused
      // connection) is not a POP3 session: counted, not kept, so memory stays bounded.
      if (isEmptyConnection(s)) {
        connections.empty++;
        return;
      }
      sessions.push(s);
      options.onSession?.(s);
      const early = rules.sessionClosed(s);
      if (options.onFinding) for (const f of [...early.findings, ...early.provisional]) options.onFinding(f);
    },
    () => {
      connections.total++;
      connections.empty++;
    },
  ));

  const keyLogWarnings = await loadKeyLogs(options.keylog ?? [], pipeline.ctx.keys);

  let segmentsBefore = 0;
  for (let i = 0; i < list.length; i++) {
    // Stopped: the inputs not begun are not read.
    if (i > 0 && options.signal?.aborted) break;
    pipeline.startInput(i);
    const info = await readCapture(list[i], pipeline.sink, {
      gzipMaxRatio: options.limits?.gzipMaxRatio,
      gzipRatioFloor: options.limits?.gzipRatioFloor,
      signal: options.signal,
      onPrecision: (p) => { if (p === 'ns' || p === 'other') pipeline.ctx.precision = 'ns'; },
      onProgress: options.onProgress
        ? (bytes) => options.onProgress!({ input: i, bytes, packets: pipeline.packets(), sessions: sessions.length })
        : undefined,
    });
    // Datagrams still waiting for fragments at the end of this input will not complete.
    if (i === list.length - 1 || options.signal?.aborted) pipeline.decoder.finish();
    mergeSkipped(info, pipeline.decoder.takeSkipped());
    const jump = timestampJumpWarning(pipeline.assembler.clock, i);
    if (jump) info.warnings.push(jump);
    // Key log warnings have no capture of their own: --keylog files' go with the first input, embedded ones with theirs.
    if (i === 0) for (const message of keyLogWarnings) info.warnings.push({ code: 'keylog-bad-lines', message });
    for (const w of pipeline.takeKeyLogWarnings()) info.warnings.push(w);
    info.segments = pipeline.segments() - segmentsBefore;
    segmentsBefore = pipeline.segments();
    captures.push(info);
    options.onCapture?.(info);
  }
  pipeline.assembler.finish();
  // Present only when detection let some go, so captures of POP3 alone read as before.
  if (pipeline.detector.stats.dropped > 0) connections.dropped = pipeline.detector.stats.dropped;

  sessions.sort((a, b) => Number(a.id) - Number(b.id));
  const findings: Finding[] = rules.finish(sessions);
  const policyWarnings = expiredSuppressionWarnings(options.policy?.suppressions ?? [], utcDate(now));
  const limits = limitsHit(pipeline.assembler.stats.limits, sessions, captures.flatMap((c) => c.warnings));
  // Caps are per analysis; their warnings go with the last input read.
  const last = captures[captures.length - 1];
  if (last) for (const w of limitWarnings(limits)) last.warnings.push(w);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    captures,
    sessions,
    findings,
    limits,
    connections,
    ...(policyWarnings.length > 0 ? { policyWarnings } : {}),
  };
}

/** One warning per input for the packets whose time did not move the capture clock. */
function timestampJumpWarning(clock: CaptureClock, input: number): CaptureWarning | null {
  if (clock.outliers === 0) return null;
  const frame = clock.firstOutlierFrame! - input * FRAME_ID_BASE;
  const n = clock.outliers;
  clock.resetCounts();
  return {
    code: 'timestamp-jump',
    frame,
    message: `${n === 1 ? '1 packet' : `${n} packets`} stamped more than ${MAX_CLOCK_STEP_SEC / 3600} hour from the packets around ${n === 1 ? 'it' : 'them'} (first: frame ${frame}); ` +
      'idle timeouts went by the other packets\' times, so no connection was split',
  };
}

function isEmptyConnection(s: SessionOut): boolean {
  return s.bytes.client === 0 && s.bytes.server === 0 && s.gaps.length === 0;
}

/** Adds the decoder's counts for this input to the reader's. */
function mergeSkipped(info: CaptureInfo, decoderCounts: Record<string, number>): void {
  for (const [reason, n] of Object.entries(decoderCounts)) info.skipped[reason] = (info.skipped[reason] ?? 0) + n;
}
