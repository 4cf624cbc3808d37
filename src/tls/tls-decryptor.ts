/**
 * Decrypts one connection's TLS records with secrets from a key log, and hands
 * the application data of each direction on as plaintext, with the frame of the
 * record that completed it.
 *
 * It learns what it needs from the handshake as it passes: the client random
 * (which finds the key log entry), the version, the cipher suite and, for TLS
 * 1.2, the server random and encrypt-then-MAC. TLS 1.3 (RFC 8446): each side's
 * encrypted handshake is opened with its handshake traffic keys until its
 * Finished, then the application traffic keys take over; KeyUpdate moves to the
 * next secret; a HelloRetryRequest is not the ServerHello that sets the keys;
 * middlebox-compatibility ChangeCipherSpec records are skipped; post-handshake
 * messages (NewSessionTicket) are read and dropped. TLS 1.2 (RFC 5246): each
 * side's ChangeCipherSpec switches it to the keys of the latest ServerHello, so a
 * renegotiation inside the encrypted channel brings its own keys.
 *
 * A direction stops, keeping what it decrypted before, at a record that does not
 * authenticate, at a record larger than the RFCs allow, or at a gap in the
 * capture: ciphertext after a hole cannot be placed in its record sequence.
 */
import type { Direction } from '../tcp/stream.js';
import { CONTENT_APPLICATION_DATA, CONTENT_CHANGE_CIPHER_SPEC, CONTENT_HANDSHAKE, type TlsRecord } from './record-layer.js';
import { HANDSHAKE_CLIENT_HELLO, HANDSHAKE_SERVER_HELLO, HandshakeFramer, type HandshakeMessage } from './handshake-framer.js';
import { parseClientHello, parseServerHello } from './handshake.js';
import type { KeyLogEntry, KeyLogStore } from './key-log.js';
import { decryptionSuite, type DecryptionSuite } from './decryption-suites.js';
import { nextTrafficSecret, trafficKeys } from './tls13-key-schedule.js';
import { tls12KeyBlock } from './tls12-key-block.js';
import { Tls12AeadOpener, Tls12CbcOpener, Tls13RecordOpener, type RecordOpener } from './record-protection.js';
import { cipherSuiteName } from './cipher-suites.js';
import { versionName } from './versions.js';

export type DecryptionStatus = 'decrypted' | 'no-keys' | 'unsupported' | 'failed';

export interface PlaintextSink {
  /** Application data of one direction, in order; `frame` is the frame that completed its record. */
  plaintext(dir: Direction, bytes: Uint8Array, frame: number): void;
}

const HANDSHAKE_FINISHED = 20;
const HANDSHAKE_KEY_UPDATE = 24;
const TLS13 = 0x0304;
const TLS12 = 0x0303;

/** Protected records held while the other direction's handshake has not yet said how to open them (capture order can differ from send order). */
const MAX_HELD_BYTES = 65536;

interface DirectionState {
  /** Opens this direction's protected records; null while it is still in clear. */
  opener: RecordOpener | null;
  /** TLS 1.2: the keys this direction's next ChangeCipherSpec switches to. */
  pending: RecordOpener | null;
  /** TLS 1.3: the current traffic secret, for KeyUpdate. */
  secret: Buffer | null;
  /** TLS 1.3: the application traffic secret that follows this side's Finished. */
  applicationSecret: Buffer | null;
  handshake: HandshakeFramer;
  /** Protected records that arrived before the keys were known. */
  held: { record: TlsRecord; frame: number }[];
  heldBytes: number;
  /** Why this direction stopped, or null while it is decrypting. */
  stopped: string | null;
  /** Application-data records opened. */
  opened: number;
}

export class TlsDecryptor {
  private readonly dirs: Record<Direction, DirectionState>;
  private clientRandom: Uint8Array | null = null;
  /** TLS 1.3: the client offered 0-RTT data, sent under early keys this decryptor does not have. */
  private earlyData = false;
  private suite: DecryptionSuite | null = null;
  private version: number | null = null;
  private entry: KeyLogEntry | null = null;
  private status: DecryptionStatus | null = null;
  private reason: string | null = null;

  constructor(private readonly keys: KeyLogStore, private readonly sink: PlaintextSink) {
    this.dirs = { client: this.makeDirection('client'), server: this.makeDirection('server') };
  }

  /** Every record of one direction, in stream order (clear and protected). */
  record(dir: Direction, record: TlsRecord, frame: number): void {
    const state = this.dirs[dir];
    if (state.stopped !== null) return;
    if (record.body === null) {
      this.stop(dir, 'a record lost to a gap in the capture');
      return;
    }
    if (state.opener === null) {
      this.clearRecord(dir, state, record, frame);
      return;
    }
    if (record.type === CONTENT_CHANGE_CIPHER_SPEC && this.version === TLS13) return; // middlebox compatibility (RFC 8446 §D.4)
    const opened = state.opener.open(record.type, record.version, record.body);
    if (!opened.ok) {
      // 0-RTT records come before the client's Finished under early keys (not in the key
      // logs decrypted here): skipped, like Wireshark's trial decryption, not a failure.
      if (dir === 'client' && this.earlyData && this.version === TLS13 && state.applicationSecret !== null) {
        this.reason ??= 'the client\'s 0-RTT early data was not decrypted';
        return;
      }
      this.fail(dir, opened.reason, frame);
      return;
    }
    this.content(dir, state, opened.type, opened.plaintext, frame);
  }

  /** The capture lacks bytes of this direction: nothing after them can be decrypted. */
  gap(dir: Direction, frame: number | string): void {
    this.directionLost(dir, `${dir} direction: decryption stopped at a gap in the capture (frame ${frame}); what came before it was kept`);
  }

  /** The record layer lost this direction's framing (bytes that are not TLS). */
  framingLost(dir: Direction, why: string): void {
    this.directionLost(dir, `${dir} direction: decryption stopped: ${why}`);
  }

  private directionLost(dir: Direction, why: string): void {
    if (this.dirs[dir].stopped !== null) return;
    this.stop(dir, why);
    if (this.status === null || this.status === 'decrypted') this.reason ??= why;
  }

  /** The outcome so far: status and the reason behind it (null when nothing needs saying). */
  result(): { decryption: DecryptionStatus; decryptionReason: string | null } {
    if (this.status !== null) return { decryption: this.status, decryptionReason: this.reason };
    if (this.clientRandom === null) {
      return { decryption: 'no-keys', decryptionReason: 'the ClientHello was not captured, so the key log entry cannot be found' };
    }
    if (this.suite === null && this.version === null) {
      return { decryption: 'no-keys', decryptionReason: 'the ServerHello was not captured: version and cipher suite unknown' };
    }
    return { decryption: 'decrypted', decryptionReason: this.reason };
  }

  private makeDirection(dir: Direction): DirectionState {
    return {
      opener: null, pending: null, secret: null, applicationSecret: null,
      handshake: new HandshakeFramer((m) => this.handshakeMessage(dir, m)),
      held: [], heldBytes: 0, stopped: null, opened: 0,
    };
  }

  private clearRecord(dir: Direction, state: DirectionState, record: TlsRecord, frame: number): void {
    const body = record.body!;
    if (record.type === CONTENT_HANDSHAKE) {
      state.handshake.push(body);
    } else if (record.type === CONTENT_CHANGE_CIPHER_SPEC) {
      if (this.version === TLS12 && state.pending !== null) {
        state.opener = state.pending;
        state.pending = null;
      }
    } else if (record.type === CONTENT_APPLICATION_DATA && this.status === null) {
      // Protected before this side's keys are known: hold it (bounded) until the other side's hello arrives.
      state.held.push({ record: { ...record, body: body.slice() }, frame });
      state.heldBytes += body.length;
      if (state.heldBytes > MAX_HELD_BYTES) {
        state.held = [];
        this.stop(dir, `${dir} direction: more protected records before the ServerHello than are held (0-RTT early data is not decrypted)`);
      }
    }
  }

  private content(dir: Direction, state: DirectionState, type: number, plaintext: Uint8Array, frame: number): void {
    if (type === CONTENT_APPLICATION_DATA) {
      state.opened++;
      if (this.status === null) this.status = 'decrypted';
      if (plaintext.length > 0) this.sink.plaintext(dir, plaintext, frame);
    } else if (type === CONTENT_HANDSHAKE) {
      state.handshake.push(plaintext);
    } else if (type === CONTENT_CHANGE_CIPHER_SPEC && this.version === TLS12 && state.pending !== null) {
      // A renegotiation's ChangeCipherSpec travels under the old keys.
      state.opener = state.pending;
      state.pending = null;
    }
    // Alerts and anything else carry no mail.
  }

  private handshakeMessage(dir: Direction, message: HandshakeMessage): void {
    if (dir === 'client' && message.type === HANDSHAKE_CLIENT_HELLO) {
      const hello = parseClientHello(message.body);
      if (hello !== null) {
        this.clientRandom = hello.random.slice();
        this.earlyData = hello.earlyData;
      }
    } else if (dir === 'server' && message.type === HANDSHAKE_SERVER_HELLO) {
      const hello = parseServerHello(message.body);
      if (hello === null || hello.helloRetryRequest) return;
      this.serverHello(hello.selectedVersion ?? hello.legacyVersion, hello.cipherSuite, hello.random, hello.encryptThenMac);
    } else if (message.type === HANDSHAKE_FINISHED && this.version === TLS13) {
      const state = this.dirs[dir];
      if (state.applicationSecret !== null) {
        this.setTls13Secret(state, state.applicationSecret);
        state.applicationSecret = null;
      }
    } else if (message.type === HANDSHAKE_KEY_UPDATE && this.version === TLS13) {
      const state = this.dirs[dir];
      if (state.secret !== null && state.applicationSecret === null) {
        this.setTls13Secret(state, nextTrafficSecret(this.suite!.prfHash, state.secret));
      }
    }
    // NewSessionTicket (4) and the other messages are read past.
  }

  private serverHello(version: number, suiteId: number, serverRandom: Uint8Array, encryptThenMac: boolean): void {
    const suiteName = cipherSuiteName(suiteId) ?? `0x${suiteId.toString(16).padStart(4, '0')}`;
    this.version = version;
    if (version !== TLS13 && version !== TLS12) {
      this.decide('unsupported', `${versionName(version)} is not decrypted (TLS 1.2 and 1.3 are)`);
      return;
    }
    const suite = decryptionSuite(suiteId);
    if (suite === null || suite.version !== version) {
      this.decide('unsupported', `${suiteName} is not decrypted under ${versionName(version)}`);
      return;
    }
    this.suite = suite;
    if (this.clientRandom === null) {
      this.decide('no-keys', 'the ClientHello was not captured, so the key log entry cannot be found');
      return;
    }
    const entry = this.keys.find(this.clientRandom);
    if (version === TLS13) {
      const missing = missingTls13Secrets(entry);
      if (missing.length > 0) {
        this.decide('no-keys', entry === null
          ? 'no key log entry for this ClientHello'
          : `the key log lacks ${missing.join(', ')} for this ClientHello`);
        return;
      }
      this.entry = entry!;
      const client = this.dirs.client;
      const server = this.dirs.server;
      this.setTls13Secret(server, entry!.serverHandshakeTrafficSecret!);
      server.applicationSecret = entry!.serverTrafficSecret0!;
      this.setTls13Secret(client, entry!.clientHandshakeTrafficSecret!);
      client.applicationSecret = entry!.clientTrafficSecret0!;
    } else {
      if (entry?.masterSecret === undefined) {
        // A renegotiation without its own entry keeps what was decrypted so far.
        if (this.entry === null) this.decide('no-keys', 'no key log entry (CLIENT_RANDOM) for this ClientHello');
        else this.reason ??= 'a renegotiation has no key log entry: decryption stops at its ChangeCipherSpec';
        for (const dir of ['client', 'server'] as const) this.dirs[dir].pending = null;
        return;
      }
      this.entry = entry;
      const block = tls12KeyBlock(suite, entry.masterSecret, this.clientRandom, serverRandom);
      for (const dir of ['client', 'server'] as const) {
        const keys = block[dir];
        this.dirs[dir].pending = suite.macHash === null
          ? new Tls12AeadOpener(suite, keys.key, keys.iv)
          : new Tls12CbcOpener(suite, keys.key, keys.macKey, encryptThenMac);
      }
    }
    this.releaseHeld();
  }

  private setTls13Secret(state: DirectionState, secret: Buffer): void {
    const suite = this.suite!;
    state.secret = secret;
    const keys = trafficKeys(suite.prfHash, secret, suite.keyLength);
    state.opener = new Tls13RecordOpener(suite, keys.key, keys.iv);
  }

  /** Records held before the ServerHello, now that the keys are known (TLS 1.3) or dropped (TLS 1.2 has none before a ChangeCipherSpec). */
  private releaseHeld(): void {
    for (const dir of ['client', 'server'] as const) {
      const state = this.dirs[dir];
      const held = state.held;
      state.held = [];
      state.heldBytes = 0;
      for (const h of held) this.record(dir, h.record, h.frame);
    }
  }

  private decide(status: DecryptionStatus, reason: string): void {
    if (this.status === 'failed') return;
    this.status = status;
    this.reason = reason;
    for (const dir of ['client', 'server'] as const) {
      this.dirs[dir].held = [];
      this.dirs[dir].opener = null;
      this.dirs[dir].pending = null;
      this.dirs[dir].stopped ??= reason;
    }
  }

  private fail(dir: Direction, why: string, frame: number): void {
    this.stop(dir, `${dir} direction, frame ${frame}: ${why}`);
    // The first failure is the one to look at; the other direction usually fails the same way.
    if (this.status !== 'failed') this.reason = this.dirs[dir].stopped;
    this.status = 'failed';
  }

  private stop(dir: Direction, why: string): void {
    const state = this.dirs[dir];
    state.stopped = why;
    state.opener = null;
    state.pending = null;
    state.held = [];
  }
}

function missingTls13Secrets(entry: KeyLogEntry | null): string[] {
  const names: [keyof KeyLogEntry, string][] = [
    ['clientHandshakeTrafficSecret', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'],
    ['serverHandshakeTrafficSecret', 'SERVER_HANDSHAKE_TRAFFIC_SECRET'],
    ['clientTrafficSecret0', 'CLIENT_TRAFFIC_SECRET_0'],
    ['serverTrafficSecret0', 'SERVER_TRAFFIC_SECRET_0'],
  ];
  return names.filter(([field]) => entry?.[field] === undefined).map(([, label]) => label);
}
