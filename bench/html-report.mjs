#!/usr/bin/env node
/**
 * What `--format html` costs on a benchmark capture: the page's size, the time writing
 * it adds to the analysis, and how the page loads in chromium. The 1 GiB capture is
 * too big for a shared machine, so this measures a smaller one and extrapolates: the
 * generator's POP3 share is fixed, so sessions and transcript lines grow with the size;
 * `--scale N` repeats the measured sessions N times to build the page a capture N times
 * larger would give, and times writing and loading that.
 *
 *   node bench/html-report.mjs [--size 128MiB] [--seed 1] [--scale 8] [--rounds 3] [--browser]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate, parseSize } from './generate.mjs';
import { measure, median, printUsageAndExit } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const { values: opt } = parseArgs({
  options: {
    size: { type: 'string', default: '128MiB' }, seed: { type: 'string', default: '1' }, scale: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' }, browser: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) printUsageAndExit(import.meta.url);

const outDir = path.join(here, 'out');
const capture = path.join(outDir, `traffic-${opt.size}-s${opt.seed}.pcap`);
if (!fs.existsSync(capture)) generate({ size: parseSize(opt.size), format: 'pcap', seed: Number(opt.seed), out: capture, quiet: true });
const bin = path.join(root, 'bin/pop3scope.js');
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

// 1. The whole command, JSON against HTML, interleaved rounds.
const walls = { json: [], html: [] };
for (let r = 0; r < Number(opt.rounds); r++) {
  for (const f of ['json', 'html']) {
    const m = measure([process.execPath, bin, 'analyze', '-q', '--format', f, '--output', path.join(outDir, `report.${f}`), capture]);
    if (m.code !== 0) throw new Error(`analyze --format ${f} failed: ${m.stderr}`);
    walls[f].push(m.wall);
  }
}
const size = (f) => fs.statSync(path.join(outDir, `report.${f}`)).size;

// 2. In-process: the analysis once, then the page written from it, as measured and scaled.
const { analyze } = await import(pathToFileURL(path.join(root, 'dist/analyze.js')).href);
const { writeHtml } = await import(pathToFileURL(path.join(root, 'dist/report/html.js')).href);
const result = await analyze(capture);
const scale = Number(opt.scale);
const scaled = {
  ...result,
  sessions: Array.from({ length: scale }, (_, k) => result.sessions.map((s) => ({ ...s, id: String(k * result.sessions.length + Number(s.id)) }))).flat(),
  findings: Array.from({ length: scale }, (_, k) => result.findings.map((f) => ({ ...f, session: f.session === null ? null : String(k * result.sessions.length + Number(f.session)) }))).flat(),
};
function timeWrite(r) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < Number(opt.rounds); i++) {
    const parts = [];
    const t0 = process.hrtime.bigint();
    writeHtml(r, (s) => parts.push(s));
    const text = parts.join('');
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    bytes = Buffer.byteLength(text);
    if (i === 0 && r === scaled) fs.writeFileSync(path.join(outDir, 'report-scaled.html'), text);
  }
  return { seconds: median(times), bytes };
}
const own = timeWrite(result);
const big = timeWrite(scaled);
const lines = (r) => r.sessions.reduce((n, s) => n + s.transcript.length, 0);

const report = [
  `capture ${path.relative(root, capture)} (${mb(fs.statSync(capture).size)}): ${result.sessions.length} sessions, ${lines(result)} transcript lines, ${result.findings.length} findings`,
  `analyze --format json: ${median(walls.json).toFixed(2)} s (median of ${opt.rounds}), ${mb(size('json'))}`,
  `analyze --format html: ${median(walls.html).toFixed(2)} s (median of ${opt.rounds}), ${mb(size('html'))}`,
  `writing the page alone: ${(own.seconds * 1000).toFixed(0)} ms, ${mb(own.bytes)}`,
  `x${scale} (${scaled.sessions.length} sessions, ${lines(scaled)} lines): writing ${(big.seconds * 1000).toFixed(0)} ms, ${mb(big.bytes)}`,
];

// 3. The scaled page in chromium: time to a drawn page, and to open twenty sessions.
if (opt.browser) {
  const { launchChromium } = await import(pathToFileURL(path.join(root, 'scripts/chromium.mjs')).href);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(path.join(outDir, 'report-scaled.html')).href);
    await page.waitForSelector('html[data-ready="true"]');
    // Measured inside the page, so the driver's own round trips do not count.
    const m = await page.evaluate(async () => {
      const nav = performance.getEntriesByType('navigation')[0];
      const t = performance.now();
      for (const d of [...document.querySelectorAll('details.session')].slice(0, 20)) {
        d.open = true;
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      }
      return { ready: nav.domComplete, open: performance.now() - t };
    });
    report.push(`chromium, x${scale} page: built and laid out ${m.ready.toFixed(0)} ms after navigation; 20 sessions opened, drawn and painted in ${m.open.toFixed(0)} ms`);
  } finally {
    await browser.close();
  }
}
process.stdout.write(report.join('\n') + '\n');
