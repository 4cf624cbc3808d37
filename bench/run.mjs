#!/usr/bin/env node
/**
 * The benchmark: generates (or reuses) a realistic capture, times pop3scope
 * against reference readers in interleaved rounds, and checks its answer
 * against the generator's ground truth.
 *
 *   node bench/run.mjs [--size 1GiB] [--seed 1] [--rounds 5] [--tshark-rounds 1]
 *                      [--formats pcap,pcapng] [--no-gzip] [--no-stdin] [--no-tshark]
 *                      [--no-tcpflow] [--no-extract] [--no-floor] [--linearity] [--install] [--tool bin/pop3scope.js]
 *                      [--compare OTHER/bin/pop3scope.js]   (that build beside every pop3scope row and the TLS case, and a --no-detect row)
 *                      [--no-tls] [--tls-size 20MB]
 *
 * The TLS case (bench/tls.mjs, at --tls-size) runs last: the same POP3 traffic
 * clear and inside TLS 1.3 / 1.2 with a key log, with and without the keys.
 *
 * Only ratios measured in the same run mean anything: a shared machine drifts
 * 15-35 % between rounds, which is why rows are interleaved and medians taken.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, parseSize, GENERATOR_VERSION } from './generate.mjs';
import { GNU_TIME, measure, median, printUsageAndExit } from './measure.mjs';
import { checkAgainstTruth, sessionDifferences } from './truth-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const outDir = path.join(here, 'out');

const { values: opt } = parseArgs({
  options: {
    size: { type: 'string', default: '1GiB' },
    seed: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '5' },
    'tshark-rounds': { type: 'string', default: '1' },
    formats: { type: 'string', default: 'pcap,pcapng' },
    'no-gzip': { type: 'boolean', default: false },
    'no-stdin': { type: 'boolean', default: false },
    'no-tshark': { type: 'boolean', default: false },
    'no-tcpflow': { type: 'boolean', default: false },
    'no-extract': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    linearity: { type: 'boolean', default: false },
    'no-tls': { type: 'boolean', default: false },
    'tls-size': { type: 'string', default: '20MB' },
    install: { type: 'boolean', default: false },
    tool: { type: 'string' },
    compare: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) printUsageAndExit(import.meta.url);
// --tool: another build of the CLI to time (default: this checkout's bin/pop3scope.js)
const tool = path.resolve(opt.tool ?? path.join(root, 'bin', 'pop3scope.js'));
const rounds = Math.max(1, Number(opt.rounds));
const tsharkRounds = Math.max(0, Number(opt['tshark-rounds']));
const seed = Number(opt.seed);
const formats = /** @type {('pcap'|'pcapng')[]} */ (opt.formats.split(',').map((s) => s.trim()).filter(Boolean));
const log = (/** @type {string} */ s) => process.stderr.write(`bench: ${s}\n`);

const has = (/** @type {string} */ cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
if (opt.install) {
  const missing = [];
  if (!GNU_TIME) missing.push('time');
  if (!opt['no-tcpflow'] && !has('tcpflow')) missing.push('tcpflow');
  if (missing.length) {
    log(`installing ${missing.join(' ')} with apt-get`);
    spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit' });
  }
}
if (!GNU_TIME) log('GNU time (/usr/bin/time) is missing: peak RSS shows n/a (install it with --install, Debian package `time`)');

/** Generates a capture once per size, seed, format and generator version. @param {number} size @param {string} label @param {'pcap'|'pcapng'} format */
function capture(size, label, format) {
  const file = path.join(outDir, `traffic-${label}-s${seed}-g${GENERATOR_VERSION}.${format}`);
  if (fs.existsSync(file) && fs.existsSync(`${file}.truth.json`)) {
    log(`reusing ${path.relative(root, file)}`);
  } else {
    log(`generating ${path.relative(root, file)}`);
    generate({ size, format, seed, out: `${file}.part` });
    fs.renameSync(`${file}.part.truth.json`, `${file}.truth.json`);
    fs.renameSync(`${file}.part`, file);
  }
  return { file, truth: JSON.parse(fs.readFileSync(`${file}.truth.json`, 'utf8')) };
}

/** @param {string} file */
async function gzipOnce(file) {
  const gz = `${file}.gz`;
  if (!fs.existsSync(gz)) {
    log(`compressing ${path.relative(root, file)} (gzip level 1)`);
    await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), zlib.createGzip({ level: 1 }), fs.createWriteStream(`${gz}.part`));
    fs.renameSync(`${gz}.part`, gz);
  }
  return gz;
}

/**
 * @typedef {{ label: string, argv: string[], shell?: boolean, bytes: number, packets: number, base: string, rounds: number,
 *   stdout?: string, checkWith?: any, isBase?: boolean, runs: import("./measure.mjs").Measurement[] }} Row
 */
/** @type {Row[]} */
const rows = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pop3scope-bench-'));
const sizeBytes = parseSize(opt.size);
fs.mkdirSync(outDir, { recursive: true });

const primary = formats[0] ?? 'pcap';
// --compare: another build (say, before a change), timed beside this one in the same rounds on
// every input kind (its output is not checked); and this one without content detection.
const other = opt.compare ? path.resolve(opt.compare) : null;
const otherTag = other === null ? '' : `--compare ${path.relative(root, other)}`;
/** The row of the compared build beside `row`: the same command with the other CLI. @param {Row} row */
const compared = (row) => ({ ...row, label: `${otherTag}: ${row.label.replace(/^pop3scope /, '').replace(/\| pop3scope /, '| ')}`,
  argv: row.argv.map((a) => (a === tool ? other : a === JSON.stringify(tool) ? JSON.stringify(other) : a)), stdout: row.stdout && `${row.stdout}.compare`, checkWith: undefined, runs: [] });
/** Adds `row`, and the compared build's row beside it when there is one. @param {Row} row */
const pushCompared = (row) => {
  rows.push(row);
  if (other !== null) rows.push(/** @type {Row} */ (compared(row)));
};
for (const format of formats) {
  const { file, truth } = capture(sizeBytes, opt.size, format);
  const bytes = fs.statSync(file).size, packets = truth.packets;
  const tag = formats.length > 1 ? ` (${format})` : '';
  const base = `plain${format}`;
  if (format === primary) rows.push({ label: 'cat FILE > /dev/null', argv: ['cat', file], bytes, packets, base, rounds, runs: [] });
  rows.push({ label: `plain Node read, 1 MiB chunks${tag}`, argv: [process.execPath, path.join(here, 'plain-read.mjs'), file], bytes, packets, base, rounds, runs: [], isBase: true });
  pushCompared({ label: `pop3scope analyze --format json${tag}`, argv: [process.execPath, tool, 'analyze', '--format', 'json', file], bytes, packets, base, rounds, runs: [], stdout: path.join(tmp, `out-${format}.json`), checkWith: truth });
  if (format !== primary) continue;
  if (!opt['no-floor']) {
    // What the tool cannot avoid: loading itself, and visiting every record (then testing its ports).
    rows.push({ label: 'floor: pop3scope --version (start-up)', argv: [process.execPath, tool, '--version'], bytes, packets, base, rounds, runs: [] });
    for (const mode of ['walk', 'dismiss']) {
      rows.push({ label: `floor: bench/floor.mjs ${mode}`, argv: [process.execPath, path.join(here, 'floor.mjs'), file, mode, '--tool', tool], bytes, packets, base, rounds, runs: [] });
    }
  }
  if (!opt['no-extract']) {
    // Every retrieved message and attachment written to a fresh directory, next to analyze's time.
    const dir = path.join(tmp, 'extract');
    rows.push({ label: 'pop3scope extract --output-dir DIR', argv: ['sh', '-c', `rm -rf ${dir} && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(tool)} extract --format json --output-dir ${dir} ${JSON.stringify(file)}`], bytes, packets, base, rounds, runs: [] });
  }
  if (other !== null) {
    rows.push({ label: 'pop3scope analyze --no-detect --format json', argv: [process.execPath, tool, 'analyze', '--no-detect', '--format', 'json', file], bytes, packets, base, rounds, runs: [], stdout: path.join(tmp, 'out-no-detect.json') });
  }
  if (!opt['no-stdin']) {
    pushCompared({ label: 'cat FILE | pop3scope analyze -', argv: ['cat', JSON.stringify(file), '|', JSON.stringify(process.execPath), JSON.stringify(tool), 'analyze', '--format', 'json', '-'], shell: true, bytes, packets, base, rounds, runs: [], stdout: path.join(tmp, 'out-stdin.json'), checkWith: truth });
  }
  if (!opt['no-gzip']) {
    const gz = await gzipOnce(file);
    rows.push({ label: 'plain Node zlib inflate of FILE.gz', argv: [process.execPath, path.join(here, 'plain-inflate.mjs'), gz], bytes, packets, base, rounds, runs: [] });
    pushCompared({ label: 'pop3scope analyze FILE.gz', argv: [process.execPath, tool, 'analyze', '--format', 'json', gz], bytes, packets, base, rounds, runs: [], stdout: path.join(tmp, 'out-gz.json'), checkWith: truth });
  }
  if (!opt['no-tcpflow']) {
    if (has('tcpflow')) {
      const dir = path.join(tmp, 'tcpflow');
      rows.push({ label: "tcpflow -r FILE 'tcp port 110'", argv: ['sh', '-c', `rm -rf ${dir} && mkdir -p ${dir} && exec tcpflow -r ${JSON.stringify(file)} -o ${dir} 'tcp port 110'`], bytes, packets, base, rounds, runs: [] });
    } else log('tcpflow not installed: row skipped (run with --install to apt-get it)');
  }
  if (!opt['no-tshark'] && tsharkRounds > 0) {
    if (has('tshark')) {
      rows.push({ label: 'tshark -Y pop -T fields', argv: ['tshark', '-r', file, '-Y', 'pop', '-T', 'fields', '-e', 'frame.number', '-e', 'pop.request.command'], bytes, packets, base, rounds: tsharkRounds, runs: [] });
    } else log('tshark not installed: row skipped');
  }
}
if (opt.linearity) {
  const big = capture(sizeBytes * 4, `4x${opt.size}`, primary);
  rows.push({ label: `plain Node read, 4x size`, argv: [process.execPath, path.join(here, 'plain-read.mjs'), big.file], bytes: fs.statSync(big.file).size, packets: big.truth.packets, base: 'plain4x', rounds, runs: [], isBase: true });
  pushCompared({ label: `pop3scope analyze, 4x size`, argv: [process.execPath, tool, 'analyze', '--format', 'json', big.file], bytes: fs.statSync(big.file).size, packets: big.truth.packets, base: 'plain4x', rounds, runs: [], stdout: path.join(tmp, 'out-4x.json'), checkWith: big.truth });
}

// Interleaved rounds: every row once per round, so drift hits all rows alike.
const maxRounds = Math.max(...rows.map((r) => r.rounds));
for (let round = 1; round <= maxRounds; round++) {
  for (const row of rows) {
    if (round > row.rounds) continue;
    const m = measure(row.argv, { stdout: row.stdout, shell: row.shell });
    row.runs.push(m);
    log(`round ${round}/${maxRounds} ${row.label}: ${m.wall.toFixed(2)} s, ${m.rssMiB === null ? 'n/a' : m.rssMiB.toFixed(0) + ' MiB'}${m.code === 0 ? '' : `, exit ${m.code ?? m.signal}`}`);
  }
}

/** The most telling line of a failed run's standard error. @param {string} text */
function errorLine(text) {
  const ls = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (ls.find((l) => /^(\w*Error\b|pop3scope:)/.test(l)) ?? ls[0] ?? '').slice(0, 140);
}
const fmt = (/** @type {number|null} */ x, /** @type {number} */ d) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
/** @type {Record<string, number>} */
const baseWall = {};
for (const r of rows) if (r.isBase) baseWall[r.base] = median(r.runs.map((m) => m.wall));
const lines = [
  `pop3scope benchmark, ${new Date().toISOString()}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, Node ${process.version}`,
  `capture: ${opt.size} requested, seed ${seed}, formats ${formats.join(', ')}; ${rounds} interleaved rounds (tshark ${tsharkRounds}); medians`,
  '',
  '| what | wall s (median) | MB/s | packets/s | peak RSS MiB | × plain Node read | rounds | status |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];
for (const r of rows) {
  const ok = r.runs.filter((m) => m.code === 0);
  const failed = r.runs.find((m) => m.code !== 0);
  const wall = ok.length ? median(ok.map((m) => m.wall)) : NaN;
  const rss = ok.length && ok[0].rssMiB !== null ? Math.max(...ok.map((m) => m.rssMiB ?? 0)) : null;
  const status = failed ? `FAILED: exit ${failed.code ?? failed.signal}: ${errorLine(failed.stderr)}` : 'ok';
  lines.push(`| ${r.label.replace(/\|/g, "\\|")} | ${fmt(wall, 2)} | ${fmt(r.bytes / 1e6 / wall, 0)} | ${fmt(r.packets / wall, 0)} | ${fmt(rss, 0)} | ${fmt(wall / baseWall[r.base], 2)} | ${r.runs.length} | ${status.replace(/\|/g, '\\|')} |`);
}

// Correctness: the tool's last output of each checked row against the ground truth.
let allPass = true;
for (const r of rows) {
  if (!r.checkWith || !r.stdout) continue;
  lines.push('', `### ${r.label}: output against the ground truth`, '');
  let result = null;
  try { result = JSON.parse(fs.readFileSync(r.stdout, 'utf8')); } catch (e) {
    lines.push(`FAIL could not read the JSON output (${/** @type {Error} */ (e).message.slice(0, 100)})`);
    allPass = false;
    continue;
  }
  let rowPass = true;
  for (const c of checkAgainstTruth(result, r.checkWith)) {
    if (!c.pass) rowPass = false;
    lines.push(`- ${c.pass ? 'PASS' : 'FAIL'} ${c.item}: ${c.pass ? c.got : `got ${c.got}, want ${c.want}`}`);
  }
  if (!rowPass) {
    allPass = false;
    for (const d of sessionDifferences(result, r.checkWith)) lines.push(`  - differs: ${d}`);
  }
  const warnings = result?.captures?.[0]?.warnings ?? [];
  lines.push(`- info: ${warnings.length} capture warning(s), limits hit: ${JSON.stringify(result?.limits ?? {})}`);
}
if (opt.linearity) {
  const a = rows.find((r) => r.label.startsWith('pop3scope analyze --format json'));
  const b = rows.find((r) => r.label === 'pop3scope analyze, 4x size');
  if (a && b) {
    const ta = median(a.runs.map((m) => m.wall)), tb = median(b.runs.map((m) => m.wall));
    lines.push('', `linearity: ${fmt(b.bytes / a.bytes, 2)}x the bytes took ${fmt(tb / ta, 2)}x the time (time proportional to size would be ${fmt(b.bytes / a.bytes, 2)}x; less means fixed start-up costs dominate); peak RSS ${fmt(Math.max(...a.runs.map((m) => m.rssMiB ?? 0)), 0)} -> ${fmt(Math.max(...b.runs.map((m) => m.rssMiB ?? 0)), 0)} MiB`);
  }
}
const report = lines.join('\n') + '\n';
process.stdout.write(report);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
fs.writeFileSync(path.join(outDir, `results-${stamp}.md`), report);
fs.rmSync(tmp, { recursive: true, force: true });
if (!opt['no-tls']) {
  // The TLS case: its own captures (small by default: it compares rows, not disk speed).
  for (const cli of other === null ? [tool] : [tool, other]) {
    const tls = spawnSync(process.execPath, [path.join(here, 'tls.mjs'), '--size', opt['tls-size'], '--rounds', String(rounds), '--tool', cli], { stdio: ['ignore', 'pipe', 'inherit'] });
    const text = (cli === tool ? '' : `${otherTag}:\n`) + tls.stdout.toString();
    process.stdout.write('\n' + text);
    fs.appendFileSync(path.join(outDir, `results-${stamp}.md`), '\n' + text);
    if (tls.status !== 0) allPass = false;
  }
}
process.exitCode = allPass ? 0 : 1;
