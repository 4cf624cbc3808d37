/**
 * Decrypting whole connections: TLS 1.3 (handshake keys until Finished, then
 * application keys, KeyUpdate, NewSessionTicket, HelloRetryRequest, middlebox
 * ChangeCipherSpec) and TLS 1.2 AES-GCM (ChangeCipherSpec, renegotiation), with
 * records sealed by test/support/tls-sealer.ts, and each status a session can end in.
 */
import { describe, expect, it } from 'vitest';
import { TlsObserver } from '../../src/tls/tls-observer.js';
import { KeyLogReader, KeyLogStore } from '../../src/tls/key-log.js';
import type { Direction } from '../../src/tcp/stream.js';
import {
  bytes, clientHelloBody, clientVersionsExtension, extension, handshake, record, serverHelloBody, serverVersionExtension,
} from './tls-bytes.js';
import { Tls12GcmSealer, Tls13Sealer, tls12GcmKeys } from '../support/tls-sealer.js';

const CLIENT_RANDOM = Buffer.alloc(32, 0x11); // what clientHelloBody writes
const SERVER_RANDOM = Buffer.alloc(32, 0x33);
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const secret = (n: number, length = 48) => Buffer.alloc(length, n);
const text = (s: string) => Buffer.from(s, 'latin1');

function keyLog(lines: string[]): KeyLogStore {
  const store = new KeyLogStore();
  new KeyLogReader(store, 'test').text(lines.join('\n'));
  return store;
}

function tls13Log(random = CLIENT_RANDOM, secrets = [1, 2, 3, 4]): string[] {
  const r = random.toString('hex');
  return [
    `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${r} ${secret(secrets[0]).toString('hex')}`,
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${r} ${secret(secrets[1]).toString('hex')}`,
    `CLIENT_TRAFFIC_SECRET_0 ${r} ${secret(secrets[2]).toString('hex')}`,
    `SERVER_TRAFFIC_SECRET_0 ${r} ${secret(secrets[3]).toString('hex')}`,
  ];
}

/** A connection fed to the observer: each step is one direction's bytes in one frame. */
function run(keys: KeyLogStore, steps: [Direction, Uint8Array | { gap: number }][]) {
  const plain: Record<Direction, string> = { client: '', server: '' };
  const frames: Record<Direction, number[]> = { client: [], server: [] };
  const tls = new TlsObserver((f) => f, {
    keys,
    sink: { plaintext(dir, b, frame) { plain[dir] += Buffer.from(b).toString('latin1'); frames[dir].push(frame); } },
  });
  steps.forEach(([dir, b], i) => {
    if (b instanceof Uint8Array) tls.data(dir, b, i + 1);
    else tls.gap(dir, b.gap, i + 1);
  });
  return { plain, frames, info: tls.result() };
}

const clientHello13 = record(22, 0x0301, handshake(1, clientHelloBody({ version: 0x0303, suites: [0x1302], extensions: [clientVersionsExtension(0x0304)] })));
const serverHello13 = (random = SERVER_RANDOM) => record(22, 0x0303, handshake(2, serverHelloBody({
  version: 0x0303, suite: 0x1302, random: [...random], extensions: [serverVersionExtension(0x0304)],
})));
const CCS = record(20, 0x0303, Uint8Array.of(1));
const serverFlight = bytes(handshake(8, bytes([0, 0])), handshake(11, new Uint8Array(300)), handshake(15, new Uint8Array(40)), handshake(20, new Uint8Array(48)));

function tls13Session(extra: { keyUpdate?: boolean } = {}) {
  const sHs = new Tls13Sealer(0x1302, secret(2));
  const cHs = new Tls13Sealer(0x1302, secret(1));
  const sAp = new Tls13Sealer(0x1302, secret(4));
  const cAp = new Tls13Sealer(0x1302, secret(3));
  const steps: [Direction, Uint8Array][] = [
    ['client', clientHello13],
    ['server', bytes(serverHello13(), CCS, sHs.seal(22, serverFlight.subarray(0, 100)), sHs.seal(22, serverFlight.subarray(100)))],
    ['server', sAp.seal(23, text('+OK Dovecot ready.\r\n'), 30)],
    ['client', bytes(CCS, cHs.seal(22, handshake(20, new Uint8Array(48))))],
    ['server', sAp.seal(22, handshake(4, new Uint8Array(60)))], // NewSessionTicket
    ['client', cAp.seal(23, text('USER alice\r\n'))],
    ['server', sAp.seal(23, text('+OK\r\n'))],
  ];
  if (extra.keyUpdate) steps.push(['client', bytes(cAp.keyUpdate(), cAp.seal(23, text('PASS secret\r\n')))]);
  else steps.push(['client', cAp.seal(23, text('PASS secret\r\n'))]);
  steps.push(['server', sAp.seal(23, text('+OK Logged in.\r\n'))]);
  return steps;
}

describe('TLS 1.3 decryption', () => {
  it('opens the handshake with handshake keys, then application data with traffic secret 0', () => {
    const r = run(keyLog(tls13Log()), tls13Session());
    expect(r.info.decryption).toBe('decrypted');
    expect(r.info.decryptionReason).toBeNull();
    expect(r.plain.client).toBe('USER alice\r\nPASS secret\r\n');
    expect(r.plain.server).toBe('+OK Dovecot ready.\r\n+OK\r\n+OK Logged in.\r\n');
    expect(r.frames.client).toEqual([6, 8]);
    expect(r.frames.server).toEqual([3, 7, 9]);
  });

  it('follows a KeyUpdate to the next application secret', () => {
    const r = run(keyLog(tls13Log()), tls13Session({ keyUpdate: true }));
    expect(r.info.decryption).toBe('decrypted');
    expect(r.plain.client).toBe('USER alice\r\nPASS secret\r\n');
  });

  it('a HelloRetryRequest does not set the keys; the ServerHello after the second ClientHello does', () => {
    const steps = tls13Session();
    steps.splice(1, 0, ['server', bytes(serverHello13(HRR_RANDOM), CCS)], ['client', bytes(CCS, clientHello13)]);
    const r = run(keyLog(tls13Log()), steps);
    expect(r.info.decryption).toBe('decrypted');
    expect(r.plain.server).toBe('+OK Dovecot ready.\r\n+OK\r\n+OK Logged in.\r\n');
  });

  it('no-keys: the key log has no entry for this ClientHello', () => {
    const r = run(keyLog(tls13Log(Buffer.alloc(32, 0x99))), tls13Session());
    expect(r.info.decryption).toBe('no-keys');
    expect(r.info.decryptionReason).toBe('no key log entry for this ClientHello');
    expect(r.plain).toEqual({ client: '', server: '' });
  });

  it('no-keys: the entry lacks a secret, named', () => {
    const r = run(keyLog(tls13Log().slice(0, 3)), tls13Session());
    expect(r.info.decryption).toBe('no-keys');
    expect(r.info.decryptionReason).toBe('the key log lacks SERVER_TRAFFIC_SECRET_0 for this ClientHello');
  });

  it('failed: wrong secrets do not authenticate, and the reason names the direction and frame', () => {
    const r = run(keyLog(tls13Log(CLIENT_RANDOM, [1, 9, 3, 4])), tls13Session());
    expect(r.info.decryption).toBe('failed');
    expect(r.info.decryptionReason).toBe('server direction, frame 2: a record did not authenticate (wrong key log entry, or corrupted data)');
    expect(r.plain.server).toBe('');
  });

  it('a gap stops that direction and keeps what came before it', () => {
    const steps: [Direction, Uint8Array | { gap: number }][] = tls13Session();
    steps.splice(7, 0, ['server', { gap: 100 }]);
    const r = run(keyLog(tls13Log()), steps);
    expect(r.info.decryption).toBe('decrypted');
    expect(r.plain.server).toBe('+OK Dovecot ready.\r\n+OK\r\n');
    expect(r.plain.client).toBe('USER alice\r\nPASS secret\r\n');
    expect(r.info.decryptionReason).toBe('server direction: decryption stopped at a gap in the capture (frame 8); what came before it was kept');
  });

  it('a record longer than 2^14 + 256 octets of ciphertext is an error for that direction', () => {
    const steps = tls13Session().slice(0, 3);
    steps.push(['server', record(23, 0x0303, new Uint8Array(16384 + 300))]);
    const r = run(keyLog(tls13Log()), steps);
    expect(r.info.decryption).toBe('failed');
    expect(r.info.decryptionReason).toMatch(/server direction, frame 4: a record of 16684 octets of ciphertext \(at most 16640 allowed\)/);
    expect(r.plain.server).toBe('+OK Dovecot ready.\r\n');
  });

  it('without a key log nothing is decrypted and the status says why', () => {
    const tls = new TlsObserver((f) => f);
    for (const [dir, b] of tls13Session()) tls.data(dir, b, 1);
    expect(tls.result().decryption).toBe('no-keys');
    expect(tls.result().decryptionReason).toMatch(/no key log was given/);
  });
});

describe('TLS 1.2 decryption', () => {
  const MASTER = secret(7);
  const clientHello12 = (random = CLIENT_RANDOM) => record(22, 0x0301, handshake(1, bytes(clientHelloBody({ version: 0x0303, suites: [0xc030] }).map((b, i) => (i >= 2 && i < 34 ? random[i - 2] : b)))));
  const serverHello12 = (suite = 0xc030, random = SERVER_RANDOM) => record(22, 0x0303, handshake(2, serverHelloBody({ version: 0x0303, suite, random: [...random], extensions: [extension(0xff01, Uint8Array.of(0))] })));

  function tls12Session() {
    const keys = tls12GcmKeys('sha384', MASTER, CLIENT_RANDOM, SERVER_RANDOM, 32);
    const c = new Tls12GcmSealer(keys.client.key, keys.client.salt);
    const s = new Tls12GcmSealer(keys.server.key, keys.server.salt);
    const steps: [Direction, Uint8Array][] = [
      ['client', clientHello12()],
      ['server', bytes(serverHello12(), record(22, 0x0303, handshake(14, new Uint8Array(0))))],
      ['client', bytes(record(22, 0x0303, handshake(16, new Uint8Array(33))), CCS, c.seal(22, handshake(20, new Uint8Array(12))))],
      ['server', bytes(CCS, s.seal(22, handshake(20, new Uint8Array(12))))],
      ['server', s.seal(23, text('+OK Dovecot ready.\r\n'))],
      ['client', c.seal(23, text('USER bob\r\n'))],
      ['server', s.seal(23, text('+OK\r\n'))],
    ];
    return { steps, c, s };
  }
  const log = (random = CLIENT_RANDOM, master = MASTER) => `CLIENT_RANDOM ${random.toString('hex')} ${master.toString('hex')}`;

  it('AES-256-GCM: keys from the master secret, switched on by each side\'s ChangeCipherSpec', () => {
    const r = run(keyLog([log()]), tls12Session().steps);
    expect(r.info.decryption).toBe('decrypted');
    expect(r.plain.server).toBe('+OK Dovecot ready.\r\n+OK\r\n');
    expect(r.plain.client).toBe('USER bob\r\n');
  });

  it('a renegotiation inside the encrypted channel brings its own keys', () => {
    const { steps, c, s } = tls12Session();
    const random2 = Buffer.alloc(32, 0x44);
    const server2 = Buffer.alloc(32, 0x55);
    const keys2 = tls12GcmKeys('sha384', secret(8), random2, server2, 32);
    const c2 = new Tls12GcmSealer(keys2.client.key, keys2.client.salt);
    const s2 = new Tls12GcmSealer(keys2.server.key, keys2.server.salt);
    const inner = (r: Uint8Array) => r.subarray(5); // the handshake message inside a clear record
    steps.push(
      ['client', c.seal(22, inner(clientHello12(random2)))],
      ['server', s.seal(22, inner(serverHello12(0xc030, server2)))],
      ['client', bytes(c.seal(20, Uint8Array.of(1)), c2.seal(22, handshake(20, new Uint8Array(12))))],
      ['server', bytes(s.seal(20, Uint8Array.of(1)), s2.seal(22, handshake(20, new Uint8Array(12))))],
      ['client', c2.seal(23, text('STAT\r\n'))],
      ['server', s2.seal(23, text('+OK 0 0\r\n'))],
    );
    const r = run(keyLog([log(), log(random2, secret(8))]), steps);
    expect(r.info.decryption).toBe('decrypted');
    expect(r.plain.client).toBe('USER bob\r\nSTAT\r\n');
    expect(r.plain.server).toBe('+OK Dovecot ready.\r\n+OK\r\n+OK 0 0\r\n');
  });

  it('unsupported: a suite not covered is named', () => {
    const steps: [Direction, Uint8Array][] = [['client', clientHello12()], ['server', serverHello12(0x0005)]];
    const r = run(keyLog([log()]), steps);
    expect(r.info.decryption).toBe('unsupported');
    expect(r.info.decryptionReason).toBe('TLS_RSA_WITH_RC4_128_SHA is not decrypted under TLS 1.2');
  });

  it('unsupported: a version not covered is named', () => {
    const sh = record(22, 0x0301, handshake(2, serverHelloBody({ version: 0x0301, suite: 0xc014 })));
    const r = run(keyLog([log()]), [['client', clientHello12()], ['server', sh]]);
    expect(r.info.decryption).toBe('unsupported');
    expect(r.info.decryptionReason).toBe('TLS 1.0 is not decrypted (TLS 1.2 and 1.3 are)');
  });

  it('failed: a wrong master secret', () => {
    const r = run(keyLog([log(CLIENT_RANDOM, secret(9))]), tls12Session().steps);
    expect(r.info.decryption).toBe('failed');
    expect(r.info.decryptionReason).toBe('client direction, frame 3: a record did not authenticate (wrong key log entry, or corrupted data)');
  });
});

describe('a key log without usable lines', () => {
  it('says so instead of claiming none was given', () => {
    const store = new KeyLogStore();
    new KeyLogReader(store, 'empty.txt').text('# nothing here\nCLIENT_RANDOM bad\n');
    const tls = new TlsObserver((f) => f, { keys: store, sink: { plaintext() {} } });
    tls.data('client', clientHello13, 1);
    expect(tls.result()).toMatchObject({ decryption: 'no-keys', decryptionReason: 'the key logs given hold no usable secret (see the warning about their lines)' });
  });
});

describe('TLS 1.3 0-RTT', () => {
  it('early data records (under keys a key log here lacks) are skipped, not a failure; the rest decrypts', () => {
    const hello = record(22, 0x0301, handshake(1, clientHelloBody({ version: 0x0303, suites: [0x1302], extensions: [clientVersionsExtension(0x0304), extension(42, new Uint8Array(0))] })));
    const early = new Tls13Sealer(0x1302, secret(9));
    const steps = tls13Session();
    steps[0] = ['client', bytes(hello, early.seal(23, text('USER early\r\n')))];
    // EndOfEarlyData travels under the early keys too, before the client's Finished.
    steps.splice(3, 0, ['client', early.seal(22, Uint8Array.from([5, 0, 0, 0]))]);
    const r = run(keyLog(tls13Log()), steps);
    expect(r.info.decryption).toBe('decrypted');
    expect(r.info.decryptionReason).toBe("the client's 0-RTT early data was not decrypted");
    expect(r.plain.client).toBe('USER alice\r\nPASS secret\r\n');
  });
});
