/**
 * writeJson streams the document piece by piece; its text must be exactly what
 * JSON.stringify of the contract-ordered whole gives (renderJson), for every fixture.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { renderJson, writeJson } from '../../src/report/json.js';
import { fixtureCaptures, fixturePath } from '../support/tshark.js';
import { sampleResult } from './sample-result.js';

function streamed(result: Parameters<typeof writeJson>[0]): string {
  let out = '';
  writeJson(result, (s) => { out += s; });
  return out;
}

describe('writeJson', () => {
  it('equals renderJson on a hand-built result with hostile text and secrets', () => {
    const r = sampleResult();
    expect(streamed(r)).toBe(renderJson(r));
    expect(streamed({ ...r, sessions: [], findings: [] })).toBe(renderJson({ ...r, sessions: [], findings: [] }));
  });

  it('equals renderJson on every real fixture, and all of them as one capture', async () => {
    for (const name of fixtureCaptures()) {
      const r = await analyze(fixturePath(name));
      expect(streamed(r), name).toBe(renderJson(r));
    }
    const all = await analyze(fixtureCaptures().map(fixturePath));
    expect(streamed(all)).toBe(renderJson(all));
  });
});
