/**
 * The built command line on damaged captures: no stack trace, an exit status
 * of 0 (read, perhaps with warnings) or 2 (nothing readable), and what it
 * prints with --format json and --format sarif is valid against the output
 * schema and the SARIF 2.1.0 schema. A few seeded inputs only: each run
 * starts a process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { fixturePath } from '../support/tshark.js';
import { validateOutput, validateSarif } from './invariants.js';
import { mutate, seededRng } from './mutators.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'pop3scope-cli-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INPUTS = [
  ['sample.pcapng', 3], ['apop-login.pcap', 5], ['stls-curl.pcap', 8], ['auth-plain.pcap', 13],
].map(([name, seed]) => {
  const { bytes, applied } = mutate(new Uint8Array(readFileSync(fixturePath(name as string))), seededRng(seed as number), 3);
  const file = path.join(dir, `${name}-${seed}`);
  writeFileSync(file, bytes);
  return { file, what: `${applied.join('+')} of ${name}` };
});

describe('the command line on mutated captures', () => {
  for (const { file, what } of INPUTS) {
    it(`${what}: json and sarif valid, exit 0 or 2, no stack trace`, () => {
      const json = runCli(['analyze', '--format', 'json', file]);
      expect(json.stderr).not.toMatch(/\n\s+at |internal error/);
      expect([0, 2]).toContain(json.status);
      if (json.status === 0) expect(validateOutput(JSON.parse(json.stdout)), JSON.stringify(validateOutput.errors)).toBe(true);
      const sarif = runCli(['analyze', '--format', 'sarif', file]);
      expect([0, 2]).toContain(sarif.status);
      if (sarif.status === 0) expect(validateSarif(JSON.parse(sarif.stdout))).toBe(true);
    });
  }
});
