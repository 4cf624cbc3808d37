/**
 * `check` as a CI gate teams can live with: a baseline of known findings, suppressions
 * in the policy file, and the failures a gate must never swallow (a baseline that cannot
 * be read, or one another tool wrote). Runs the built command line on the three real
 * recordings of one scenario (fixtures/record.sh, baseline-run1..3).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { validateSarif } from '../support/sarif-schema.js';
import { SCHEMA_ID, outputAjv } from '../report/output-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'pop3scope-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (n: number) => `fixtures/captures/baseline-run${n}.pcap`;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

// The baselines, written once by the tool as a team would: check --format sarif / json on run 1.
const sarif1 = join(dir, 'run1.sarif');
const json1 = join(dir, 'run1.json');
runCli(['check', run(1), '--format', 'sarif', '-o', sarif1, '-q']);
runCli(['check', run(1), '--format', 'json', '-o', json1, '-q']);

describe('check --baseline', () => {
  it('run 2 against run 1 (SARIF): exit 0, every finding known', () => {
    const r = runCli(['check', run(2), '--baseline', sarif1, '--format', 'sarif', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout).runs[0].results as { baselineState: string }[];
    expect(results.length).toBe(JSON.parse(readFileSync(sarif1, 'utf8')).runs[0].results.length);
    expect(results.map((x) => x.baselineState)).toEqual(results.map(() => 'unchanged'));
  });

  it('run 2 against run 1 (JSON), text: PASS with each finding at the threshold marked known', () => {
    const r = runCli(['check', run(2), '--baseline', json1, '--fail-on', 'medium']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS: no new findings at or above medium/);
    expect(r.stdout.split('\n').filter((l) => /^ {2}(high|medium) +known +[a-z-]+ {2}/.test(l))).toHaveLength(5);
    expect(r.stdout).toContain('5 known, 0 new, 0 absent');
  });

  it('run 3 against run 1: exit 1 with one new finding, the rest known', () => {
    const r = runCli(['check', run(3), '--baseline', sarif1, '--format', 'sarif', '-q']);
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout).runs[0].results as { baselineState: string; ruleId: string }[];
    expect(results.filter((x) => x.baselineState === 'new').map((x) => x.ruleId)).toEqual(['cleartext-credentials']);
    expect(results.filter((x) => x.baselineState !== 'new').every((x) => x.baselineState === 'unchanged')).toBe(true);
    const text = runCli(['check', run(3), '--baseline', sarif1]);
    expect(text.stdout).toMatch(/^FAIL: 1 new finding at or above high \(1 high\)/);
    expect(text.stdout).toMatch(/^ {2}high +new +cleartext-credentials {2}.*user "carol"/m);
  });

  it('a baseline finding this run lacks is reported absent', () => {
    const sarif3 = join(dir, 'run3.sarif');
    runCli(['check', run(3), '--format', 'sarif', '-o', sarif3, '-q']);
    const r = runCli(['check', run(1), '--baseline', sarif3, '--format', 'json', '-q']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.baseline.absent.map((a: { rule: string }) => a.rule)).toEqual(['cleartext-credentials']);
    expect(doc.baseline.absent[0].message).toMatch(/"carol"/);
    const s = JSON.parse(runCli(['check', run(1), '--baseline', sarif3, '--format', 'sarif', '-q']).stdout).runs[0].results;
    expect(s.filter((x: { baselineState: string }) => x.baselineState === 'absent')).toHaveLength(1);
  });

  it('an unreadable baseline is exit 2 with the reason, never a silent pass', () => {
    const missing = runCli(['check', run(1), '--baseline', join(dir, 'nope.sarif')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read baseline .*nope\.sarif: ENOENT/);
    const garbage = runCli(['check', run(1), '--baseline', file('garbage.sarif', '{"runs": [')]);
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toMatch(/baseline .*garbage\.sarif: not JSON/);
    const neither = runCli(['check', run(1), '--baseline', file('list.json', '[1, 2]')]);
    expect(neither.status).toBe(2);
    expect(neither.stdout).toBe('');
  });

  it('a baseline another tool wrote is exit 2 naming the tool', () => {
    const eslint = file('eslint.sarif', JSON.stringify({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'ESLint' } }, results: [{ ruleId: 'no-undef', message: { text: 'x' }, partialFingerprints: { 'pop3scope/v1': '0'.repeat(32) } }] }],
    }));
    const r = runCli(['check', run(1), '--baseline', eslint]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/written by "ESLint", not pop3scope/);
    const other = runCli(['check', run(1), '--baseline', file('other.json', JSON.stringify({ schemaVersion: 1, tool: { name: 'other' }, findings: [] }))]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/written by "other", not pop3scope/);
  });

  it('a baseline from before fingerprints is refused, not read as empty', () => {
    const old = JSON.parse(readFileSync(json1, 'utf8'));
    for (const f of old.findings) delete f.fingerprint;
    const r = runCli(['check', run(1), '--baseline', file('old.json', JSON.stringify(old))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/findings\[0\] has no fingerprint/);
  });
});

describe('the outputs stay valid with baselines and suppressions', () => {
  it('JSON against docs/output.schema.json, SARIF against the SARIF 2.1.0 schema', () => {
    const p = file('mixed.json', JSON.stringify({ suppressions: [
      { rule: 'plaintext-port', server: '127.0.0.1:110', justification: 'old port, closed next quarter', expires: '2999-01-01' },
      { rule: 'weak-auth-mechanism', user: 'bob', justification: 'expired one', expires: '2001-01-01' },
    ] }));
    const sarif3 = join(dir, 'run3-for-absent.sarif');
    runCli(['check', run(3), '--format', 'sarif', '-o', sarif3, '-q']);
    const validateJson = outputAjv().getSchema(SCHEMA_ID)!;
    const json = JSON.parse(runCli(['check', run(1), '--baseline', sarif3, '--policy', p, '--format', 'json', '-q']).stdout);
    expect(json.baseline.absent).toHaveLength(1);
    expect(json.policyWarnings).toHaveLength(1);
    expect(validateJson(json), JSON.stringify(validateJson.errors)).toBe(true);
    const log = JSON.parse(runCli(['check', run(1), '--baseline', sarif3, '--policy', p, '--format', 'sarif', '-q']).stdout);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(log.runs[0].invocations[0].toolConfigurationNotifications[0].message.text).toMatch(/expired on 2001-01-01/);
  });
});

describe('suppressions in the policy file', () => {
  const policy = (name: string, suppressions: unknown[]) => file(name, JSON.stringify({ suppressions }));
  const carol = { rule: 'cleartext-credentials', user: 'carol', justification: 'test account, password rotated daily' };

  it('without expiry: the finding is marked suppressed and does not fail the check', () => {
    const p = policy('plain.json', [carol]);
    const text = runCli(['check', run(3), '--baseline', sarif1, '--policy', p]);
    expect(text.status, text.stdout).toBe(0);
    expect(text.stdout).toMatch(/^ {2}high +suppressed +cleartext-credentials {2}.*"carol".*\(test account, password rotated daily\)$/m);
    expect(text.stdout).toContain('1 suppressed by the policy');
    const json = JSON.parse(runCli(['check', run(3), '--policy', p, '--format', 'json', '-q']).stdout);
    const marked = json.findings.filter((f: { suppressed?: unknown }) => f.suppressed !== undefined);
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatchObject({ rule: 'cleartext-credentials', details: { user: 'carol' }, suppressed: { justification: carol.justification } });
    const results = JSON.parse(runCli(['check', run(3), '--policy', p, '--format', 'sarif', '-q']).stdout).runs[0].results;
    const sup = results.filter((x: { suppressions?: unknown }) => x.suppressions !== undefined);
    expect(sup).toHaveLength(1);
    expect(sup[0].suppressions).toEqual([{ kind: 'external', justification: carol.justification }]);
    // alice's clear-text password is not carol's: still a failure without the baseline.
    expect(runCli(['check', run(3), '--policy', p, '-q']).status).toBe(1);
  });

  it('with an expiry date still ahead: works the same, and keeps the date', () => {
    const p = policy('future.json', [{ ...carol, expires: '2999-12-31' }]);
    const r = runCli(['check', run(3), '--baseline', sarif1, '--policy', p, '--format', 'json', '-q']);
    expect(r.status).toBe(0);
    const f = JSON.parse(r.stdout).findings.find((x: { suppressed?: unknown }) => x.suppressed !== undefined);
    expect(f.suppressed).toEqual({ justification: carol.justification, expires: '2999-12-31' });
  });

  it('expired: stops working and says so', () => {
    const p = policy('expired.json', [{ ...carol, expires: '2020-01-31' }]);
    const r = runCli(['check', run(3), '--baseline', sarif1, '--policy', p]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/warning: policy .*expired\.json: suppression 1 \(cleartext-credentials, user "carol"\) expired on 2020-01-31 and no longer applies/);
    expect(r.stdout).not.toMatch(/suppressed +cleartext/);
    const json = JSON.parse(runCli(['check', run(3), '--policy', p, '--format', 'json', '-q']).stdout);
    expect(json.findings.some((f: { suppressed?: unknown }) => f.suppressed !== undefined)).toBe(false);
    expect(json.policyWarnings).toHaveLength(1);
  });

  it('by server and by fingerprint', () => {
    const fp = JSON.parse(readFileSync(json1, 'utf8')).findings.find((f: { rule: string }) => f.rule === 'cleartext-credentials').fingerprint;
    const p = policy('by.json', [
      { rule: 'cleartext-credentials', fingerprint: fp, justification: 'alice is the test robot' },
      { rule: 'cleartext-credentials', server: '127.0.0.1:110', user: 'carol', justification: 'carol too' },
    ]);
    expect(runCli(['check', run(3), '--policy', p, '-q']).status).toBe(0);
    const wrongPort = policy('port.json', [{ rule: 'cleartext-credentials', server: '127.0.0.1:995', justification: 'not this one' }]);
    expect(runCli(['check', run(1), '--policy', wrongPort, '-q']).status).toBe(1);
  });

  it('a suppression without a justification, or naming nothing, is a usage error', () => {
    const none = runCli(['check', run(1), '--policy', policy('nojust.json', [{ rule: 'cleartext-credentials', user: 'alice' }])]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/suppressions\[0\] needs a "justification"/);
    const all = runCli(['check', run(1), '--policy', policy('all.json', [{ rule: 'cleartext-credentials', justification: 'x' }])]);
    expect(all.status).toBe(2);
    expect(all.stderr).toMatch(/at least one of "server", "user", "fingerprint"/);
    const date = runCli(['check', run(1), '--policy', policy('date.json', [{ ...carol, expires: '2026-02-30' }])]);
    expect(date.status).toBe(2);
    expect(date.stderr).toMatch(/expires must be a date YYYY-MM-DD/);
  });
});
