/**
 * The bytes of RETR and TOP answers, handed as they arrive to whoever asked for
 * them (extraction): after dot-unstuffing (RFC 1939 §3), line ends as the server
 * sent them, without the final `.` line. The dissector keeps none of it; without
 * a sink no byte is copied and the body fast path is unchanged.
 */
import type { CloseReason } from '../tcp/stream.js';

export interface MessageDataStart {
  /** The session id, as in `SessionOut.id`. */
  session: string;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  /** The session's user so far: the last one logged in, else the last one tried (null before any). */
  user: string | null;
  command: 'RETR' | 'TOP';
  /** The message number the command asked for (null when its argument was not one). */
  number: number | null;
  /** Frame of the `+OK` line that opened the data. */
  firstFrame: number | string;
}

/**
 * Why a message's bytes are not the whole message: a capture gap, a line cut at the
 * line-length cap, an answer ended by a status line after a gap, the stream judged
 * not POP3, or the connection's end (fin, rst, idle, evicted, capture-end) before the `.` line.
 */
export type MessageCut = 'gap' | 'line-too-long' | 'status-after-gap' | 'not-pop3' | CloseReason;

export interface MessageDataWriter {
  /** Unstuffed bytes in order; the view is valid only during the call. */
  write(bytes: Uint8Array): void;
  /** Octets missing at this point (null when unknown), and why. */
  lost(octets: number | null, reason: MessageCut): void;
  /** The data ended: `cut` is null when the `.` line was seen and nothing was lost before it. */
  end(cut: MessageCut | null, lastFrame: number | string): void;
}

export interface MessageDataSink {
  /** A RETR or TOP answer opened its data: a writer for its bytes, or null to skip it. */
  open(start: MessageDataStart): MessageDataWriter | null;
}
