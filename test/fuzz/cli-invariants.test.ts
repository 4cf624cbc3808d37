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

// The exit status each seeded input must give: 2 where the mutation overwrote the capture's magic.
const INPUTS = ([
  ['sample.pcapng', 3, 0], ['apop-login.pcap', 5, 0], ['stls-curl.pcap', 8, 0], ['auth-plain.pcap', 13, 2],
] as const).map(([name, seed, exit]) => {
  const { bytes, applied } = mutate(new Uint8Array(readFileSync(fixturePath(name as string))), seededRng(seed as number), 3);
  const file = path.join(dir, `${name}-${seed}`);
  writeFileSync(file, bytes);
  return { file, exit, what: `${applied.join('+')} of ${name}` };
});

describe('the command line on mutated captures', () => {
  it('covers both outcomes', () => expect(new Set(INPUTS.map((i) => i.exit))).toEqual(new Set([0, 2])));

  for (const { file, exit, what } of INPUTS) {
    it(`${what}: exit ${exit}, ${exit === 0 ? 'json and sarif valid' : 'one diagnostic naming the file, nothing on standard output'}, no stack trace`, () => {
      for (const format of ['json', 'sarif']) {
        const r = runCli(['analyze', '--format', format, file]);
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
        expect(r.status).toBe(exit);
        if (exit === 2) {
          expect(r.stdout).toBe('');
          expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(file)]);
        } else if (format === 'json') {
          expect(validateOutput(JSON.parse(r.stdout)), JSON.stringify(validateOutput.errors)).toBe(true);
        } else {
          expect(validateSarif(JSON.parse(r.stdout))).toBe(true);
        }
      }
    });
  }
});
