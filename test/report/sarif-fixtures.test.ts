/**
 * The SARIF of every real capture validates against the official OASIS 2.1.0
 * schema, as the built command line writes it and as the library renders it,
 * and every result points at the capture that holds its frames.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { AnalysisResult } from '../../src/model.js';
import { RULES } from '../../src/rules/registry.js';
import { renderSarif } from '../../src/report/sarif.js';
import { fixtureCaptures, fixturePath } from '../support/tshark.js';
import { runCli } from '../support/run-cli.js';
import { validateSarif } from '../support/sarif-schema.js';


const CAPTURES = fixtureCaptures();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sarif = any;

function expectValid(log: Sarif, label: string): void {
  expect(validateSarif(log), `${label}: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`).toBe(true);
}

describe('SARIF of every real capture (library)', () => {
  const results = new Map<string, AnalysisResult>();
  beforeAll(async () => {
    for (const name of CAPTURES) results.set(name, await analyze(fixturePath(name)));
  }, 60_000);

  for (const name of CAPTURES) {
    it(name, () => {
      const r = results.get(name)!;
      const log: Sarif = JSON.parse(JSON.stringify(renderSarif(r, { rules: RULES, toolVersion: '0.0.0' })));
      expectValid(log, name);
      const run = log.runs[0];
      expect(run.tool.driver.rules.map((d: { id: string }) => d.id)).toEqual(RULES.map((x) => x.id));
      expect(run.results).toHaveLength(r.findings.length);
      run.results.forEach((res: Sarif, i: number) => {
        const f = r.findings[i]!;
        expect(res.ruleId).toBe(f.rule);
        expect(run.tool.driver.rules[res.ruleIndex].id).toBe(f.rule);
        expect(res.message.text).toBe(f.message);
        expect(res.properties.frames).toEqual(f.frames);
        expect(res.locations[0].physicalLocation.artifactLocation.index).toBe(0);
      });
    });
  }

  it('the schema check can fail on a real log', () => {
    const r = results.get('user-pass-retr-dele-quit.pcap')!;
    const log: Sarif = JSON.parse(JSON.stringify(renderSarif(r, { rules: RULES, toolVersion: '0.0.0' })));
    delete log.runs[0].tool.driver.name;
    expect(validateSarif(log)).toBe(false);
  });
});

describe('SARIF from the command line', () => {
  it('check --format sarif over every fixture at once validates, and each result names the capture of its frames', () => {
    const run = runCli(['check', '--fail-on', 'info', '--format', 'sarif', '-q', ...CAPTURES.map(fixturePath)]);
    expect(run.status, run.stderr).toBe(1); // the fixtures hold findings at or above info
    const log: Sarif = JSON.parse(run.stdout);
    expectValid(log, 'all fixtures');
    const artifacts: string[] = log.runs[0].artifacts.map((a: Sarif) => a.location.uri);
    expect(artifacts).toHaveLength(CAPTURES.length);
    expect(log.runs[0].results.length).toBeGreaterThan(CAPTURES.length);
    for (const res of log.runs[0].results) {
      // Frames read `file#frame` when several inputs are analysed together.
      const file = String(res.properties.frames[0]).split('#')[0]!;
      const loc = res.locations[0].physicalLocation.artifactLocation;
      expect(artifacts[loc.index], `${res.ruleId} ${res.properties.frames[0]}`).toMatch(new RegExp(`/${file.replace(/\./g, '\\.')}$`));
      expect(loc.uri).toBe(artifacts[loc.index]);
    }
  });

  it('analyze --format sarif of the sample validates', () => {
    const run = runCli(['analyze', '--format', 'sarif', fixturePath('sample.pcapng')]);
    expect(run.status).toBe(0);
    expectValid(JSON.parse(run.stdout), 'sample');
  });
});
