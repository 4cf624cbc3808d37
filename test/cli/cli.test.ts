/**
 * The built binary, run as a subprocess the way users and CI run it: standard output,
 * standard error and exit codes for every subcommand and format.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { validateSarif } from '../support/sarif-schema.js';
import { runCli, runShell, BIN, REPO } from '../support/run-cli.js';
import { FIXTURES, followStreams } from '../support/tshark.js';
import { truthFiles } from '../support/truth.js';
import { writePcap } from '../support/capture-writer.js';
import { conversation } from '../support/conversation.js';
import { readBytes } from '../capture/collect.js';

const cap = (name: string) => join(FIXTURES, name);
const USER_PASS = cap('user-pass-retr-dele-quit.pcap');
const POP3S = cap('pop3s-curl.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-cli-'));

describe('analyze', () => {
  it('prints one line per session and the findings, exit 0', () => {
    const r = runCli(['analyze', USER_PASS]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/#1 127\.0\.0\.1:\d+ → 127\.0\.0\.1:110\s+plain\s+alice USER success/);
    expect(r.stdout).toContain('cleartext-credentials');
    expect(r.stdout).not.toMatch(/\x1b\[/); // not a terminal: no colour
  });

  it('is the default subcommand', () => {
    expect(runCli([USER_PASS]).stdout).toBe(runCli(['analyze', USER_PASS]).stdout);
  });

  it('is the default subcommand with options before the file, too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop3scope-policy-'));
    try {
      const policy = join(dir, 'p.json');
      writeFileSync(policy, JSON.stringify({ rules: { 'cleartext-credentials': { enabled: false } } }));
      const r = runCli(['--policy', policy, USER_PASS]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(runCli(['analyze', '--policy', policy, USER_PASS]).stdout);
      expect(r.stdout).not.toContain('cleartext-credentials');
      expect(runCli(['--format', 'json', USER_PASS]).stdout).toBe(runCli(['analyze', '--format', 'json', USER_PASS]).stdout);
      // An option's value that reads like a subcommand's name (a policy file called `rules`) is still a value.
      writeFileSync(join(dir, 'rules'), readFileSync(policy));
      const named = runShell(`cd ${dir} && pop3scope --policy rules ${USER_PASS}`);
      expect(named.stderr).toBe('');
      expect(named.stdout).toBe(r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--format json: the documented shape, one session per recorded session', () => {
    const r = runCli(['analyze', '--format', 'json', USER_PASS]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool.name).toBe('pop3scope');
    const truth = truthFiles().find((t) => t.capture === 'user-pass-retr-dele-quit.pcap')!;
    expect(doc.sessions.length).toBe(truth.sessions.length);
    expect(doc.captures[0].format).toBe('pcap');
  });

  it('--format jsonl: one JSON record per line, captures, sessions and findings', () => {
    const r = runCli(['analyze', '--format', 'jsonl', USER_PASS]);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const types = new Set(records.map((x) => x.type));
    expect(types).toEqual(new Set(['capture', 'session', 'finding']));
  });

  it('--format sarif validates against the official SARIF 2.1.0 schema', () => {
    const r = runCli(['analyze', '--format', 'sarif', USER_PASS]);
    const doc = JSON.parse(r.stdout);
    expect(validateSarif(doc), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(doc.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'cleartext-credentials')).toBe(true);
  });

  it('--output writes the file and nothing to standard output', () => {
    const out = join(tmp, 'a.json');
    const r = runCli(['analyze', '-f', 'json', '-o', out, USER_PASS]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).sessions.length).toBeGreaterThan(0);
  });

  it('reads standard input (-) exactly as the file', () => {
    const fromFile = JSON.parse(runCli(['analyze', '-f', 'json', USER_PASS]).stdout);
    const fromStdin = JSON.parse(runCli(['analyze', '-f', 'json', '-'], { input: readFileSync(USER_PASS) }).stdout);
    expect(fromStdin.sessions).toEqual(fromFile.sessions);
    expect(fromStdin.captures[0].path).toBe('-');
  });

  it('--limit changes a cap, and hitting it is a warning and a count, not a failure', () => {
    const r = runCli(['analyze', '-f', 'json', '--limit', 'line-length=10', USER_PASS]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^pop3scope: warning: .*line-length/m);
    expect(JSON.parse(r.stdout).limits['line-length']).toBeGreaterThan(0);
    expect(runCli(['analyze', '--limit', 'no-such-cap=1', USER_PASS]).status).toBe(2);
  });

  it('filters by --user and --session', () => {
    const doc = JSON.parse(runCli(['analyze', '-f', 'json', '--user', 'nobody-here', USER_PASS]).stdout);
    expect(doc.sessions).toEqual([]);
    const one = JSON.parse(runCli(['analyze', '-f', 'json', '--session', '1', USER_PASS]).stdout);
    expect(one.sessions.map((s: { id: string }) => s.id)).toEqual(['1']);
  });
});

describe('two rotated files holding one session', () => {
  let parts: string[];
  beforeAll(() => {
    // Split a real capture in two at its middle packet, as tcpdump -C would.
    const { packets, info } = readBytes(readFileSync(USER_PASS));
    const half = Math.floor(packets.length / 2);
    const linkType = packets[0].linkType;
    const asWritten = (ps: typeof packets) => ps.map((p) => ({ sec: p.sec, nsec: p.nsec, data: p.data, origLen: p.origLen }));
    parts = [join(tmp, 'rot.pcap1'), join(tmp, 'rot.pcap0')];
    // Named so that name order is the wrong order: the tool must order them by time.
    writeFileSync(parts[1], writePcap(asWritten(packets.slice(0, half)), { linkType }));
    writeFileSync(parts[0], writePcap(asWritten(packets.slice(half)), { linkType }));
    expect(info.packets).toBe(packets.length);
  });

  it('is analysed as one session equal to the unsplit capture', () => {
    const whole = JSON.parse(runCli(['analyze', '-f', 'json', USER_PASS]).stdout);
    const split = JSON.parse(runCli(['analyze', '-f', 'json', ...parts]).stdout);
    expect(split.sessions.length).toBe(whole.sessions.length);
    const strip = (s: { transcript: { command?: string; status?: string; argument?: string }[] }) =>
      s.transcript.map((e) => [e.command, e.status, e.argument]);
    expect(strip(split.sessions[0])).toEqual(strip(whole.sessions[0]));
    // Frames name their file when there are several.
    expect(String(split.sessions[0].transcript.at(-1).frame)).toMatch(/^rot\.pcap1#\d+$/);
    expect(split.captures.map((c: { path: string }) => c.path.split('/').pop())).toEqual(['rot.pcap0', 'rot.pcap1']);
  });
});

describe('transcript, sessions, rules, explain', () => {
  it('transcript shows commands and responses with frames, secrets redacted', () => {
    const r = runCli(['transcript', USER_PASS]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/C→ USER alice/);
    expect(r.stdout).toMatch(/C→ PASS \[redacted\]/);
    expect(r.stdout).toMatch(/RETR data: .*Subject:/);
  });

  it('transcript --explain teaches the protocol from the command table', () => {
    const r = runCli(['transcript', '--explain', USER_PASS]);
    expect(r.stdout).toContain('marks a message for deletion; removed only when QUIT commits');
    expect(r.stdout).toContain('RFC 1939');
    // A SASL step has no keyword: the challenge and the answer are explained by their role.
    const sasl = runCli(['transcript', '--explain', cap('auth-plain.pcap')]).stdout.split('\n');
    const challenge = sasl.findIndex((l) => /S← \+\s*$/.test(l));
    expect(sasl[challenge + 1]).toMatch(/next step of the SASL login.*RFC 5034 §4/);
    expect(sasl[challenge + 2]).toMatch(/C→ \[SASL\] \[redacted\]/);
  });

  it('sessions prints an aligned table', () => {
    const r = runCli(['sessions', USER_PASS]);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/client/i);
  });

  it('rules lists all 16 rules', () => {
    const rows = JSON.parse(runCli(['rules', '-f', 'json']).stdout);
    expect(rows.map((r: { id: string }) => r.id)).toContain('cleartext-credentials');
    expect(rows.length).toBe(16);
  });

  it('explain DELE and explain a rule', () => {
    expect(runCli(['explain', 'DELE']).stdout).toContain('removed only when QUIT commits');
    expect(runCli(['explain', 'cleartext-credentials']).stdout).toMatch(/fix:/);
    const bad = runCli(['explain', 'FROB']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^pop3scope: 'FROB' is not/);
  });
});

describe('check: the CI gate', () => {
  it('exits 1 when a finding reaches --fail-on', () => {
    const r = runCli(['check', '--fail-on', 'high', USER_PASS]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
  });

  it('exits 0 when nothing reaches it (POP3S only)', () => {
    const r = runCli(['check', '--fail-on', 'high', POP3S]);
    expect(r.status).toBe(0);
  });

  it('writes SARIF with --output and still exits by the threshold', () => {
    const out = join(tmp, 'gate.sarif');
    const r = runCli(['check', '--fail-on', 'medium', '--format', 'sarif', '--output', out, USER_PASS]);
    expect(r.status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('exits 2 on an unreadable or non-capture input, with one line on stderr', () => {
    const missing = runCli(['check', join(tmp, 'nope.pcap')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const text = join(tmp, 'notes.txt');
    writeFileSync(text, 'just some text, not a capture\n');
    const notCapture = runCli(['check', text]);
    expect(notCapture.status).toBe(2);
    expect(notCapture.stderr).toMatch(/not a capture|text/i);
    expect(notCapture.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names the byte offset and frame of the damage that made an input unreadable', () => {
    // fixtures/malformed/bad-block-length.json: the first Enhanced Packet Block, at offset 48, says 13 bytes.
    const r = runCli(['check', join(REPO, 'fixtures/malformed/bad-block-length.pcapng')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/total length 13.*\(offset 48, frame 1\)\n$/);
  });

  it('says when a capture holds no POP3 session but connections without data', () => {
    // fixtures/malformed/syn-only.pcap: three SYNs to port 110, never answered.
    const r = runCli(['sessions', join(REPO, 'fixtures/malformed/syn-only.pcap')]);
    expect(r.stdout).toBe('no POP3 sessions; 3 connections to a POP3 port carried no data (not listed)\n');
  });

  it('exits 2 on a usage error', () => {
    expect(runCli(['check', '--fail-on', 'bogus', USER_PASS]).status).toBe(2);
  });
});

describe('follow', () => {
  it('--format raw prints exactly the bytes tshark follow printed', () => {
    const t = followStreams('user-pass-retr-dele-quit.pcap')[0];
    const server = runCli(['follow', USER_PASS, '--session', '1', '--format', 'raw', '--direction', 'server']);
    const client = runCli(['follow', USER_PASS, '--session', '1', '--format', 'raw', '--direction', 'client']);
    expect(client.stdoutBytes.equals(t.bytes0)).toBe(true);
    expect(server.stdoutBytes.equals(t.bytes1)).toBe(true);
  });

  it('--format hex: per direction, offsets run on and the bytes are tshark\'s', () => {
    const t = followStreams('user-pass-retr-dele-quit.pcap')[0];
    const rows = runCli(['follow', USER_PASS, '--session', '1', '--format', 'hex']).stdout.split('\n');
    for (const [indent, expected] of [['', t.bytes0], ['    ', t.bytes1]] as const) {
      const mine = rows.filter((r) => new RegExp(`^${indent}[0-9a-f]{8}  `).test(r) && (indent !== '' || !r.startsWith(' ')));
      let at = 0;
      const bytes: number[] = [];
      for (const r of mine) {
        expect(parseInt(r.trim().slice(0, 8), 16)).toBe(at);
        const hex = r.trim().slice(10, 10 + 47).trim().split(' ').map((h) => parseInt(h, 16));
        bytes.push(...hex);
        at += hex.length;
      }
      expect(Buffer.from(bytes).equals(expected)).toBe(true);
    }
  });

  it('needs a session', () => {
    expect(runCli(['follow', USER_PASS]).status).toBe(2);
  });
});

describe('hostile bytes never reach the terminal raw', () => {
  it('a greeting with ESC[2J and other control bytes prints escaped', () => {
    const file = join(tmp, 'hostile-greeting.pcap');
    writeFileSync(file, writePcap(conversation([
      { from: 'server', data: '+OK \x1b[2J\x1b]0;pwned\x07 ready \u202e\r\n' },
      { from: 'client', data: 'QUIT\r\n' },
      { from: 'server', data: '+OK bye\r\n' },
    ])));
    for (const sub of ['analyze', 'transcript', 'sessions']) {
      const r = runCli([sub, file]);
      expect(r.stdout + r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
    expect(runCli(['transcript', file]).stdout).toContain('\\x1b[2J');
  });
});

describe('pipes', () => {
  it('a reader that stops early (| head) ends the output quietly', () => {
    const r = runShell(`pop3scope transcript ${USER_PASS} --bodies | head -1`);
    expect(r.stdout.split('\n')[0]).toMatch(/^session #1 /);
    expect(r.stderr).toBe('');
  });
});

describe('progress on standard error', () => {
  const line = `${process.execPath} ${BIN} analyze ${USER_PASS} > /dev/null`;
  it('appears under a pseudo-terminal', () => {
    const env = { ...process.env, POP3SCOPE_PROGRESS_MIN_BYTES: '0', NO_COLOR: '1' };
    delete env.CI;
    const r = spawnSync('script', ['-qec', line, '/dev/null'], { cwd: REPO, env });
    expect(r.stdout.toString()).toMatch(/packets\s+\d+ sessions/);
  });
  it('does not appear in a pipe', () => {
    const env = { ...process.env, POP3SCOPE_PROGRESS_MIN_BYTES: '0' };
    delete env.CI;
    const r = spawnSync('bash', ['-c', `${process.execPath} ${BIN} analyze ${USER_PASS}`], { cwd: REPO, env });
    expect(r.stderr.toString()).toBe('');
  });
});
