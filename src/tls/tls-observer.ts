/**
 * Watches one connection's TLS bytes and describes the handshake: offered and
 * negotiated versions, cipher suite, SNI, ALPN, alerts sent in clear, and how
 * much application data crossed. Nothing is decrypted.
 *
 * `encryptedBytes` counts, per direction, the body octets (headers excluded) of
 * records of content type 23 (application_data), including octets the capture
 * lacks inside such a record. Under TLS 1.3 this includes the encrypted end of
 * the handshake (EncryptedExtensions, Certificate, Finished), which travels in
 * type-23 records too. Once a direction's framing is lost (bytes that are not
 * TLS, or a gap across a record header) nothing more is counted for it.
 *
 * Alerts are read only while a direction is still in clear (before its
 * ChangeCipherSpec, or before a TLS 1.3 ServerHello for the server); encrypted
 * alerts cannot be read and are not listed. The first MAX_ALERTS_KEPT are
 * listed; the rest are counted.
 *
 * Given a key log, it also hands every record to a `TlsDecryptor`, which turns
 * the application data into plaintext for the dissector. Without one, records'
 * application data is never buffered, so analysis without keys costs what it did.
 */
import type { Direction } from '../tcp/stream.js';
import { NO_KEY_LOG_REASON, type TlsInfo } from '../model.js';
import {
  CONTENT_ALERT, CONTENT_CHANGE_CIPHER_SPEC, CONTENT_HANDSHAKE, RecordLayer, SSL2_CLIENT_HELLO, SSL2_SERVER_HELLO, type TlsRecord,
} from './record-layer.js';
import { HANDSHAKE_CLIENT_HELLO, HANDSHAKE_SERVER_HELLO, HandshakeFramer, type HandshakeMessage } from './handshake-framer.js';
import { parseClientHello, parseServerHello } from './handshake.js';
import { cipherSuiteName } from './cipher-suites.js';
import { isGrease, versionName } from './versions.js';
import { describeAlert } from './alerts.js';
import type { KeyLogStore } from './key-log.js';
import { TlsDecryptor, type PlaintextSink } from './tls-decryptor.js';

/** What decrypting a connection takes: the secrets, and where plaintext goes. */
export interface TlsDecryption {
  keys: KeyLogStore;
  sink: PlaintextSink;
}

/** Alerts listed per connection; later ones are only counted (`alertsDropped`). */
export const MAX_ALERTS_KEPT = 8;

interface DirectionState {
  records: RecordLayer;
  handshake: HandshakeFramer;
  /** Records from here on are protected: their content cannot be read. */
  encrypted: boolean;
  /** A handshake record was lost to a gap: the message framing is gone. */
  handshakeLost: boolean;
}

export class TlsObserver {
  private readonly info: TlsInfo = {
    startFrame: null, recordVersion: null, clientVersions: [], version: null,
    cipherSuite: null, cipherSuiteId: null, sni: null, alpn: [],
    encryptedBytes: { client: 0, server: 0 }, alerts: [],
    decryption: 'no-keys', decryptionReason: NO_KEY_LOG_REASON,
  };
  private readonly dirs: Record<Direction, DirectionState>;
  private readonly decryptor: TlsDecryptor | null;
  /** The frame whose bytes are being read: a record completed now belongs to it. */
  private frame = 0;

  constructor(private readonly frameLabel: (frame: number) => number | string, decryption?: TlsDecryption) {
    this.decryptor = decryption && decryption.keys.size > 0 ? new TlsDecryptor(decryption.keys, decryption.sink) : null;
    if (decryption && decryption.keys.size === 0 && decryption.keys.sources > 0) {
      this.info.decryptionReason = 'the key logs given hold no usable secret (see the warning about their lines)';
    }
    this.dirs = { client: this.makeDirection('client'), server: this.makeDirection('server') };
  }

  /** Bytes of one direction, in stream order, after TLS started; `frame` is the frame that carried them. */
  data(dir: Direction, bytes: Uint8Array, frame: number): void {
    if (bytes.length === 0) return;
    if (this.info.startFrame === null) this.info.startFrame = this.frameLabel(frame);
    this.frame = frame;
    const records = this.dirs[dir].records;
    records.push(bytes);
    this.info.encryptedBytes[dir] = records.applicationDataBytes;
    if (records.failure === 'not-tls') this.decryptor?.framingLost(dir, 'bytes that are not a TLS record');
  }

  /** Bytes the capture lacks: framing survives a gap inside one record body, not across a header; decryption does not. */
  gap(dir: Direction, length: number, frame?: number): void {
    this.dirs[dir].records.gap(length);
    this.info.encryptedBytes[dir] = this.dirs[dir].records.applicationDataBytes;
    this.decryptor?.gap(dir, this.frameLabel(frame ?? this.frame));
  }

  result(): TlsInfo {
    if (this.decryptor !== null) Object.assign(this.info, this.decryptor.result());
    return this.info;
  }

  private makeDirection(dir: Direction): DirectionState {
    const state: DirectionState = {
      records: new RecordLayer((record) => this.onRecord(dir, state, record), this.decryptor !== null),
      handshake: new HandshakeFramer((message) => this.onHandshake(dir, state, message)),
      encrypted: false,
      handshakeLost: false,
    };
    return state;
  }

  private onRecord(dir: Direction, state: DirectionState, record: TlsRecord): void {
    this.decryptor?.record(dir, record, this.frame);
    if (record.type === SSL2_CLIENT_HELLO || record.type === SSL2_SERVER_HELLO) {
      this.info.recordVersion ??= 'SSL 2.0';
      if (record.type === SSL2_CLIENT_HELLO && dir === 'client') this.info.clientVersions = [versionName(record.version)];
      if (record.type === SSL2_SERVER_HELLO && dir === 'server') this.info.version = versionName(record.version);
      return;
    }
    if (this.info.recordVersion === null) this.info.recordVersion = versionName(record.version);
    if (state.encrypted) return;
    switch (record.type) {
      case CONTENT_CHANGE_CIPHER_SPEC:
        state.encrypted = true;
        break;
      case CONTENT_ALERT:
        if (record.body === null) break;
        for (let i = 0; i + 1 < record.body.length; i += 2) {
          // A peer sends one or two alerts; thousands are a flood, counted rather than kept.
          if (this.info.alerts.length < MAX_ALERTS_KEPT) {
            this.info.alerts.push(`${dir}: ${describeAlert(record.body[i], record.body[i + 1])}`);
          } else {
            this.info.alertsDropped = (this.info.alertsDropped ?? 0) + 1;
          }
        }
        break;
      case CONTENT_HANDSHAKE:
        if (record.body === null) state.handshakeLost = true;
        if (!state.handshakeLost) state.handshake.push(record.body!);
        break;
    }
  }

  private onHandshake(dir: Direction, state: DirectionState, message: HandshakeMessage): void {
    if (dir === 'client' && message.type === HANDSHAKE_CLIENT_HELLO) {
      const hello = parseClientHello(message.body);
      if (hello === null) return;
      const offered = hello.supportedVersions ?? [hello.legacyVersion];
      this.info.clientVersions = offered.filter((v) => !isGrease(v)).map(versionName);
      this.info.sni = hello.sni;
      this.info.alpn = hello.alpn;
    } else if (dir === 'server' && message.type === HANDSHAKE_SERVER_HELLO) {
      const hello = parseServerHello(message.body);
      if (hello === null) return;
      this.info.version = versionName(hello.selectedVersion ?? hello.legacyVersion);
      this.info.cipherSuiteId = hello.cipherSuite;
      this.info.cipherSuite = cipherSuiteName(hello.cipherSuite) ?? `0x${hello.cipherSuite.toString(16).padStart(4, '0')}`;
      // TLS 1.3: everything the server sends after its ServerHello is encrypted.
      if (hello.selectedVersion === 0x0304 && !hello.helloRetryRequest) state.encrypted = true;
    }
  }
}
