#!/usr/bin/env node
/**
 * The long fuzz run: `npm run fuzz -- --minutes N [--seed S]` (builds first),
 * or `node test/fuzz/long-run.mjs --minutes N` against an existing dist/.
 * Mutates the recorded fixtures layer by layer and generates hostile
 * conversations from scratch, checks every invariant of the short run
 * (settles, time bound, output schema, SARIF schema, packet accounting), prints
 * what it tried, and writes every failing input, minimised, into
 * fixtures/malformed/ as fuzz-<hash>.pcap with a fuzz-<hash>.json that the
 * malformed-corpus test then replays. Exit status 1 when anything failed.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import { BUILDER_NAMES, BUILDERS, MUTATOR_NAMES, MUTATORS, layout, mutate, seededRng, severalInputs } from './mutators.mjs';
import { conversationFrames, pcapOf } from './raw-capture.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { analyze } = await import(path.join(root, 'dist', 'analyze.js'));
const { renderSarif } = await import(path.join(root, 'dist', 'report', 'sarif.js'));
const { RULES } = await import(path.join(root, 'dist', 'rules', 'registry.js'));
const { TOOL_VERSION } = await import(path.join(root, 'dist', 'version.js'));

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
const minutes = Number(values.minutes);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;

// ---- the invariants (as test/fuzz/invariants.ts) ----
const outputSchema = JSON.parse(readFileSync(path.join(root, 'docs', 'output.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const validateOutput = ajv.compile(outputSchema);
const sarifSchema = JSON.parse(readFileSync(path.join(root, 'test', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
const validateSarif = new AjvDraft04Module({ allErrors: true, strict: false, validateFormats: false, logger: false }).compile(sarifSchema);
const countsPackets = (reason) => !reason.endsWith('-fragments-incomplete') && !reason.startsWith('pcapng-block:');
const timeBoundMs = (bytes) => 2000 + (2 * bytes) / 1024;

/**
 * The first broken invariant for these bytes (or these files, read together), or null.
 * @param {Uint8Array} bytes @param {string[]} [files] paths read instead of `bytes`
 * @param {number} [size] the octets the time bound is reckoned from (default: `bytes`' length)
 */
async function problemOf(bytes, files, size = bytes.length) {
  const started = performance.now();
  let result;
  try {
    result = await analyze(files ?? Readable.from([Buffer.from(bytes)]));
  } catch (e) {
    if (e?.name === 'CaptureInputError') return null;
    return `threw: ${e?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`;
  }
  const ms = performance.now() - started;
  if (ms > timeBoundMs(size)) return `slow: ${ms.toFixed(0)} ms for ${size} bytes`;
  const doc = JSON.parse(JSON.stringify(result));
  if (!validateOutput(doc)) return `schema: ${ajv.errorsText(validateOutput.errors)}`;
  if (!validateSarif(JSON.parse(JSON.stringify(renderSarif(result, { rules: RULES, toolVersion: TOOL_VERSION }))))) {
    return `sarif: ${JSON.stringify(validateSarif.errors?.slice(0, 2))}`;
  }
  for (const c of result.captures) {
    const skipped = Object.entries(c.skipped).filter(([r]) => countsPackets(r)).reduce((n, [, v]) => n + v, 0);
    if (c.packets !== c.segments + skipped) return `accounting: ${c.packets} packets, ${c.segments} segments + ${skipped} skipped`;
  }
  return null;
}

// ---- inputs ----
const fixtureDir = path.join(root, 'fixtures', 'captures');
const fixtures = [...readdirSync(fixtureDir).map((f) => path.join(fixtureDir, f)), path.join(root, 'fixtures', 'sample.pcapng')]
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .map((f) => ({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) }))
  // Mutating megabytes is slow and finds the same things: the small fixtures.
  .filter((f) => f.bytes.length < 256 * 1024);

const NASTY = ['\x1b[2J', '\u009b', '\u202e', '\x00\x07', '\xff\xfe', '\r', '\n', '.', '..', '+OK', '-ERR', '+ ', 'A'.repeat(70000)];
const WORDS = ['USER', 'PASS', 'APOP', 'AUTH PLAIN', 'AUTH LOGIN', 'STLS', 'CAPA', 'LIST', 'RETR 1', 'TOP 1 0', 'DELE 1', 'QUIT', 'XYZZY'];

/** A hostile conversation from scratch, cut into random segments. @param {{int(n:number):number}} r */
function generated(r) {
  const turns = [];
  const n = 1 + r.int(16);
  for (let i = 0; i < n; i++) {
    const from = r.int(2) ? 'client' : 'server';
    let text = from === 'client' ? WORDS[r.int(WORDS.length)] : ['+OK', '-ERR', '+', '+OK\r\nSubject: x\r\n\r\nb\r\n.'][r.int(4)];
    for (let k = r.int(3); k > 0; k--) text += ' ' + NASTY[r.int(NASTY.length)];
    const data = Buffer.from(text + (r.int(5) ? '\r\n' : ''), 'latin1');
    // Cut the line into segments at random points.
    for (let o = 0; o < data.length;) {
      const size = 1 + r.int(r.int(2) ? 8 : 2000);
      turns.push({ from, data: data.subarray(o, o + size) });
      o += size;
    }
  }
  const frames = conversationFrames(turns, 30000 + r.int(30000), r.int(2) ? 110 : 995);
  return pcapOf(frames);
}

// ---- minimising ----
/** Shorter inputs that still fail the same way: cut the tail, then drop whole records. @param {Uint8Array} bytes @param {string} problem */
async function minimise(bytes, problem) {
  const kind = problem.split(':')[0];
  const fails = async (b) => (await problemOf(b))?.split(':')[0] === kind;
  let best = bytes;
  for (let step = best.length >> 1; step > 0; step >>= 1) {
    while (best.length > step && (await fails(best.subarray(0, best.length - step)))) best = best.slice(0, best.length - step);
  }
  const l = layout(best);
  if (l.format === 'pcap') {
    for (let i = l.records.length - 1; i >= 0; i--) {
      const cur = layout(best).records;
      const rec = cur[i];
      if (!rec) continue;
      const without = Buffer.concat([best.subarray(0, rec.header), best.subarray(rec.data + rec.length)]);
      if (await fails(without)) best = new Uint8Array(without);
    }
  }
  return best;
}

async function record(bytes, problem, what) {
  const small = await minimise(bytes, problem);
  const hash = createHash('sha256').update(small).digest('hex').slice(0, 12);
  const name = `fuzz-${hash}`;
  const ext = layout(small).format === 'pcapng' ? 'pcapng' : 'pcap';
  writeFileSync(path.join(root, 'fixtures', 'malformed', `${name}.${ext}`), small);
  writeFileSync(
    path.join(root, 'fixtures', 'malformed', `${name}.json`),
    JSON.stringify({ input: `${name}.${ext}`, why: `found by the long fuzz run (${what}): ${problem}`, found: { problem, seed, what }, cli: {} }, null, 2) + '\n',
  );
  console.log(`  FAIL ${what}: ${problem}\n       minimised ${bytes.length} -> ${small.length} bytes: fixtures/malformed/${name}.${ext}`);
}

// ---- the run ----
const r = seededRng(seed);
const deadline = Date.now() + minutes * 60_000;
const tried = Object.fromEntries([...MUTATOR_NAMES, 'combined', 'generated', ...BUILDER_NAMES, 'several-inputs'].map((k) => [k, 0]));
const scratch = mkdtempSync(path.join(tmpdir(), 'pop3scope-fuzz-'));
let peakRss = 0;
let failures = 0;
let runs = 0;
console.log(`pop3scope long fuzz run: ${minutes} min, seed ${seed}, ${fixtures.length} fixtures, mutators: ${MUTATOR_NAMES.join(', ')}, plus generated conversations, builders: ${BUILDER_NAMES.join(', ')}, and several inputs at once`);
let lastReport = Date.now();
while (Date.now() < deadline) {
  const choice = r.int(MUTATOR_NAMES.length + 4);
  let bytes, what, files, size;
  if (choice === MUTATOR_NAMES.length + 2) {
    const name = BUILDER_NAMES[r.int(BUILDER_NAMES.length)];
    bytes = BUILDERS[name](r, 1 + r.int(100));
    what = `built ${name}`;
    tried[name]++;
  } else if (choice === MUTATOR_NAMES.length + 3) {
    const several = severalInputs(fixtures.map((f) => f.bytes), r);
    files = several.files.map((b, i) => {
      const file = path.join(scratch, `input-${i}${b[0] === 0x1f && b[1] === 0x8b ? '.gz' : ''}`);
      writeFileSync(file, b);
      return file;
    });
    bytes = Buffer.concat(several.files);
    size = several.inflatedBytes;
    what = `several inputs: ${several.what.join(', ')}`;
    tried['several-inputs']++;
  } else if (choice < MUTATOR_NAMES.length) {
    const f = fixtures[r.int(fixtures.length)];
    const name = MUTATOR_NAMES[choice];
    bytes = MUTATORS[name](f.bytes, r);
    what = `${name} of ${f.name}`;
    tried[name]++;
  } else if (choice === MUTATOR_NAMES.length) {
    const f = fixtures[r.int(fixtures.length)];
    const m = mutate(f.bytes, r, 2 + r.int(5));
    bytes = m.bytes;
    what = `${m.applied.join('+')} of ${f.name}`;
    tried.combined++;
  } else {
    bytes = generated(r);
    what = 'generated conversation';
    tried.generated++;
  }
  runs++;
  const found = await problemOf(bytes, files, size);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  // Schema errors list every field: the first few say enough.
  const problem = found && found.length > 400 ? `${found.slice(0, 400)}…` : found;
  if (problem && files) {
    // Several files are kept as they are, not minimised: the run's inputs are what fails together.
    failures++;
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const dir = path.join(root, 'fixtures', 'malformed', `fuzz-several-${hash}`);
    console.log(`  FAIL ${what}: ${problem}\n       inputs kept in ${path.relative(root, dir)}/ (not minimised)`);
    rmSync(dir, { recursive: true, force: true });
    (await import('node:fs')).cpSync(scratch, dir, { recursive: true });
  } else if (problem) {
    failures++;
    await record(bytes, problem, what);
  }
  for (const f of files ?? []) rmSync(f, { force: true });
  if (!values.quiet && Date.now() - lastReport > 15_000) {
    lastReport = Date.now();
    console.log(`  ${runs} inputs, ${failures} failures so far`);
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`tried ${runs} inputs: ${Object.entries(tried).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`peak resident memory: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (sampled between inputs: ${(peakRss / 2 ** 20).toFixed(0)} MiB)`);
console.log(failures ? `${failures} FAILED (inputs in fixtures/malformed/fuzz-*)` : 'no failures');
process.exitCode = failures ? 1 : 0;
