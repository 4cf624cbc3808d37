#!/usr/bin/env node
/**
 * What any analysis of a capture pays before it looks at one POP3 byte: the
 * built reader and decoder of a pop3scope build, without the CLI, the TCP
 * layer, POP3, rules or report.
 *
 *   node bench/floor.mjs FILE walk    [--tool bin/pop3scope.js]
 *   node bench/floor.mjs FILE dismiss [--tool bin/pop3scope.js]
 *
 * `walk` reads the file as the tool does (`readCapture()`: 4 MiB blocks, the
 * next one read on the thread pool meanwhile) and visits every record (the
 * packet is handed to a sink that does nothing). `dismiss` adds the port test the
 * tool makes on every record: other traffic is dismissed on its raw bytes,
 * and the rest is decoded into segments, the flows that are not on a POP3
 * port being dropped once seen, as content detection drops them. Prints the
 * packet and segment counts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values: opt, positionals } = parseArgs({ allowPositionals: true, options: { tool: { type: 'string' } } });
const [file, mode] = positionals;
if (!file || (mode !== 'walk' && mode !== 'dismiss')) {
  process.stderr.write('usage: node bench/floor.mjs FILE walk|dismiss [--tool bin/pop3scope.js]\n');
  process.exit(2);
}
const dist = path.join(path.dirname(path.resolve(opt.tool ?? new URL('../bin/pop3scope.js', import.meta.url).pathname)), '..', 'dist');
const { readCapture } = await import(pathToFileURL(path.join(dist, 'capture', 'input.js')).href);
const { PacketDecoder } = await import(pathToFileURL(path.join(dist, 'decode', 'decoder.js')).href);

const isPop3Port = (/** @type {number} */ port) => port === 110 || port === 995;
const decoder = new PacketDecoder({ wantPort: isPop3Port, detect: true });
let segments = 0;
const sink = mode === 'walk'
  ? { packet() {} }
  : {
      dismiss: (/** @type {any} */ p, /** @type {Uint8Array} */ b, /** @type {number} */ start, /** @type {number} */ length) => decoder.dismiss(p.linkType, b, start, length),
      packet(/** @type {any} */ p) {
        const s = decoder.decode(p);
        if (s === null) return;
        segments++;
        if (!isPop3Port(s.srcPort) && !isPop3Port(s.dstPort)) decoder.ignoreLastFlow();
      },
    };
const info = await readCapture(file, sink);
process.stdout.write(`${info.packets} packets, ${segments} segments\n`);
