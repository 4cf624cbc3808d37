#!/usr/bin/env node
/**
 * Experiment: does splitting the work over two threads win on this machine?
 *
 * - `single` runs read → decode → TCP → POP3 on the main thread (as the tool does).
 * - `split` reads and decodes in a worker thread and posts the wanted segments to the
 *   main thread in batches (payloads copied into one transferred buffer per batch),
 *   where TCP reassembly and POP3 run.
 * - `shared` is the split without copies: the worker reads the file into chunks of a
 *   SharedArrayBuffer, walks the records and dismisses other traffic, and lists the
 *   records left (where they are, frame, time) in a shared index; the main thread
 *   makes a packet view over each and runs the rest of the pipeline. Chunks go round
 *   a ring of four, handed over with Atomics. The worker cannot see the flows content
 *   detection turns down (the main thread decides them), so this mode runs without
 *   detection; compare it with `single --no-detect`.
 *
 * All stop at the end of reassembly (no rules, no report) and print wall and CPU time
 * and the session count, so they can be compared in interleaved runs:
 *
 *   node bench/worker-split.mjs FILE single|split|shared [--no-detect]
 *
 * Uses the built library (`npm run build` first); `shared` reads classic pcap only.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(path.dirname(here), 'dist');
const BATCH_BYTES = 4 << 20;
const BATCH_SEGMENTS = 8192;
// `shared`: a ring of SLOTS chunks, each CHUNK bytes read from the file plus room for records
// that straddled the chunk before (the reader completes them in a buffer of its own).
const SLOTS = 4;
const CHUNK = 4 << 20;
const OVERFLOW = 1 << 20;
const SLOT_BYTES = CHUNK + OVERFLOW;
/** Index fields per record: frame, sec, nsec, link type, original length, file offset, where, captured length. */
const FIELDS = 8;
const MAX_RECORDS = CHUNK / 16 + 64;
/** Slot states in `ctl[slot]`; `ctl[SLOTS + slot]` holds the slot's record count. */
const FREE = 0, FILLED = 1, END = 2;

if (isMainThread) {
  const [file, mode, flag] = process.argv.slice(2);
  if (!file || !['single', 'split', 'shared'].includes(mode ?? '') || (flag !== undefined && flag !== '--no-detect')) {
    process.stderr.write('usage: node bench/worker-split.mjs FILE single|split|shared [--no-detect]\n');
    process.exit(2);
  }
  const detect = mode !== 'shared' && flag !== '--no-detect';
  const { buildPipeline } = await import(path.join(dist, 'analyze.js'));
  const { Pop3SessionFactory } = await import(path.join(dist, 'pop3/session-factory.js'));
  const { readCapture } = await import(path.join(dist, 'capture/input.js'));
  let sessions = 0;
  const pipeline = buildPipeline(['x'], { detect }, (/** @type {any} */ ctx) => new Pop3SessionFactory(
    { showSecrets: false, isImplicitTlsPort: ctx.isImplicitTlsPort, frameLabel: ctx.frameLabel, formatTime: ctx.formatTime },
    () => { sessions++; },
  ));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (mode === 'single') {
    await readCapture(file, pipeline.sink);
  } else if (mode === 'shared') {
    const data = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    const index = new SharedArrayBuffer(SLOTS * MAX_RECORDS * FIELDS * 8);
    const ctl = new Int32Array(new SharedArrayBuffer(2 * SLOTS * 4));
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file, dist, mode, data, index, ctl: ctl.buffer } });
    const failed = new Promise((_, reject) => worker.on('error', reject));
    failed.catch(() => {});
    const at = new Float64Array(index);
    /** @type {any} */
    const p = { frame: 0, sec: 0, nsec: 0, linkType: 0, data: new Uint8Array(0), origLen: 0, offset: 0 };
    for (let slot = 0; ; slot = (slot + 1) % SLOTS) {
      // Blocking here is what the analysing thread would do anyway: it has nothing else to do.
      while (Atomics.wait(ctl, slot, FREE, 1000) === 'timed-out') await Promise.race([failed, new Promise((r) => setImmediate(r))]);
      const state = Atomics.load(ctl, slot);
      const n = ctl[SLOTS + slot];
      for (let k = 0; k < n; k++) {
        const o = (slot * MAX_RECORDS + k) * FIELDS;
        p.frame = at[o]; p.sec = at[o + 1]; p.nsec = at[o + 2]; p.linkType = at[o + 3]; p.origLen = at[o + 4]; p.offset = at[o + 5];
        p.data = new Uint8Array(data, at[o + 6], at[o + 7]);
        pipeline.sink.packet(p);
      }
      Atomics.store(ctl, slot, FREE);
      Atomics.notify(ctl, slot);
      if (state === END) break;
    }
    await worker.terminate();
  } else {
    await new Promise((resolve, reject) => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file, dist, mode } });
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
} else if (workerData.mode === 'shared') {
  const { file, dist: lib } = workerData;
  const { CaptureReader } = await import(path.join(lib, 'capture/reader.js'));
  const { PacketDecoder } = await import(path.join(lib, 'decode/decoder.js'));
  const decoder = new PacketDecoder({ wantPort: (/** @type {number} */ p) => p === 110 || p === 995, detect: false });
  const data = /** @type {SharedArrayBuffer} */ (workerData.data);
  const bytes = new Uint8Array(data);
  const at = new Float64Array(workerData.index);
  const ctl = new Int32Array(workerData.ctl);
  let slot = 0;
  let n = 0;
  let overflow = 0;
  const reader = new CaptureReader({
    dismiss: (/** @type {any} */ p, /** @type {Uint8Array} */ b, /** @type {number} */ start, /** @type {number} */ length) => decoder.dismiss(p.linkType, b, start, length),
    packet(/** @type {any} */ p) {
      let where = p.data.byteOffset;
      if (p.data.buffer !== data) {
        // A record that straddled two chunks: the reader joined it in a buffer of its own.
        if (overflow + p.data.length > OVERFLOW) throw new Error('overflow area too small');
        where = slot * SLOT_BYTES + CHUNK + overflow;
        bytes.set(p.data, where);
        overflow += p.data.length;
      }
      if (n === MAX_RECORDS) throw new Error('index slot full');
      const o = (slot * MAX_RECORDS + n) * FIELDS;
      at[o] = p.frame; at[o + 1] = p.sec; at[o + 2] = p.nsec; at[o + 3] = p.linkType; at[o + 4] = p.origLen; at[o + 5] = p.offset;
      at[o + 6] = where; at[o + 7] = p.data.length;
      n++;
    },
  });
  const fd = fs.openSync(file, 'r');
  for (;;) {
    Atomics.wait(ctl, slot, FILLED);
    n = 0;
    overflow = 0;
    const got = fs.readSync(fd, bytes, slot * SLOT_BYTES, CHUNK, null);
    if (got > 0) reader.push(bytes.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + got));
    else reader.end();
    ctl[SLOTS + slot] = n;
    Atomics.store(ctl, slot, got > 0 ? FILLED : END);
    Atomics.notify(ctl, slot);
    if (got === 0) break;
    slot = (slot + 1) % SLOTS;
  }
  fs.closeSync(fd);
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
