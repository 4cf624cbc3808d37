/**
 * Every packet of every recorded fixture is accounted for: it reached TCP
 * reassembly as a segment or the decoder counted it once under a skip reason.
 * The expected packet counts come from tshark's capinfos output, not the tool.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { fixtureCaptures, fixturePath, tsharkFile } from '../support/tshark.js';
import { accountingProblem } from './invariants.js';

describe('packet accounting on the recorded fixtures', () => {
  for (const capture of fixtureCaptures()) {
    it(`${capture}: packets = segments + skipped, and packets = capinfos`, async () => {
      const result = await analyze(fixturePath(capture));
      const c = result.captures[0]!;
      expect(accountingProblem(c)).toBeNull();
      const capinfos = readFileSync(tsharkFile(capture, 'capinfos.txt'), 'utf8');
      const m = /Number of packets:\s*([\d,]+)/.exec(capinfos);
      expect(m).not.toBeNull();
      expect(c.packets).toBe(Number(m![1]!.replace(/,/g, '')));
    });
  }

  it('the check can fail: one packet too many is caught', async () => {
    const c = (await analyze(fixturePath(fixtureCaptures()[0]!))).captures[0]!;
    expect(accountingProblem({ ...c, packets: c.packets + 1 })).toMatch(/packets but/);
  });
});
