/** --keylog and follow --decrypted at the command line: what a user sees when something is off. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const CAPTURE = 'fixtures/tls/captures/tls13-chacha20-implicit-openssl.pcap';
const KEYS = 'fixtures/tls/keylogs/tls13-chacha20-implicit-openssl.keys';
const dir = mkdtempSync(join(tmpdir(), 'pop3scope-keylog-cli-'));

describe('--keylog', () => {
  it('a bad line is one warning naming the file and the line; the good lines decrypt', () => {
    const bad = join(dir, 'bad.keys');
    writeFileSync(bad, readFileSync(KEYS, 'latin1') + 'CLIENT_RANDOM zz\n');
    const lineNo = readFileSync(bad, 'latin1').split('\n').length - 1;
    const run = runCli(['sessions', CAPTURE, '--keylog', bad]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/implicit-tls {2}bob {3}USER {2}success/);
    expect(run.stderr).toBe(`pop3scope: warning: ${CAPTURE}: key log ${bad}: 1 line not used (line ${lineNo}: expected 3 fields (label, client random, secret), found 2); the other lines were used\n`);
  });

  it('a key log that cannot be read is a usage error naming it', () => {
    const run = runCli(['analyze', CAPTURE, '--keylog', join(dir, 'missing.keys')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`pop3scope: cannot read key log '${join(dir, 'missing.keys')}': no such file or directory\n`);
  });
});

describe('follow --decrypted', () => {
  it('text and hex show the decrypted lines of one side', () => {
    const text = runCli(['follow', CAPTURE, '--keylog', KEYS, '--session', '1', '--decrypted', '--direction', 'client']);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n').slice(1, 4)).toEqual([
      '(decrypted TLS 1.3 TLS_CHACHA20_POLY1305_SHA256 application data: credentials in it are not redacted)', 'C→ CAPA', 'C→ USER bob',
    ]);
    const hex = runCli(['follow', CAPTURE, '--keylog', KEYS, '--session', '1', '--decrypted', '--direction', 'client', '--format', 'hex']);
    expect(hex.stdout).toContain('00000000  43 41 50 41 0d 0a');
  });

  it('a session without TLS, or without keys, is an error saying which', () => {
    const clear = runCli(['follow', 'fixtures/captures/user-pass-retr-dele-quit.pcap', '--session', '1', '--decrypted']);
    expect(clear.status).toBe(2);
    expect(clear.stderr).toBe('pop3scope: session 1 carries no TLS: follow it without --decrypted\n');
    const noKeys = runCli(['follow', CAPTURE, '--session', '1', '--decrypted', '--format', 'raw']);
    expect(noKeys.status).toBe(2);
    expect(noKeys.stderr).toMatch(/^pop3scope: session 1 was not decrypted: no-keys \(no key log was given/);
    expect(noKeys.stdout).toBe('');
  });
});

describe('every subcommand that analyses takes --keylog', () => {
  it.each(['analyze', 'check', 'sessions', 'transcript', 'follow'])('%s --help lists it', (sub) => {
    const run = runCli([sub, '--help']);
    expect(run.stdout).toMatch(/--keylog <file>\s+TLS key log \(NSS format/);
  });
});
