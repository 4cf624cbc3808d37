#!/usr/bin/env node
/**
 * The TLS benchmark: the same POP3 sessions written three ways (clear on port
 * 110; TLS 1.3 and TLS 1.2 AES-GCM on port 995, sealed with keys written to a
 * key log), then `pop3scope analyze` timed on each, with and without the key
 * log, in interleaved rounds. Reports each row's median and its ratio to the
 * clear capture, and checks that decryption found what the clear run found.
 *
 *   node bench/tls.mjs [--size 20MB] [--rounds 3] [--seed 1] [--tool bin/pop3scope.js]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CaptureWriter, ipv4 } from './capture-writer.mjs';
import { TcpConversation } from './tcp-conversation.mjs';
import { makeRandom } from './prng.mjs';
import { Templates, pop3Script, parseSize } from './generate.mjs';
import { wrapInTls } from './tls-records.mjs';
import { measure, median, printUsageAndExit } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const outDir = path.join(here, 'out');

const { values: opt } = parseArgs({
  options: {
    size: { type: 'string', default: '20MB' }, rounds: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' },
    tool: { type: 'string', default: path.join(root, 'bin', 'pop3scope.js') }, help: { type: 'boolean' },
  },
});
if (opt.help) printUsageAndExit(import.meta.url);

/** Writes the three captures and the two key logs; returns their paths and the sessions' users. */
function writeCaptures(size, seed) {
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `tls-${size}-s${seed}`);
  const files = { clear: `${base}.clear.pcap`, tls13: `${base}.tls13.pcap`, tls12: `${base}.tls12.pcap`, keys13: `${base}.tls13.keys`, keys12: `${base}.tls12.keys` };
  const rand = makeRandom(seed);
  const T = new Templates(rand);
  const writers = { clear: new CaptureWriter(files.clear), tls13: new CaptureWriter(files.tls13), tls12: new CaptureWriter(files.tls12) };
  const keyLogs = { tls13: [], tls12: [] };
  const users = [];
  let ts = Date.UTC(2026, 2, 2, 9) * 1000;
  for (let n = 1; writers.clear.pcapSize < size; n++) {
    const truth = { commands: {}, logins: [] };
    const sends = pop3Script(T, rand, truth);
    users.push(truth.user);
    const ep = (sport) => ({ v6: false, cip: ipv4(10, 1, (n >> 8) & 255, n & 255), sip: ipv4(192, 0, 2, 25), cport: 40000 + (n % 20000), sport });
    const variants = [
      ['clear', sends, 110],
      ...['tls13', 'tls12'].map((v) => {
        const wrapped = wrapInTls(v, sends, rand);
        keyLogs[v].push(wrapped.keyLog);
        return [v, wrapped.sends, 995];
      }),
    ];
    const start = ts;
    for (const [name, s, port] of variants) {
      ts = start;
      const e = ep(port);
      const conv = new TcpConversation(e, s[Symbol.iterator](), { rand: makeRandom(n) });
      for (let seg = conv.next(); seg; seg = conv.next()) writers[name].tcp((ts += 20), e, seg.c, seg.fl, seg.seq, seg.ack, seg.data);
    }
  }
  for (const w of Object.values(writers)) w.close();
  fs.writeFileSync(files.keys13, keyLogs.tls13.join(''));
  fs.writeFileSync(files.keys12, keyLogs.tls12.join(''));
  return { files, users };
}

const size = parseSize(opt.size);
const { files, users } = writeCaptures(size, Number(opt.seed));
const rows = [
  { name: 'clear POP3 (port 110)', args: [files.clear] },
  { name: 'TLS 1.3 AES-256-GCM, --keylog', args: [files.tls13, '--keylog', files.keys13] },
  { name: 'TLS 1.2 AES-128-GCM, --keylog', args: [files.tls12, '--keylog', files.keys12] },
  { name: 'TLS 1.3, no key log', args: [files.tls13] },
];
const walls = rows.map(() => []);
let failed = false;
for (let r = 0; r < Number(opt.rounds); r++) {
  rows.forEach((row, i) => {
    const out = path.join(outDir, `tls-row${i}.json`);
    const m = measure(['node', opt.tool, 'analyze', '--format', 'json', '-q', ...row.args], { stdout: out });
    if (m.code !== 0) { failed = true; console.error(`${row.name}: exit ${m.code}: ${m.stderr.split('\n')[0]}`); }
    walls[i].push(m.wall);
    if (r === 0 && i < 3) {
      // Decryption must find what the clear capture shows: the same users, in order.
      const result = JSON.parse(fs.readFileSync(out, 'utf8'));
      const got = result.sessions.map((s) => s.user);
      const same = got.length === users.length && got.every((u, k) => u === users[k]);
      if (!same) { failed = true; console.error(`${row.name}: users differ from the generator's (${got.length} sessions, ${users.length} expected)`); }
      if (i > 0 && result.sessions.some((s) => s.tls?.decryption !== 'decrypted')) { failed = true; console.error(`${row.name}: a session was not decrypted`); }
    }
  });
}
const bytes = (f) => fs.statSync(f).size;
const clear = median(walls[0]);
console.log(`TLS benchmark: ${users.length} POP3 sessions, clear capture ${(bytes(files.clear) / 1e6).toFixed(1)} MB, ${opt.rounds} rounds (medians)`);
console.log('row'.padEnd(34) + 'MB'.padStart(7) + 'wall s'.padStart(9) + 'x clear'.padStart(9));
rows.forEach((row, i) => {
  const w = median(walls[i]);
  console.log(row.name.padEnd(34) + (bytes(row.args[0]) / 1e6).toFixed(1).padStart(7) + w.toFixed(2).padStart(9) + (w / clear).toFixed(2).padStart(9));
});
process.exit(failed ? 1 : 0);
