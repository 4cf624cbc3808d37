/**
 * One POP3 connection, and the conversation on it: each direction's bytes
 * through a line splitter (message bodies counted in bulk), commands matched
 * to replies through a bounded queue (pipelining, RFC 2449 §6.6), the
 * transcript, multi-line data, resynchronisation after gaps and the RFC 1939
 * state machine (AUTHORIZATION, TRANSACTION, UPDATE). It coordinates the rest:
 * Logins (USER/PASS, APOP, SASL), Mailbox (what was listed, fetched,
 * deleted) and TlsHandoff (bytes that go to TLS), and hands the session
 * summary up on close. Whether the stream is POP3 at all was judged before a
 * byte arrived (content detection); a stream that is not comes with
 * `conn.rejected` and is only counted.
 */
import type { Timestamp } from '../capture/packet.js';
import type { AuthAttempt, NotPop3, Pop3State, SessionOut, TranscriptEntry } from '../model.js';
import type { KeyLogStore } from '../tls/key-log.js';
import type { ConnectionInfo, ConnectionSummary, Direction, StreamHandler } from '../tcp/stream.js';
import { type CommandSpec, lookupCommand, opensMultiline } from './commands.js';
import { type Line, LineSplitter } from './line-splitter.js';
import { decodeText } from './line-text.js';
import { Logins, secretCommandBefore } from './logins.js';
import { messageNumber } from './mailbox.js';
import type { MessageCut, MessageDataSink, MessageDataWriter } from './message-data.js';
import { Mailbox } from './mailbox.js';
import { type DataKind, MultilineCollector } from './multiline.js';
import { splitResponseCode } from './response-codes.js';
import { SessionEvents, note } from './session-events.js';
import { parseStatus, startsWithStatus } from './status-line.js';
import { TlsHandoff } from './tls-handoff.js';


export interface Pop3SessionConfig {
  showSecrets: boolean;
  implicitTls: boolean;
  frameLabel(frame: number): number | string;
  formatTime(sec: number, nsec: number): string;
  maxLineLength: number;
  maxPendingCommands: number;
  maxHeaderBytes: number;
  maxTranscriptEntries: number;
  /** 0 unless bodies are kept. */
  maxBodyBytes: number;
  maxLineItems: number;
  /** Extraction: receives the unstuffed bytes of RETR/TOP answers. */
  messageData?: MessageDataSink;
  /** TLS secrets (--keylog, pcapng DSBs): TLS sessions are decrypted and dissected like clear text. */
  keys?: KeyLogStore;
  /** Sees the decrypted application data of this connection (follow --decrypted). */
  onPlaintext?: (dir: Direction, bytes: Uint8Array, frame: number) => void;
  /** Client responses followed per SASL exchange (fed to the mechanism, frames listed); later ones are counted. */
  maxSaslRounds: number;
}

/** A command awaiting its reply. */
interface Pending {
  keyword: string;
  spec: CommandSpec | undefined;
  args: string[];
  entry: TranscriptEntry;
  frame: number;
  attempt?: AuthAttempt;
}

interface OpenData {
  collector: MultilineCollector;
  entry: TranscriptEntry;
  pending: Pending | undefined;
  /** Where a RETR/TOP answer's bytes go when extracting. */
  writer: MessageDataWriter | null;
}

export class Pop3Session implements StreamHandler {
  private state: Pop3State = 'AUTHORIZATION';

  private readonly splitters: Record<Direction, LineSplitter>;
  private readonly queue: Pending[] = [];
  private readonly transcript: TranscriptEntry[] = [];
  private readonly events: SessionEvents;

  /** False when the capture joined mid-stream: the state is guessed from the first command seen. */
  private stateKnown: boolean;
  private greeting: SessionOut['greeting'] = null;
  private serverLines = 0;
  private quitSent = false;
  private quitAnswered = false;

  private openData: OpenData | null = null;
  /** After a gap: drop lines of that direction until one parses. */
  private readonly resync: Record<Direction, boolean> = { client: false, server: false };
  private readonly gapNote: Record<Direction, boolean> = { client: false, server: false };

  private readonly logins: Logins;
  private readonly mailbox: Mailbox;
  private readonly tls: TlsHandoff;
  /** Content detection found the stream is not POP3: nothing is dissected. */
  private readonly notPop3: NotPop3 | null;

  private now: Timestamp;
  private readonly lastFrame: Record<Direction, number>;
  private clientLines = 0;

  constructor(
    private readonly conn: ConnectionInfo,
    private readonly config: Pop3SessionConfig,
    private readonly onSession: (s: SessionOut) => void,
  ) {
    this.now = conn.start;
    this.lastFrame = { client: conn.firstFrame, server: conn.firstFrame };
    this.tls = new TlsHandoff(config.implicitTls, config.frameLabel, config.keys, config.onPlaintext);
    this.events = new SessionEvents(config.maxTranscriptEntries);
    this.logins = new Logins(config.showSecrets, config.frameLabel, config.formatTime, this.events, config.maxSaslRounds);
    this.mailbox = new Mailbox(config.frameLabel, this.events);
    this.stateKnown = !conn.midstream;
    // Joined mid-stream, the first bytes of each side may be the tail of a line:
    // dissection starts at the first line that parses (a status, a known command).
    this.resync.client = conn.midstream;
    this.resync.server = conn.midstream;
    // What the stream looked like; its bytes (another protocol's login, perhaps) only with --show-secrets.
    const rejected = conn.rejected ?? null;
    if (rejected !== null && !config.showSecrets) {
      const { firstBytes: _shown, ...said } = rejected;
      this.notPop3 = said;
    } else this.notPop3 = rejected;
    if (this.notPop3) this.count('not-pop3');
    this.splitters = {
      client: new LineSplitter(config.maxLineLength, (l) => this.clientLine(l)),
      server: new LineSplitter(config.maxLineLength, (l) => this.serverLine(l)),
    };
  }

  // ---- StreamHandler ----

  data(dir: Direction, bytes: Uint8Array, firstFrame: number, lastFrame: number, time: Timestamp): void {
    this.now = time;
    const tls = this.tls;
    if (tls.plainOnTlsPort(dir, bytes)) this.count('plain-on-tls-port');
    const inTls = tls.active;
    if (inTls) {
      // This direction goes to TLS; plaintext it hands back is dissected like clear text.
      const plain = tls.data(dir, bytes, firstFrame);
      if (plain === null) return;
      bytes = plain;
    }
    if (this.notPop3) return;
    this.lastFrame[dir] = lastFrame;
    const splitter = this.splitters[dir];
    let used = 0;
    for (;;) {
      // Message bodies are most of the bytes: counted in bulk, not line by line.
      if (dir === 'server' && this.bodyRunOpen()) used = this.bodyRun(bytes, used, lastFrame);
      if (used >= bytes.length) break;
      used += splitter.push(used === 0 ? bytes : bytes.subarray(used), firstFrame, lastFrame);
      // The line path stops when a body run can start (or at STLS, or when the stream is not POP3).
      if (used >= bytes.length || dir !== 'server' || !this.bodyRunOpen()) break;
    }
    if (!inTls && tls.active && used < bytes.length) {
      // STLS was accepted inside this chunk: the rest is TLS.
      tls.data(dir, bytes.subarray(used), lastFrame);
    }
  }

  /**
   * A message body is open with nothing that needs a line at a time: no partial line held, no gap in it.
   * (TLS starts only at STLS's +OK, which opens no data, so it never meets an open body.)
   */
  private bodyRunOpen(): boolean {
    const open = this.openData;
    return open !== null && open.collector.inBody && !open.collector.gapped
      && this.splitters.server.pending === 0 && !this.notPop3;
  }

  /** Body lines of one chunk in bulk from `from`; returns where the line path takes over again. */
  private bodyRun(bytes: Uint8Array, from: number, frame: number): number {
    const collector = this.openData!.collector;
    const lines = collector.lines;
    const bareLf = collector.bareLf;
    const { end, tooLong } = collector.bodyRun(bytes, from, frame, this.config.maxLineLength);
    // The same counts the line path keeps for each line.
    this.serverLines += collector.lines - lines;
    if (collector.bareLf > bareLf) this.count('bare-lf', collector.bareLf - bareLf);
    if (tooLong > 0) this.count('line-too-long', tooLong);
    return end;
  }

  gap(dir: Direction, length: number, frame: number, time: Timestamp): void {
    this.now = time;
    // Inside TLS the plaintext read so far ends here too, its lost length unknown: what was
    // open in it (a message being extracted) is cut by the gap, as in clear text.
    let lost: number | null = length;
    if (this.tls.active) {
      if (!this.tls.gap(dir, length, frame)) return;
      lost = null;
    }
    this.count('gap');
    if (dir === 'server' && this.openData?.writer) this.writePartialBeforeGap(this.openData.writer, lost);
    else this.splitters[dir].dropPartial();
    this.resync[dir] = true;
    this.gapNote[dir] = true;
    if (dir === 'server' && this.openData) {
      this.openData.collector.gapped = true;
      note(this.openData.entry, 'gap');
    }
  }

  close(summary: ConnectionSummary): void {
    this.now = summary.end;
    // Decrypted text went through the splitters too; without keys they were emptied when TLS began.
    if (!this.notPop3) {
      for (const dir of ['client', 'server'] as const) {
        const line = this.splitters[dir].flush();
        if (line) {
          this.count('unterminated-line');
          if (dir === 'client') this.clientLine(line, 'unterminated-line');
          else this.serverLine(line, 'unterminated-line');
        }
      }
    }
    if (this.openData) this.finishData(false, undefined, summary.ended);
    for (const p of this.queue) {
      this.judgeState(p);
      note(p.entry, 'no-response');
      this.count('no-response');
    }
    this.onSession(this.result(summary));
  }

  // ---- client side ----

  private clientLine(line: Line, extraNote?: string): boolean {
    if (this.notPop3) return false;
    const text = decodeText(line.bytes);
    this.clientLines++;
    // RFC 1939 separates by one space; clients and servers take tabs too. A secret-bearing keyword
    // followed by any other byte ends there as well, and its line is redacted whole.
    const oddSecret = secretCommandBefore(text);
    const space = oddSecret ? oddSecret.keyword.length : text.search(/[ \t]/);
    const keyword = space < 0 ? text : text.slice(0, space);
    const spec = oddSecret ?? lookupCommand(keyword);
    if (this.resync.client) {
      if (!spec && !this.logins.inSasl()) {
        this.count('resync-skipped-line');
        // Joined mid-stream, the first client line is the tail of a command sent before the
        // capture began: the server's next answer is its answer, not the next command's.
        if (this.conn.midstream && this.clientLines === 1) this.enqueue(this.unseenCommand(line));
        return true;
      }
      this.resync.client = false;
    }
    const entry = this.newEntry(line, 'client');
    entry.length = line.length;
    entry.state = this.state;
    this.lineNotes(entry, line, 'client', extraNote);
    if (this.quitSent) {
      note(entry, 'after-quit');
      this.count('after-quit');
    }

    if (this.logins.inSasl()) {
      this.logins.saslLine(entry, text, line.frame);
      this.push(entry);
      return true;
    }

    if (text === '') {
      note(entry, 'empty-line');
      this.count('empty-line');
      entry.raw = '';
      this.push(entry);
      return true;
    }

    const rest = space < 0 ? '' : text.slice(space + 1);
    const args = rest.split(/[ \t]/).filter((a) => a !== '');
    entry.command = spec ? spec.keyword : keyword.toUpperCase().slice(0, 64);
    if (rest !== '') entry.argument = rest;
    if (!spec) {
      note(entry, 'unknown-command');
      this.count('unknown-command');
    } else {
      if (args.length < spec.minArgs || args.length > spec.maxArgs) {
        note(entry, 'wrong-argument-count');
        this.count('wrong-argument-count');
      }
      this.logins.redact(entry, spec, rest, args, oddSecret !== undefined);
    }
    this.push(entry);
    const pending: Pending = { keyword: entry.command, spec, args, entry, frame: line.frame };
    this.sent(pending, rest, args);
    this.enqueue(pending);
    return true;
  }

  /**
   * The state a command meets is the one the server is in when it reaches it:
   * after every earlier command has been answered (a pipelined PASS; STAT burst
   * is valid). So the check runs when its reply arrives, or when it is given up.
   */
  private judgeState(p: Pending): void {
    p.entry.state = this.state;
    if (!p.spec) return;
    if (!this.stateKnown) this.inferState(p.spec, p.entry);
    if (!p.spec.states.includes(this.state)) {
      note(p.entry, 'out-of-state');
      this.count('out-of-state');
    }
  }

  /** Mid-stream pickup: a command valid in one state only tells which state the session is in. */
  private inferState(spec: CommandSpec, entry: TranscriptEntry): void {
    if (spec.states.length !== 1) return;
    this.stateKnown = true;
    if (spec.states[0] !== this.state) {
      this.state = spec.states[0]!;
      entry.state = this.state;
      this.count('state-inferred');
    }
  }

  /** What a command starts as soon as it is sent (the reply settles it). */
  private sent(p: Pending, rest: string, args: string[]): void {
    if (p.keyword === 'QUIT') {
      this.quitSent = true;
      return;
    }
    const attempt = this.logins.sent(p.keyword, rest, args, p.frame, this.now, this.tls.active);
    if (attempt) p.attempt = attempt;
  }

  /** A command whose keyword the capture does not hold (only the tail of its line). */
  private unseenCommand(line: Line): Pending {
    const entry = this.newEntry(line, 'client');
    return { keyword: '', spec: undefined, args: [], entry, frame: line.frame };
  }

  private enqueue(p: Pending): void {
    if (this.queue.length >= this.config.maxPendingCommands) {
      const dropped = this.queue.shift()!;
      this.judgeState(dropped);
      note(dropped.entry, 'pipeline-overflow');
      this.count('pipeline-overflow');
    }
    this.queue.push(p);
  }

  // ---- server side ----

  private serverLine(line: Line, extraNote?: string): boolean {
    if (this.notPop3) return false;
    this.serverLines++;
    if (this.openData) {
      const { collector } = this.openData;
      if (MultilineCollector.isTerminator(line)) {
        this.finishData(true, line.frame);
        return true;
      }
      // After a gap the terminator may be lost: a status line while commands wait ends the data.
      if (!(collector.gapped && this.queue.length > 0 && startsWithStatus(line.bytes))) {
        collector.line(line, extraNote === 'unterminated-line');
        if (line.bareLf) this.count('bare-lf');
        if (line.truncated) this.count('line-too-long');
        // Stop the line path once the headers are done: data() counts the body in bulk.
        return !this.bodyRunOpen();
      }
      this.finishData(false, undefined, 'status-after-gap');
    }
    const text = decodeText(line.bytes);
    const status = parseStatus(text);
    if (this.resync.server) {
      if (!status) {
        this.count('resync-skipped-line');
        return true;
      }
      this.resync.server = false;
    }
    const entry = this.newEntry(line, 'server');
    entry.length = line.length;
    this.lineNotes(entry, line, 'server', extraNote);
    if (this.quitAnswered) {
      note(entry, 'after-quit');
      this.count('after-quit');
    }
    if (!status) {
      entry.raw = text;
      note(entry, 'unparsed-response');
      this.count('unparsed-response');
      this.push(entry);
      return true;
    }
    entry.status = status.status;
    const { code, text: rest } = status.status === '+' ? { code: undefined, text: status.text } : splitResponseCode(status.text);
    entry.text = rest;
    if (code !== undefined) entry.code = code;

    if (status.status === '+') {
      this.push(entry);
      if (this.logins.challenge(rest, line.frame)) {
        entry.answers = 'AUTH';
      } else {
        note(entry, 'unexpected-continuation');
        this.count('unexpected-continuation');
      }
      return true;
    }

    // The first server line is the greeting, unless the capture joined after commands were sent.
    if (this.greeting === null && this.serverLines === 1 && this.queue.length === 0 && this.clientLines === 0) {
      const ts = /<[^<>\s]+>/.exec(rest);
      this.greeting = { text: rest, apopTimestamp: ts ? ts[0] : null, frame: entry.frame };
      this.push(entry);
      return true;
    }

    const p = this.queue.shift();
    this.push(entry);
    if (!p) {
      note(entry, 'unmatched-response');
      this.count('unmatched-response');
      return true;
    }
    if (p.keyword === '') note(entry, 'answers-unseen-command');
    else entry.answers = p.keyword;
    this.judgeState(p);
    const ok = status.status === '+OK';
    this.replied(p, entry, ok, line.frame);
    if (ok && p.spec && opensMultiline(p.spec, p.args.length)) {
      const kind: DataKind = p.keyword === 'RETR' || p.keyword === 'TOP' ? 'message' : 'items';
      const writer = kind === 'message' ? this.openWriter(p, entry) : null;
      this.openData = {
        collector: new MultilineCollector(kind, {
          maxHeaderBytes: this.config.maxHeaderBytes,
          maxItems: this.config.maxLineItems,
          maxBodyBytes: kind === 'message' ? this.config.maxBodyBytes : 0,
        }, line.frame, writer),
        entry, pending: p, writer,
      };
    }
    if (ok && p.keyword === 'STLS') {
      this.startTls();
      return false;
    }
    return true;
  }

  /** What a +OK / -ERR settles for the command it answers. */
  private replied(p: Pending, entry: TranscriptEntry, ok: boolean, frame: number): void {
    // A login command the server met outside AUTHORIZATION is out of state, not a login attempt.
    const loginState = p.entry.state === 'AUTHORIZATION';
    if (this.logins.replied(p.keyword, p.args.length, p.attempt, ok, entry, frame, loginState)) this.state = 'TRANSACTION';
    if (p.keyword === 'QUIT') {
      if (ok) {
        this.quitAnswered = true;
        if (this.state === 'TRANSACTION') {
          this.state = 'UPDATE';
          this.mailbox.commit();
        }
      }
    } else this.mailbox.replied(p.keyword, p.args, ok, entry, p.frame);
  }

  /** A RETR/TOP answer's data begins: a writer for its bytes when extracting, else null. */
  private openWriter(p: Pending, entry: TranscriptEntry): MessageDataWriter | null {
    if (!this.config.messageData) return null;
    return this.config.messageData.open({
      session: String(this.conn.id), client: this.conn.client, server: this.conn.server, user: this.logins.user(),
      command: p.keyword as 'RETR' | 'TOP', number: messageNumber(p.args[0]), firstFrame: entry.frame,
    });
  }

  /**
   * A gap inside a message: the unfinished line held so far is written, then the lost octets noted
   * (`length`: what the gap lost, null when not known: inside TLS it was ciphertext).
   */
  private writePartialBeforeGap(writer: MessageDataWriter, length: number | null): void {
    const splitter = this.splitters.server;
    const pending = splitter.pending;
    const tail = splitter.takeTail().subarray(0, Math.min(pending, this.config.maxLineLength));
    // A line's first byte: a stuffed dot is not part of the message.
    writer.write(tail[0] === 0x2e ? tail.subarray(1) : tail);
    writer.lost(length === null ? null : length + pending - tail.length, 'gap');
  }

  /** `cut`: why the data ended early when it did not end at its `.` line. */
  private finishData(complete: boolean, frame?: number, cut?: MessageCut): void {
    const { collector, entry, pending, writer } = this.openData!;
    this.openData = null;
    // Bytes lost inside the data: even with its final "." it is not the whole answer.
    complete = complete && !collector.gapped;
    collector.finish(complete, frame);
    writer?.end(complete ? null : collector.gapped ? 'gap' : cut ?? 'gap', this.config.frameLabel(collector.lastFrame));
    if (collector.bareLf > 0) note(entry, 'bare-lf');
    if (!complete) {
      note(entry, 'incomplete-data');
      this.count('incomplete-data');
    }
    if (collector.itemsDropped > 0) this.count('line-items-dropped', collector.itemsDropped);
    if (collector.headersCut) this.count('headers-cut');
    entry.data = collector.result(this.config.frameLabel);
    if (!pending) return;
    const items = collector.items;
    switch (pending.keyword) {
      case 'CAPA':
        this.logins.capabilityListing(items);
        break;
      case 'AUTH':
        this.logins.mechanismListing(items);
        break;
      default:
        this.mailbox.data(pending.keyword, pending.args, pending.frame, entry, collector);
    }
  }

  private startTls(): void {
    // Bytes the client already sent after STLS belong to TLS too.
    this.tls.start(this.splitters.client.takeTail(), this.lastFrame.client);
    this.splitters.server.dropPartial();
  }

  // ---- shared ----

  private lineNotes(entry: TranscriptEntry, line: Line, dir: Direction, extra?: string): void {
    if (this.gapNote[dir]) {
      note(entry, 'gap');
      this.gapNote[dir] = false;
    }
    if (line.bareLf) {
      note(entry, 'bare-lf');
      this.count('bare-lf');
    }
    // A CR that ends no line, the mirror of a bare LF (Zeek: line_terminated_with_single_CR).
    // Only on command and status lines: inside message data it is the message's own business.
    if (line.bytes.indexOf(13) >= 0) {
      note(entry, 'bare-cr');
      this.count('bare-cr');
    }
    if (line.truncated) {
      note(entry, 'line-too-long');
      this.count('line-too-long');
    }
    if (extra) note(entry, extra);
  }

  /**
   * A transcript entry for a line, its fields added one by one: every entry then walks the same
   * chain of hidden classes. Built by spreading a shared part (`{ ...part, from }`), V8 gave each
   * entry a hidden class of its own, ~100 bytes more per entry kept for the report.
   */
  private newEntry(line: Line, from: 'client' | 'server'): TranscriptEntry {
    const out: TranscriptEntry = {
      frame: this.config.frameLabel(line.frame),
      time: this.config.formatTime(this.now.sec, this.now.nsec),
      from,
    };
    if (line.frames.length > 1) out.frames = line.frames.map((f) => this.config.frameLabel(f));
    // A line can only be read inside TLS once it was decrypted.
    if (this.tls.active) out.tls = true;
    return out;
  }

  private push(entry: TranscriptEntry): void {
    if (this.transcript.length < this.config.maxTranscriptEntries) this.transcript.push(entry);
    else this.count('transcript-truncated');
  }

  private count(event: string, by = 1): void {
    this.events.count(event, by);
  }

  private result(summary: ConnectionSummary): SessionOut {
    const out: SessionOut = {
      id: String(this.conn.id),
      client: { ip: this.conn.client.ip, port: this.conn.client.port },
      server: { ip: this.conn.server.ip, port: this.conn.server.port },
      start: this.config.formatTime(this.conn.start.sec, this.conn.start.nsec),
      end: this.config.formatTime(summary.end.sec, summary.end.nsec),
      ended: this.quitAnswered ? 'quit' : summary.ended,
      transport: this.tls.transport,
      midstream: this.conn.midstream,
      bytes: { client: summary.bytes.client, server: summary.bytes.server },
      gaps: summary.gaps,
      anomalies: summary.anomalies,
      greeting: this.greeting,
      capabilities: this.logins.capabilities,
      saslMechanisms: this.logins.saslMechanisms,
      user: this.logins.user(),
      auth: this.logins.attempts,
      tls: this.tls.result(),
      messages: this.mailbox.result(),
      state: this.state,
      events: this.events.counts,
      transcript: this.notPop3 ? [] : this.transcript,
      // How the connection was found and carried: facts of the lower layers.
      detection: this.conn.detection ?? 'port',
    };
    if (this.notPop3) out.notPop3 = this.notPop3;
    if (this.conn.encapsulation !== undefined) out.encapsulation = [...this.conn.encapsulation];
    return out;
  }
}
