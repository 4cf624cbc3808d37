#!/usr/bin/env node
/**
 * Experiment: does splitting the work over two threads win on this machine?
 * `single` runs read → decode → TCP → POP3 on the main thread (as the tool
 * does). `split` reads and decodes in a worker thread and posts the wanted
 * segments to the main thread in batches (payloads copied into one transferred
 * buffer per batch), where TCP reassembly and POP3 run. Both stop at the end
 * of reassembly (no rules, no report) and print wall and CPU time and the
 * session count, so the two can be compared in interleaved runs:
 *
 *   node bench/worker-split.mjs FILE single|split
 *
 * Uses the built library (`npm run build` first).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(path.dirname(here), 'dist');
const BATCH_BYTES = 4 << 20;
const BATCH_SEGMENTS = 8192;

if (isMainThread) {
  const [file, mode] = process.argv.slice(2);
  if (!file || (mode !== 'single' && mode !== 'split')) {
    process.stderr.write('usage: node bench/worker-split.mjs FILE single|split\n');
    process.exit(2);
  }
  const { buildPipeline } = await import(path.join(dist, 'analyze.js'));
  const { Pop3SessionFactory } = await import(path.join(dist, 'pop3/session-factory.js'));
  const { readCapture } = await import(path.join(dist, 'capture/input.js'));
  let sessions = 0;
  const pipeline = buildPipeline(['x'], {}, (/** @type {any} */ ctx) => new Pop3SessionFactory(
    { showSecrets: false, isImplicitTlsPort: ctx.isImplicitTlsPort, frameLabel: ctx.frameLabel, formatTime: ctx.formatTime },
    () => { sessions++; },
  ));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (mode === 'single') {
    await readCapture(file, pipeline.sink);
  } else {
    await new Promise((resolve, reject) => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file, dist } });
      worker.on('message', (/** @type {any} */ m) => {
        if (m.done) { resolve(undefined); return; }
        const payload = new Uint8Array(m.buffer);
        const n = m.n;
        for (let i = 0; i < n; i++) {
          const o = i * 10;
          const at = m.nums[o + 9];
          pipeline.assembler.segment({
            frame: m.nums[o], sec: m.nums[o + 1], nsec: m.nums[o + 2],
            src: m.addrs[2 * i], dst: m.addrs[2 * i + 1],
            srcPort: m.nums[o + 3], dstPort: m.nums[o + 4], seq: m.nums[o + 5], ack: m.nums[o + 6],
            flags: m.nums[o + 7], window: m.nums[o + 8],
            payload: payload.subarray(at, i + 1 < n ? m.nums[o + 19] : m.end),
            missing: m.missing[i],
          });
        }
      });
      worker.on('error', reject);
    });
  }
  pipeline.assembler.finish();
  const cpu = process.cpuUsage(c0);
  const all = process.resourceUsage();
  // process.cpuUsage() counts every thread of the process, the worker's too.
  process.stdout.write(`${mode} wall ${((performance.now() - t0) / 1000).toFixed(2)} s, cpu (all threads) ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, sessions ${sessions}, peak RSS ${(all.maxRSS / 1024).toFixed(0)} MiB\n`);
} else {
  const { file, dist: lib } = workerData;
  const { readCapture } = await import(path.join(lib, 'capture/input.js'));
  const { PacketDecoder } = await import(path.join(lib, 'decode/decoder.js'));
  const decoder = new PacketDecoder({ wantPort: (/** @type {number} */ p) => p === 110 || p === 995 });
  let buffer = new Uint8Array(BATCH_BYTES);
  let used = 0;
  let nums = new Float64Array(BATCH_SEGMENTS * 10);
  let addrs = [];
  let missing = [];
  let n = 0;
  const flush = () => {
    if (n === 0) return;
    parentPort.postMessage({ buffer: buffer.buffer, end: used, nums, addrs, missing, n }, [buffer.buffer, nums.buffer]);
    buffer = new Uint8Array(BATCH_BYTES);
    nums = new Float64Array(BATCH_SEGMENTS * 10);
    used = 0; n = 0; addrs = []; missing = [];
  };
  await readCapture(file, {
    packet(/** @type {any} */ p) {
      const s = decoder.decode(p);
      if (s === null) return;
      if (used + s.payload.length > BATCH_BYTES || n === BATCH_SEGMENTS) flush();
      const o = n * 10;
      nums[o] = s.frame; nums[o + 1] = s.sec; nums[o + 2] = s.nsec; nums[o + 3] = s.srcPort; nums[o + 4] = s.dstPort;
      nums[o + 5] = s.seq; nums[o + 6] = s.ack; nums[o + 7] = s.flags; nums[o + 8] = s.window; nums[o + 9] = used;
      addrs.push(s.src, s.dst);
      missing.push(s.missing);
      buffer.set(s.payload, used);
      used += s.payload.length;
      n++;
    },
  });
  flush();
  parentPort.postMessage({ done: true });
}
