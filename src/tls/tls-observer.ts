/**
 * Watches one connection's TLS bytes and describes the handshake.
 * Placeholder interface: the real parser replaces the body, not the signature.
 */
import type { Direction } from '../tcp/stream.js';
import type { TlsInfo } from '../model.js';

export class TlsObserver {
  private readonly info: TlsInfo = {
    startFrame: null, recordVersion: null, clientVersions: [], version: null,
    cipherSuite: null, cipherSuiteId: null, sni: null, alpn: [],
    encryptedBytes: { client: 0, server: 0 }, alerts: [],
  };

  constructor(private readonly frameLabel: (frame: number) => number | string) {}

  /** Bytes of one direction, in stream order, after TLS started. */
  data(dir: Direction, bytes: Uint8Array, firstFrame: number): void {
    if (this.info.startFrame === null) this.info.startFrame = this.frameLabel(firstFrame);
    this.info.encryptedBytes[dir] += bytes.length;
  }

  /** Bytes the capture lacks: the record layer resynchronises if it can. */
  gap(_dir: Direction, _length: number): void {}

  result(): TlsInfo {
    return this.info;
  }
}
