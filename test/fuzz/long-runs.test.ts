/**
 * The builders of test/fuzz/mutators.mjs (long CAPA answers, long SASL
 * exchanges, TLS alert floods) and several inputs read at once, at small
 * scale: each keeps every invariant within its time bound. The long run
 * (`npm run fuzz`) builds them up to the sizes that once took minutes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { fixturePath } from '../support/tshark.js';
import { analyzeAndCheck, resultProblems, timeBoundMs } from './invariants.js';
import { BUILDER_NAMES, BUILDERS, seededRng, severalInputs } from './mutators.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'pop3scope-long-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('built long runs keep every invariant', () => {
  it('has the three builders', () => expect(BUILDER_NAMES).toEqual(['long-capa', 'long-sasl', 'alert-run']));

  for (const name of BUILDER_NAMES) {
    it(name, async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const bytes = BUILDERS[name]!(seededRng(seed), 3);
        const { problems, result } = await analyzeAndCheck(bytes);
        expect(problems, `seed ${seed}`).toEqual([]);
        expect(result!.sessions.length, `seed ${seed}`).toBe(1);
      }
    });
  }

  it('several inputs at once, gzip bombs among them', async () => {
    const fixtures = ['apop-login.pcap', 'auth-plain.pcap', 'stls-curl.pcap'].map((f) => new Uint8Array(readFileSync(fixturePath(f))));
    for (let seed = 1; seed <= 4; seed++) {
      const { files, inflatedBytes } = severalInputs(fixtures, seededRng(seed));
      const paths = files.map((b, i) => {
        const file = path.join(dir, `${seed}-${i}`);
        writeFileSync(file, b);
        return file;
      });
      const started = performance.now();
      const result = await analyze(paths);
      expect(performance.now() - started).toBeLessThan(timeBoundMs(inflatedBytes));
      expect(resultProblems(result), `seed ${seed}`).toEqual([]);
      expect(result.captures).toHaveLength(files.length);
    }
  });
});
