/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core (see
 * scripts/chromium.mjs; .ci/run installs chromium). One browser and one page for the
 * whole file. Every request the page makes is intercepted and refused: the only one
 * allowed is the report file itself. What the page shows is compared with what
 * `--format json` and `pop3scope explain` print, not with the page's own data.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/analyze.js';
import { writeHtml } from '../../src/report/html.js';
import type { AnalysisResult, Finding, SessionOut } from '../../src/model.js';
import { chromiumAvailable, launchChromium } from '../../scripts/chromium.mjs';
import { REPO, runCli } from '../support/run-cli.js';
import { fixtureCaptures, fixturePath } from '../support/tshark.js';
import { framesLabel } from '../../src/report/labels.js';
import { plainSession, sampleResult } from './sample-result.js';
import { PAYLOAD_ERR, PAYLOAD_FILE, PAYLOAD_FROM, PAYLOAD_GREETING, PAYLOAD_SUBJECT, PAYLOAD_USER, writeHostileCapture } from '../support/hostile-capture.js';

if (!chromiumAvailable()) {
  throw new Error('chromium is not installed: `apt-get install -y chromium` (.ci/run does it)');
}

const OUT = mkdtempSync(join(tmpdir(), 'pop3scope-html-'));
const CAPTURES = fixtureCaptures().map(fixturePath);
const MALFORMED = readdirSync(join(REPO, 'fixtures/malformed')).filter((f) => !f.endsWith('.json')).map((f) => join(REPO, 'fixtures/malformed', f));
/** Each malformed input's sidecar NAME.json: `cli.exit` is the command line's exit on it (with `also`, read beside those). */
const SIDECARS = new Map(readdirSync(join(REPO, 'fixtures/malformed')).filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(REPO, 'fixtures/malformed', f), 'utf8')) as { input: string; also?: string[]; cli: { exit?: number } })
  .map((c) => [join(REPO, 'fixtures/malformed', c.input), c]));
/** The malformed inputs the command line refuses on their own (exit 2): nothing in them could be read. */
const REFUSED = [...SIDECARS].filter(([, c]) => c.cli.exit === 2 && c.also === undefined).map(([input]) => input);
/** The TLS suite, read as one capture: one page of many STLS and implicit-TLS sessions. */
const TLS_DIR = join(REPO, 'fixtures/tls/captures');
const TLS_SUITE = existsSync(TLS_DIR) ? readdirSync(TLS_DIR).map((f) => join(TLS_DIR, f)) : [];

let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let errors: string[] = [];
let requests: string[] = [];
let allowed = '';

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await browser.context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === allowed) return route.continue();
    requests.push(url);
    return route.abort();
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a report file; `errors` and `requests` then hold what this page did. */
async function load(file: string): Promise<void> {
  errors = [];
  requests = [];
  allowed = pathToFileURL(file).href;
  await page.goto(allowed);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
}

const reports = new Map<string, { file: string; json: AnalysisResult }>();

/** The report and the JSON output of the command line, made once per name. */
function cliReport(name: string, inputs: string[]): { file: string; json: AnalysisResult } {
  const made = reports.get(name);
  if (made) return made;
  const file = join(OUT, `${name}.html`);
  const run = runCli(['analyze', '--format', 'html', '--output', file, ...inputs]);
  expect(run.status, run.stderr).toBe(0);
  const json = runCli(['analyze', '--format', 'json', ...inputs]);
  const report = { file, json: JSON.parse(json.stdout) as AnalysisResult };
  reports.set(name, report);
  return report;
}

const endpoint = (e: { ip: string; port: number }) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

/** Clicks every session's summary; one that opens is drawn by its toggle event, a task after the click. */
async function openAll(): Promise<void> {
  for (const details of await page.locator('details.session').all()) {
    await details.locator('summary').click();
    if (await details.evaluate((d) => (d as HTMLDetailsElement).open)) await details.locator('.ladder-svg').first().waitFor({ timeout: 5000 });
  }
}

describe('every fixture', () => {
  it('renders, and draws every session, with no console error and no request', async () => {
    const inputs: (string | string[])[] = [...CAPTURES, ...MALFORMED];
    if (TLS_SUITE.length > 0) inputs.push(TLS_SUITE);
    let rendered = 0;
    const rejected: string[] = [];
    for (const capture of inputs) {
      const result = await analyze(capture).catch(() => null);
      if (result === null) {
        rejected.push(String(capture));
        continue;
      }
      // The command line refuses (exit 2) an input of which nothing could be read, after analysing it;
      // the page is still drawn here. Read alone, exactly the sidecars' exit-2 inputs are unreadable.
      const unreadable = result.captures.every((c) => c.packets === 0 && c.warnings.some((w) => w.fatal));
      const sidecar = typeof capture === 'string' ? SIDECARS.get(capture) : undefined;
      if (sidecar?.also === undefined) expect(unreadable, `${String(capture)}: unreadable iff its sidecar says exit 2`).toBe(sidecar?.cli.exit === 2);
      rendered++;
      const file = join(OUT, 'one.html');
      const parts: string[] = [];
      writeHtml(result, (s) => parts.push(s));
      writeFileSync(file, parts.join(''));
      await load(file);
      expect(await page.locator('.ladder-svg').count(), 'diagrams are drawn only when opened').toBe(0);
      await openAll();
      const name = String(capture);
      expect(await page.locator('details.session[open]').count(), name).toBe(result.sessions.length);
      for (const [i, s] of result.sessions.entries()) {
        const rows = page.locator(`details.session[data-index="${i}"] .msg`);
        expect(await rows.count(), `${name} #${s.id}`).toBe(Math.min(s.transcript.length, 300));
      }
      expect(errors, name).toEqual([]);
      expect(requests, name).toEqual([]);
    }
    // analyze() reads every fixture, even the ones the command line then refuses: a page was drawn for each
    // (the captures, the malformed inputs, the TLS suite), none skipped.
    expect(rejected).toEqual([]);
    expect(TLS_SUITE.length).toBeGreaterThan(0);
    expect(REFUSED.length).toBeGreaterThan(0);
    expect(rendered).toBe(CAPTURES.length + MALFORMED.length + 1);
  });
});

describe('all fixtures in one report', () => {
  let json: AnalysisResult;
  beforeAll(async () => {
    const r = cliReport('all', CAPTURES);
    json = r.json;
    await load(r.file);
  });

  it('shows the sessions of the JSON output, in its order, with the same facts', async () => {
    const rows = await page.locator('details.session > summary').evaluateAll((els) => els.map((el) => {
      const cell = (c: string) => el.querySelector(`[data-col="${c}"]`)?.textContent ?? '';
      return { id: el.parentElement!.getAttribute('data-session'), client: cell('client'), server: cell('server'), transport: cell('transport'),
        user: cell('user'), retrieved: cell('retrieved'), deleted: cell('deleted'), findings: cell('findings') };
    }));
    const findingsOf = (s: SessionOut) => json.findings.filter((f) => f.session === s.id).length;
    expect(rows).toEqual(json.sessions.map((s) => ({
      id: s.id, client: endpoint(s.client), server: endpoint(s.server), transport: s.transport, user: s.user ?? '',
      retrieved: String(s.messages.retrieved.length), deleted: String(s.messages.deleted.length), findings: String(findingsOf(s)),
    })));
    expect(rows.length).toBeGreaterThan(20);
  });

  it('shows the findings of the JSON output, most severe first', async () => {
    const shown = await page.locator('li.finding').evaluateAll((els) => els.map((el) => ({
      rule: el.getAttribute('data-rule'), session: el.getAttribute('data-session'),
      severity: el.querySelector('.badge')?.textContent, message: el.querySelector('.message')?.textContent,
      remediation: el.querySelector('.fix')?.textContent?.replace(/^Fix: /, ''),
    })));
    const key = (f: { rule: string | null; session: string | null; message?: string | null }) => `${f.rule} ${f.session} ${f.message}`;
    const expected = json.findings.map((f: Finding) => ({ rule: f.rule, session: f.session ?? '', severity: f.severity, message: f.message, remediation: f.remediation }));
    expect([...shown].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
    const rank = ['info', 'low', 'medium', 'high', 'critical'];
    const order = shown.map((f) => rank.indexOf(f.severity!));
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('draws one arrow per transcript entry, with its frame, in order', async () => {
    await openAll();
    for (const [i, s] of json.sessions.entries()) {
      const frames = await page.locator(`details.session[data-index="${i}"] .msg`).evaluateAll((els) => els.map((el) => el.getAttribute('data-frame')));
      expect(frames, `session ${s.id}`).toEqual(s.transcript.slice(0, 300).map((e) => String(e.frame)));
    }
    await openAll(); // closes them again
  });

  it('filters by transport, user and finding, and sorts by a column', async () => {
    const visible = () => page.locator('details.session:not([hidden])').evaluateAll((els) => els.map((el) => el.getAttribute('data-session')));
    await page.selectOption('select[name="transport"]', 'implicit-tls');
    expect(await visible()).toEqual(json.sessions.filter((s) => s.transport === 'implicit-tls').map((s) => s.id));
    await page.selectOption('select[name="transport"]', '');
    await page.fill('input[name="user"]', 'carol');
    expect(await visible()).toEqual(json.sessions.filter((s) => (s.user ?? '').includes('carol') || s.auth.some((a) => a.user?.includes('carol'))).map((s) => s.id));
    await page.fill('input[name="user"]', '');
    await page.selectOption('select[name="finding"]', 'deletions-not-committed');
    expect(await visible()).toEqual(json.sessions.filter((s) => json.findings.some((f) => f.session === s.id && f.rule === 'deletions-not-committed')).map((s) => s.id));
    await page.selectOption('select[name="finding"]', '');
    await page.locator('.row.head button[title="sort by user"]').click();
    const users = await page.locator('details.session [data-col="user"]').evaluateAll((els) => els.map((el) => el.textContent ?? ''));
    expect(users).toEqual([...users].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(users.length).toBe(json.sessions.length);
  });

  it('Tab and Enter reach and open every session', async () => {
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    const opened = new Set<string>();
    for (let i = 0; i < 400 && opened.size < json.sessions.length; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const el = document.activeElement;
        return el?.tagName === 'SUMMARY' ? el.parentElement!.getAttribute('data-session') : null;
      });
      if (id === null || opened.has(id)) continue;
      await page.keyboard.press('Enter');
      // The toggle event comes as a task after the key press; the diagram is drawn then.
      await page.locator(`details.session[data-session="${id}"][open] .ladder-svg`).first().waitFor({ timeout: 5000 });
      await page.keyboard.press('Enter'); // close it again, so its diagram adds no tab stops
      opened.add(id);
    }
    expect([...opened].sort()).toEqual(json.sessions.map((s) => s.id).sort());
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});

/** `pop3scope explain WORD`'s lines for one section, without the labels: what the page must show. */
function explainValues(word: string, section: 'command' | 'code'): string[] {
  const run = runCli(['explain', word]);
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.split('\n');
  const codeStart = lines.findIndex((l) => /^\[.*\]\s+response code/.test(l));
  const exampleStart = lines.findIndex((l) => l.trim() === 'example:');
  const end = (i: number) => (i < 0 ? lines.length : i);
  const part = section === 'code' ? lines.slice(codeStart, end(exampleStart)) : lines.slice(0, Math.min(end(codeStart), end(exampleStart)));
  const values = part.slice(1).map((l) => l.replace(/^\s+[a-z ]+:\s+/, '').trim()).filter(Boolean);
  values.push(/\((RFC [^)]+)\)/.exec(part[0]!)![1]!);
  // The example belongs to the command when the word is both (AUTH, UTF8).
  if (exampleStart >= 0 && section === 'command') values.push(...lines.slice(exampleStart + 1).map((l) => l.trim()).filter(Boolean));
  return values;
}

async function panelAfterClick(sessionIndex: number, frame: number | string): Promise<string> {
  const details = page.locator(`details.session[data-index="${sessionIndex}"]`);
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  await details.locator(`.msg[data-frame="${frame}"]`).click();
  return (await details.locator('aside.explain').textContent()) ?? '';
}

describe('the lesson', () => {
  it('clicking a command shows what `pop3scope explain` says of it', async () => {
    const { file, json } = cliReport('sample', [fixturePath('sample.pcapng')]);
    await load(file);
    const seen = new Set<string>();
    for (const [i, s] of json.sessions.entries()) {
      for (const e of s.transcript) {
        if (e.from !== 'client' || e.command === undefined || seen.has(e.command)) continue;
        seen.add(e.command);
        const panel = await panelAfterClick(i, e.frame);
        for (const v of explainValues(e.command, 'command')) expect(panel, `${e.command}: ${v}`).toContain(v);
      }
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining(['APOP', 'DELE', 'LIST', 'PASS', 'QUIT', 'RETR', 'STAT', 'USER']));
    expect(errors).toEqual([]);
  });

  it('a response code and a SASL challenge are explained as explain and transcript --explain say', async () => {
    const failed = cliReport('failed', [fixturePath('failed-logins-then-success.pcap')]);
    await load(failed.file);
    const err = failed.json.sessions[0]!.transcript.find((e) => e.code === 'AUTH')!;
    const errPanel = await panelAfterClick(0, err.frame);
    for (const v of explainValues('AUTH', 'code')) expect(errPanel).toContain(v);

    const plain = cliReport('plain', [fixturePath('auth-plain.pcap')]);
    await load(plain.file);
    const challenge = plain.json.sessions[0]!.transcript.find((e) => e.status === '+')!;
    const transcript = runCli(['transcript', '--explain', fixturePath('auth-plain.pcap')]).stdout.split('\n');
    const at = transcript.findIndex((l) => new RegExp(`^\\s*${challenge.frame}\\s.*S← \\+`).test(l));
    const words = transcript[at + 1]!.replace(/^\s*↳ /, '').trim();
    expect(words.length).toBeGreaterThan(20);
    expect(await panelAfterClick(0, challenge.frame)).toContain(words);
  });

  it('a finding\'s button opens its session at the finding\'s frame', async () => {
    const { file, json } = cliReport('sample', [fixturePath('sample.pcapng')]);
    await load(file);
    const first = page.locator('li.finding').first();
    const session = await first.getAttribute('data-session');
    const finding = json.findings.find((f) => f.session === session && f.rule === 'cleartext-credentials')!;
    await first.locator('button.goto').click();
    await page.locator(`details.session[data-session="${session}"][open] .ladder-svg`).first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-frame'))).toBe(String(finding.frames[0]));
  });

  it('focusing a line with the keyboard shows its explanation too', async () => {
    const { file, json } = cliReport('sample', [fixturePath('sample.pcapng')]);
    await load(file);
    await page.locator('details.session[data-index="0"] > summary').click();
    const user = json.sessions[0]!.transcript.find((e) => e.command === 'USER')!;
    await page.locator(`details.session[data-index="0"] .msg[data-frame="${user.frame}"]`).focus();
    const panel = (await page.locator('details.session[data-index="0"] aside.explain').textContent()) ?? '';
    expect(panel).toContain(explainValues('USER', 'command')[0]);
    // The arrow keys walk the lines: the next one is the server's answer.
    await page.keyboard.press('ArrowDown');
    const next = json.sessions[0]!.transcript[json.sessions[0]!.transcript.indexOf(user) + 1]!;
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-frame'))).toBe(String(next.frame));
  });
});

describe('a capture full of HTML and script payloads', () => {
  it('shows them as text, runs none and requests nothing', async () => {
    const capture = writeHostileCapture();
    const { file, json } = cliReport('hostile', [capture]);
    await load(file);
    await openAll();
    for (const row of await page.locator('.msg').all()) await row.click();
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // No element came from the payloads: only the page's own scripts, no image, link, frame or handler.
    const dom = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      loaders: document.querySelectorAll('img, link, iframe, object, embed, a[href], svg a, image, use').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
    }));
    expect(dom).toEqual({ scripts: 3, loaders: 0, handlers: [] });
    // And each payload is there, as text.
    expect(await page.locator('h1').textContent()).toContain(PAYLOAD_FILE);
    expect(await page.locator('details.session [data-col="user"]').textContent()).toBe(PAYLOAD_USER);
    const t = json.sessions[0]!.transcript;
    expect(await panelAfterClick(0, t[0]!.frame)).toContain(PAYLOAD_GREETING);
    expect(await panelAfterClick(0, t.find((e) => e.status === '-ERR')!.frame)).toContain(PAYLOAD_ERR);
    const retr = await panelAfterClick(0, t.find((e) => e.answers === 'RETR')!.frame);
    expect(retr).toContain(PAYLOAD_SUBJECT);
    expect(retr).toContain(PAYLOAD_FROM);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});

/** Writes a page for a hand-built result (see sample-result.ts) and loads it. */
async function loadResult(name: string, result: AnalysisResult): Promise<void> {
  const file = join(OUT, `${name}.html`);
  const parts: string[] = [];
  writeHtml(result, (s) => parts.push(s));
  writeFileSync(file, parts.join(''));
  await load(file);
}

describe('hand-built results', () => {
  it('a connection that is not POP3 shows its kind, side and byte count without --show-secrets, as transcript does', async () => {
    const result = sampleResult();
    const s: SessionOut = { ...plainSession(), notPop3: { kind: 'http', direction: 'client', bytes: 64 } };
    result.sessions = [s];
    result.findings = [];
    await loadResult('not-pop3', result);
    await openAll();
    const facts = page.locator('details.session[data-index="0"] dl.facts');
    const dd = facts.locator('dt:text-is("not POP3") + dd');
    expect(await dd.textContent()).toBe('http from the client; first 64 bytes not shown without --show-secrets');
    expect(await dd.locator('code').count(), 'no empty code element').toBe(0);
    // With --show-secrets the bytes are there too, as text.
    result.sessions = [{ ...s, notPop3: { ...s.notPop3!, firstBytes: 'GET / HTTP/1.1' } }];
    await loadResult('not-pop3-secrets', result);
    await openAll();
    expect(await dd.textContent()).toBe('http from the client; first 64 bytes: GET / HTTP/1.1');
    expect(await dd.locator('code').textContent()).toBe('GET / HTTP/1.1');
    expect(errors).toEqual([]);
  });

  it('a finding with 10,000 frames shows the capped frame list of the text output, not every frame', async () => {
    const frames = Array.from({ length: 10_000 }, (_, i) => 2 * (i + 1)); // no runs to fold: 2, 4, … 20000
    const label = framesLabel(frames);
    expect(label).toMatch(/ … and 9980 more frames$/);
    const result = sampleResult();
    const finding = { ...result.findings[1]!, frames };
    result.findings = [finding];
    result.sessions[0] = { ...result.sessions[0]!, auth: result.sessions[0]!.auth.map((a) => ({ ...a, frames })) };
    await loadResult('many-frames', result);
    const head = (await page.locator('li.finding .finding-head').textContent()) ?? '';
    expect(head).toContain(`frames ${label}`);
    expect(head).not.toContain('20000');
    await page.locator('li.finding button.rule').click();
    const lessonBlock = (await page.locator('.lesson-block[data-lesson="cleartext-credentials"]').textContent()) ?? '';
    expect(lessonBlock).toContain(label);
    expect(lessonBlock).not.toContain('20000');
    await openAll();
    const logins = (await page.locator('details.session[data-index="0"] dt:text-is("logins") + dd').textContent()) ?? '';
    expect(logins).toContain(`frames ${label}`);
    expect(logins).not.toContain('20000');
    expect(await page.locator('main').evaluate((m) => m.textContent!.includes('19998'))).toBe(false);
    expect(errors).toEqual([]);
  });
});
