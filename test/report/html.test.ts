/**
 * The HTML page as a file: it carries exactly what `--format json` prints, as data no
 * HTML parser can break out of, and a Content-Security-Policy whose hashes name its own
 * script and style. What the page does with the data is tested in a browser
 * (html-browser.test.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptSafeJson } from '../../src/report/html.js';
import { runCli } from '../support/run-cli.js';
import { fixturePath } from '../support/tshark.js';
import { HOSTILE_PASSWORD, PAYLOAD_ERR, PAYLOAD_GREETING, PAYLOAD_SUBJECT, PAYLOAD_USER, writeHostileCapture } from '../support/hostile-capture.js';

/** The text between `<script …id="ID">` and the next `</script>`, as the HTML parser would cut it. */
function scriptBlock(html: string, id: string): string {
  const open = html.indexOf(`id="${id}">`);
  expect(open, id).toBeGreaterThan(0);
  const start = open + id.length + 6;
  return html.slice(start, html.indexOf('</script>', start));
}

function inlineScript(html: string): string {
  const start = html.indexOf('<script type="module">') + '<script type="module">'.length;
  return html.slice(start, html.indexOf('</script>', start));
}

function html(args: string[]): string {
  const run = runCli(['analyze', '--format', 'html', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('scriptSafeJson', () => {
  it('escapes <, >, & and U+2028/2029 so that JSON.parse still gives the same value', () => {
    const value = { s: '</script><!-- & \u2028\u2029 <SCRIPT>' };
    const safe = scriptSafeJson(JSON.stringify(value));
    expect(safe).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(safe)).toEqual(value);
  });
});

describe('pop3scope analyze --format html', () => {
  it('embeds the very object --format json prints (sample capture)', () => {
    const page = html([fixturePath('sample.pcapng')]);
    const json = runCli(['analyze', '--format', 'json', fixturePath('sample.pcapng')]);
    expect(JSON.parse(scriptBlock(page, 'pop3scope-data'))).toEqual(JSON.parse(json.stdout));
  });

  it('embeds the explain texts: each command with the usage explain prints', () => {
    const lesson = JSON.parse(scriptBlock(html([fixturePath('sample.pcapng')]), 'pop3scope-lesson')) as { commands: { keyword: string; syntax: string }[] };
    const retr = lesson.commands.find((c) => c.keyword === 'RETR')!;
    expect(runCli(['explain', 'RETR']).stdout).toContain(`usage:  ${retr.syntax}`);
    expect(lesson.commands.length).toBeGreaterThanOrEqual(15);
  });

  it('allows no request and no script or style but its own, by hash', () => {
    const page = html([fixturePath('sample.pcapng')]);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('base64');
    const style = page.slice(page.indexOf('<style>') + 7, page.indexOf('</style>'));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${sha(inlineScript(page))}'`);
    expect(csp).toContain(`style-src 'sha256-${sha(style)}'`);
    expect(csp).not.toContain('unsafe');
    // Nothing outside the page: no URL a browser would fetch.
    expect(page).not.toMatch(/\b(src|href)=|url\(|@import/i);
  });

  it('keeps hostile strings inside the data block and redacts the password', () => {
    const capture = writeHostileCapture();
    const page = html([capture]);
    // Exactly the page's own three script elements close; no payload opens or closes one.
    expect(page.match(/<\/script/gi)).toHaveLength(3);
    expect(page.match(/<script/gi)).toHaveLength(3);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<link');
    expect(page).not.toContain(HOSTILE_PASSWORD);
    const data = JSON.parse(scriptBlock(page, 'pop3scope-data')) as { sessions: { user: string; transcript: { text?: string; data?: { headers?: { subject?: string } } }[] }[] };
    const s = data.sessions[0]!;
    expect(s.user).toBe(PAYLOAD_USER);
    expect(s.transcript[0]!.text).toBe(PAYLOAD_GREETING);
    expect(s.transcript.some((e) => e.text === `[AUTH] ${PAYLOAD_ERR}` || e.text === PAYLOAD_ERR)).toBe(true);
    expect(s.transcript.some((e) => e.data?.headers?.subject === PAYLOAD_SUBJECT)).toBe(true);
    expect(capture).toContain('<img');
  });

  it('writes to --output', () => {
    const out = join(writeHostileCapture(), '..', 'report.html');
    const run = runCli(['analyze', '--format', 'html', '--output', out, fixturePath('sample.pcapng')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
  });
});
