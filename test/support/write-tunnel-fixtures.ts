/**
 * Writes every TUNNEL_FIXTURES capture into the directory given as the first
 * argument (run by fixtures/make-tunnel-fixtures.sh through vite-node).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUNNEL_FIXTURES, tunnelFixtureFile } from './tunnel-fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: write-tunnel-fixtures.ts DIR');
mkdirSync(dir, { recursive: true });
for (const f of TUNNEL_FIXTURES) {
  writeFileSync(join(dir, `${f.name}.pcap`), tunnelFixtureFile(f));
  console.log(`${f.name}.pcap`);
}
