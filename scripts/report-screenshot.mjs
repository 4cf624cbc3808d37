#!/usr/bin/env node
/**
 * Makes docs/report.png, the README's picture of the HTML report: the sample capture's
 * report in Debian's chromium (scripts/chromium.mjs), session #1 open and its DELE line
 * selected so the explanation panel shows. Run after `npm run build`:
 *
 *   node scripts/report-screenshot.mjs [--out docs/report.png]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'docs/report.png') } } });
const dir = mkdtempSync(join(tmpdir(), 'pop3scope-shot-'));
const report = join(dir, 'report.html');
const run = spawnSync(process.execPath, [join(root, 'bin/pop3scope.js'), 'analyze', 'fixtures/sample.pcapng', '--format', 'html', '--output', report],
  { cwd: root, encoding: 'utf8' });
if (run.status !== 0) throw new Error(`pop3scope failed: ${run.stderr}`);

const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  // The report must not ask for anything; refuse whatever it might.
  await page.route((url) => url.href !== pathToFileURL(report).href, (r) => r.abort());
  await page.goto(pathToFileURL(report).href);
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('details.session[data-session="1"] > summary').click();
  await page.locator('details.session[data-session="1"] .msg.cmd', { hasText: 'DELE' }).click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: values.out, fullPage: true });
  process.stdout.write(`wrote ${values.out}\n`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
