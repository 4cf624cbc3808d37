/**
 * `pop3scope check --live lo -- CMD`: records loopback while a real client talks to a
 * private dovecot (fixtures/with-dovecot.sh, the server record.sh records from), then
 * gates what it recorded. Needs root (capture, ports 110/995) with tcpdump and dovecot,
 * as CI has (.ci/run installs them); elsewhere it is skipped, saying why.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, REPO } from '../support/run-cli.js';

const isRoot = process.getuid?.() === 0;
const haveTools = ['/usr/sbin/dovecot', '/usr/lib/dovecot/pop3'].every(existsSync) &&
  spawnSync('sh', ['-c', 'command -v tcpdump || command -v dumpcap']).status === 0;
const skipped = !isRoot
  ? ' (skipped: needs root, to capture on lo and run dovecot on ports 110/995; CI runs as root)'
  : !haveTools ? ' (skipped: needs dovecot-core, dovecot-pop3d and tcpdump; .ci/run installs them)' : '';
const CLIENT = 'fixtures/clients/poplib_session.py';

/**
 * Runs `pop3scope ARGS` while the private dovecot listens, under the recording lock (held by
 * flock itself, -o, so the daemon does not inherit it). Asynchronous: the lock may be busy
 * for a while on a machine where fixtures are being recorded.
 */
function withDovecot(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('flock', ['-o', '/tmp/pop3scope-record.lock', 'bash', 'fixtures/with-dovecot.sh', process.execPath, BIN, ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

/** poplib logging in as alice (its password from with-dovecot.sh), STAT, QUIT; truth to a scratch file. */
const client = (dir: string, ...extra: string[]) =>
  ['bash', '-c', `python3 ${CLIENT} --user alice --password "$PW_ALICE" --truth ${dir}/truth.json --secrets ${dir}/secrets.json --capture live ${extra.join(' ')} stat quit`];

describe.skipIf(skipped !== '')(`check --live lo -- CMD against a private dovecot${skipped}`, () => {
  it('a USER/PASS login: exit 1 with cleartext-credentials; --save keeps the recording', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-live-'));
    try {
      const saved = join(dir, 'rec.pcap');
      const r = await withDovecot(['check', '--live', 'lo', '--save', saved, '--format', 'json', '--', ...client(dir)]);
      expect(r.status, r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.sessions.length).toBe(1);
      expect(doc.sessions[0].auth[0]).toMatchObject({ mechanism: 'USER', user: 'alice', outcome: 'success' });
      expect(doc.findings.map((f: { rule: string }) => f.rule)).toContain('cleartext-credentials');
      expect(r.stderr).toContain('the command (bash) succeeded');
      // Content detection is on: POP3 may be on any port, so all TCP is recorded.
      expect(r.stderr).toContain('recording lo with tcpdump (tcp)');
      expect(r.stderr).toMatch(/the check failed: 1 finding at or above high/);
      // The client's own log says which lines it sent: the recording holds the same session.
      const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
      expect(truth.sessions.length).toBe(1);
      const again = spawnSync(process.execPath, [BIN, 'check', saved, '--format', 'json'], { cwd: REPO });
      expect(JSON.parse(again.stdout.toString()).sessions.length).toBe(1);
      // The password the client sent (its own log) is redacted in everything pop3scope says
      // (the client's own output, passed through to standard error, is its business).
      const secrets: string[] = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).secrets;
      expect(secrets.length).toBeGreaterThan(0);
      const ours = r.stdout + r.stderr.split('\n').filter((l) => l.startsWith('pop3scope:')).join('\n');
      for (const secret of secrets) expect(ours).not.toContain(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the same login after STLS: exit 0 (--no-detect: only the POP3 ports are recorded)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-live-'));
    try {
      const r = await withDovecot(['check', '--live', 'lo', '--no-detect', '--', ...client(dir, '--stls')]);
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(r.stderr).toContain('(tcp and (port 110 or port 995))');
      expect(r.stdout).toContain('PASS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("the command's own failure is reported as such: exit 4, whatever the findings", async () => {
    const r = await withDovecot(['check', '--live', 'lo', '--', 'bash', '-c', 'exit 3']);
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toContain('the command (bash) failed: exited with 3');
  }, 120_000);
});

const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
// A clone under a private folder (mktemp -d, a home directory) cannot be read by nobody at all.
const nobodyReadsTool = isRoot
  && spawnSync('setpriv', [...AS_NOBODY, process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`]).status === 0;
const nobodySkip = !isRoot ? ' (skipped: needs root to switch to nobody)' : !nobodyReadsTool ? ' (skipped: nobody cannot read this clone)' : '';

describe.skipIf(!nobodyReadsTool)(`--live without the privilege to capture, run as nobody${nobodySkip}`, () => {
  it('says capture needs privileges, and how to get them', () => {
    const r = spawnSync('setpriv', [...AS_NOBODY, process.execPath, BIN, 'check', '--live', 'lo', '--', 'true'], { cwd: REPO, env: { ...process.env, PATH: `${dirname(process.execPath)}:/usr/sbin:/usr/bin:/sbin:/bin` } });
    expect(r.status, r.stderr.toString()).toBe(2);
    expect(r.stderr.toString()).toMatch(/capturing on lo needs privileges (tcpdump|dumpcap) lacks here: run as root/);
  });
});

describe('--live usage errors (no capture needed)', () => {
  it('--save without --live is a usage error', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', 'x.pcap', '--save', '/tmp/x.pcap'], { cwd: REPO });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toContain('--save keeps what --live records');
  });

  it('no capture program: the error names the Debian package', () => {
    // A PATH holding node alone.
    const bin = mkdtempSync(join(tmpdir(), 'pop3scope-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = spawnSync(join(bin, 'node'), [BIN, 'check', '--live', 'lo', '--', 'true'], { cwd: REPO, env: { ...process.env, PATH: bin } });
    rmSync(bin, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toContain('install the Debian package tcpdump');
  });
});
