/**
 * Where a POP3 connection's bytes turn to TLS: from the first byte on an
 * implicit-TLS port (unless the server greets in clear first: plain POP3 on a
 * TLS port), or after the server's +OK to STLS. While it is active, a
 * direction's bytes go here instead of to the line splitters; `data()` returns
 * the plaintext the session should dissect: what the TLS observer's decryptor
 * opened with the key log's secrets (none without a key log).
 */
import type { TlsInfo, Transport } from '../model.js';
import type { Direction } from '../tcp/stream.js';
import { TlsObserver, type TlsDecryption } from '../tls/tls-observer.js';
import type { KeyLogStore } from '../tls/key-log.js';
import { startsWithStatus } from './status-line.js';

export class TlsHandoff {
  transport: Transport;
  /** Bytes go to TLS, not to the line splitters. */
  active: boolean;
  private observer: TlsObserver | null = null;
  private awaitingFirstBytes = true;
  private readonly decryption: TlsDecryption | undefined;
  /** Plaintext opened but not yet handed to the session, per direction. */
  private readonly opened: Record<Direction, Uint8Array[]> = { client: [], server: [] };
  /** A direction whose records were opened: its plaintext is a stream the session reads. */
  private readonly decrypting: Record<Direction, boolean> = { client: false, server: false };

  /** `keys`: secrets to decrypt with (none: nothing is decrypted); `tap` sees every piece of plaintext, for `follow --decrypted`. */
  constructor(
    implicitTls: boolean,
    private readonly frameLabel: (frame: number) => number | string,
    keys?: KeyLogStore,
    tap?: (dir: Direction, bytes: Uint8Array, frame: number) => void,
  ) {
    this.transport = implicitTls ? 'implicit-tls' : 'plain';
    this.active = implicitTls;
    this.decryption = keys === undefined ? undefined : {
      keys,
      sink: {
        plaintext: (dir, bytes, frame) => {
          this.decrypting[dir] = true;
          this.opened[dir].push(bytes);
          tap?.(dir, bytes, frame);
        },
      },
    };
    if (implicitTls) this.observer = new TlsObserver(frameLabel, this.decryption);
  }

  /**
   * Called with every chunk before it is routed; true once, when the first bytes
   * show plain POP3 on a TLS port: in TLS the client speaks first, so a server
   * greeting first means the connection is not TLS at all.
   */
  plainOnTlsPort(dir: Direction, bytes: Uint8Array): boolean {
    if (!this.awaitingFirstBytes) return false;
    this.awaitingFirstBytes = false;
    if (this.transport !== 'implicit-tls' || dir !== 'server' || !startsWithStatus(bytes)) return false;
    this.transport = 'plain';
    this.observer = null;
    this.active = false;
    return true;
  }

  /** Bytes of one direction while active. Returns the plaintext they completed, or null when there is none. */
  data(dir: Direction, bytes: Uint8Array, firstFrame: number): Uint8Array | null {
    this.observer!.data(dir, bytes, firstFrame);
    const opened = this.opened[dir];
    if (opened.length === 0) return null;
    this.opened[dir] = [];
    return opened.length === 1 ? opened[0]! : Buffer.concat(opened);
  }

  /**
   * Bytes of one direction were not captured. Nothing after them can be decrypted; true when
   * plaintext of that direction was being read, which then has a hole of unknown length.
   */
  gap(dir: Direction, length: number, frame: number): boolean {
    this.observer!.gap(dir, length, frame);
    return this.decrypting[dir];
  }

  /** STLS was accepted: TLS from here on; `clientTail` is what the client already sent after STLS. */
  start(clientTail: Uint8Array, frame: number): void {
    this.transport = 'stls';
    this.active = true;
    this.observer = new TlsObserver(this.frameLabel, this.decryption);
    if (clientTail.length > 0) this.observer.data('client', clientTail, frame);
  }

  result(): TlsInfo | null {
    return this.observer ? this.observer.result() : null;
  }
}
