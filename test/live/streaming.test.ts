/**
 * Reading a capture as it arrives through a pipe, as from `tcpdump -U -w - | pop3scope analyze -`:
 * a paced writer (test/support/paced-pcap-writer.mjs) writes a real recording's records
 * into a named pipe that is the tool's standard input. Which frames belong to which
 * session comes from tshark's output stored beside the fixture, not from the tool.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO } from '../support/run-cli.js';
import { fixturePath, readTsv, tsharkFile } from '../support/tshark.js';
import { validateSarif } from '../support/sarif-schema.js';
import { SCHEMA_ID, outputAjv } from '../report/output-schema.js';

const WRITER = join(REPO, 'test/support/paced-pcap-writer.mjs');
const CAPTURE = 'baseline-run3.pcap';
const dir = mkdtempSync(join(tmpdir(), 'pop3scope-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** First and last frame of each TCP stream, and whether it carried payload, per tshark. */
function streams(): { first: number; last: number; firstPayload: number }[] {
  const out: { first: number; last: number; firstPayload: number }[] = [];
  for (const row of readTsv(tsharkFile(CAPTURE, 'frames.tsv'))) {
    const n = Number(row['tcp.stream']);
    const frame = Number(row['frame.number']);
    const s = (out[n] ??= { first: frame, last: frame, firstPayload: Infinity });
    s.last = frame;
    if (Number(row['tcp.len']) > 0) s.firstPayload = Math.min(s.firstPayload, frame);
  }
  return out;
}

interface Run {
  tool: ChildProcess;
  writer: ChildProcess;
  events: { event: string; frame: number | null; at: number }[];
  /** Each line of the tool's output with the time it arrived. */
  lines: { text: string; at: number }[];
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** The tool reads a named pipe as its standard input; the paced writer writes into it. */
function start(toolArgs: string[], writerArgs: string[], opts: { capture?: string; stdout?: number } = {}): Run {
  const fifo = join(dir, `pipe-${started.length}-${Date.now()}`);
  execFileSync('mkfifo', [fifo]);
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeEnd = openSync(fifo, constants.O_WRONLY);
  const tool = spawn(process.execPath, [BIN, ...toolArgs], {
    cwd: REPO,
    stdio: [readEnd, opts.stdout ?? 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1' },
  });
  const writer = spawn(process.execPath, [WRITER, fixturePath(opts.capture ?? CAPTURE), ...writerArgs], { stdio: ['ignore', writeEnd, 'pipe'] });
  closeSync(readEnd);
  closeSync(writeEnd);
  started.push(tool, writer);
  const events: Run['events'] = [];
  let writerErr = '';
  writer.stderr!.setEncoding('utf8').on('data', (t: string) => {
    writerErr += t;
    const lines = writerErr.split('\n');
    writerErr = lines.pop()!;
    for (const l of lines) events.push(JSON.parse(l));
  });
  const lines: Run['lines'] = [];
  let out = '';
  let pending = '';
  let err = '';
  tool.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
  // With a stdout of the test's own (a named pipe), the test reads it itself.
  if (opts.stdout === undefined) {
    tool.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      pending += t;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const text of parts) lines.push({ text, at: Date.now() });
    });
  }
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    tool.once('close', (code, signal) => resolve({ code, signal })));
  return { tool, writer, events, lines, stdout: () => out, stderr: () => err, exit };
}

const until = async (what: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('a capture read from a pipe as it arrives', () => {
  it('jsonl: the first session and its findings are written while the writer is paused, before the input ends', async () => {
    const first = streams()[0]!;
    // Pause right after the first session's last packet, for long enough to tell.
    const run = start(['analyze', '--format', 'jsonl', '-'], ['--delay-ms', '2', '--pause-after', String(first.last), '--pause-ms', '2500']);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const paused = run.events.find((e) => e.event === 'paused')!.at;
    const resumed = run.events.find((e) => e.event === 'resumed')!.at;
    const records = run.lines.map((l) => ({ ...JSON.parse(l.text), at: l.at }));
    const session1 = records.find((r) => r.type === 'session' && r.id === '1');
    expect(session1, run.stdout()).toBeDefined();
    // cleartext-credentials: alice's USER/PASS in the first session (fixtures/README.md).
    const finding1 = records.find((r) => r.type === 'finding' && r.session === '1' && r.rule === 'cleartext-credentials');
    expect(finding1).toBeDefined();
    // Both came during the pause: after the writer wrote the session's packets and before it went on.
    expect(session1.at).toBeLessThan(resumed);
    expect(finding1.at).toBeLessThan(resumed);
    expect(finding1.at).toBeGreaterThanOrEqual(paused - 1000);
    // Its findings follow its record, before any later session's record.
    const order = records.map((r) => `${r.type}:${r.type === 'session' ? r.id : r.session ?? ''}`);
    expect(order.indexOf('finding:1')).toBe(order.indexOf('session:1') + 1);
    expect(records.filter((r) => r.type === 'session').length).toBe(streams().length);
  });

  it('text on a pipe prints each session line as it ends, then the totals', async () => {
    const first = streams()[0]!;
    const run = start(['analyze', '-'], ['--delay-ms', '0', '--pause-after', String(first.last), '--pause-ms', '1500']);
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const resumed = run.events.find((e) => e.event === 'resumed')!.at;
    const line1 = run.lines.find((l) => l.text.startsWith('  #1 '));
    expect(line1, run.stdout()).toBeDefined();
    expect(line1!.at).toBeLessThan(resumed);
    expect(run.stdout()).toMatch(/\n4 sessions, \d+ findings/);
  });
});

describe('stopped mid-stream by a signal', () => {
  // Paused inside the third session (after its first payload): two sessions ended, one open.
  const all = streams();
  const stopAt = all[2]!.firstPayload + 2;
  const seen = all.filter((s) => s.firstPayload <= stopAt);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}, --format json: the whole document, every session seen so far, the open one ended capture-end`, async () => {
      const run = start(['analyze', '--format', 'json', '-'], ['--delay-ms', '0', '--pause-after', String(stopAt), '--pause-ms', '60000']);
      await until(() => run.events.some((e) => e.event === 'paused'));
      await new Promise((r) => setTimeout(r, 800));
      run.tool.kill(signal);
      const { code } = await run.exit;
      expect(code, run.stderr()).toBe(0);
      expect(run.stderr()).toContain(`${signal}: finishing the sessions seen so far`);
      const doc = JSON.parse(run.stdout());
      const validate = outputAjv().getSchema(SCHEMA_ID)!;
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.sessions.length).toBe(seen.length);
      const ended = doc.sessions.map((s: { ended: string }) => s.ended);
      seen.forEach((s, i) => {
        if (s.last <= stopAt) expect(ended[i]).not.toBe('capture-end');
        else expect(ended[i]).toBe('capture-end');
      });
      expect(doc.findings.some((f: { rule: string; session: string }) => f.rule === 'cleartext-credentials' && f.session === '1')).toBe(true);
    });
  }

  it('SIGINT, --format sarif: valid SARIF 2.1.0 with the findings so far', async () => {
    const run = start(['analyze', '--format', 'sarif', '-'], ['--delay-ms', '0', '--pause-after', String(stopAt), '--pause-ms', '60000']);
    await until(() => run.events.some((e) => e.event === 'paused'));
    await new Promise((r) => setTimeout(r, 800));
    run.tool.kill('SIGINT');
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const sarif = JSON.parse(run.stdout());
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'cleartext-credentials')).toBe(true);
  });

  it('a second SIGINT exits 130 at once, even while the output is still being written', async () => {
    // transcript --bodies prints the four retrieved messages of this recording (280 KB): its
    // standard output is a named pipe (64 KiB) nobody reads yet, so the tool is still writing
    // when the second Ctrl-C comes. Paused before the last packet: the input has not ended.
    const capture = 'user-pass-retr-dele-quit.pcap';
    const frames = readTsv(tsharkFile(capture, 'frames.tsv')).length;
    const fifo = join(dir, `out-${Date.now()}`);
    execFileSync('mkfifo', [fifo]);
    const outRead = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const outWrite = openSync(fifo, constants.O_WRONLY);
    const run = start(['transcript', '--bodies', '-'], ['--delay-ms', '0', '--pause-after', String(frames - 1), '--pause-ms', '60000'], { capture, stdout: outWrite });
    closeSync(outWrite);
    await until(() => run.events.some((e) => e.event === 'paused'));
    await new Promise((r) => setTimeout(r, 800));
    run.tool.kill('SIGINT');
    await until(() => run.stderr().includes('SIGINT: finishing'));
    await new Promise((r) => setTimeout(r, 300));
    expect(run.tool.exitCode).toBe(null);
    run.tool.kill('SIGINT');
    // Now drain the output, so the write the tool is blocked in can return.
    const drain = spawn('cat', [], { stdio: [outRead, 'ignore', 'ignore'] });
    closeSync(outRead);
    started.push(drain);
    const { code } = await run.exit;
    expect(code).toBe(130);
  });
});
