import { describe, it, expect } from 'vitest';
import { artifactUri, renderSarif, type SarifRuleSource } from '../../src/report/sarif.js';
import type { Finding } from '../../src/model.js';
import { PASSWORD, sampleResult } from './sample-result.js';
import { validateSarif } from '../support/sarif-schema.js';

const RULES: SarifRuleSource[] = [
  {
    id: 'cleartext-credentials', title: 'Credentials sent without encryption', defaultSeverity: 'high',
    rationale: 'Anyone on the path can read a password sent with USER/PASS on a plain connection.',
    remediation: 'Require STLS or port 995 before login.', references: ['https://www.rfc-editor.org/rfc/rfc2595#section-4', 'RFC 8314'],
  },
  {
    id: 'weak-tls', title: 'Old TLS version', defaultSeverity: 'medium', rationale: 'TLS 1.0 and 1.1 are deprecated (RFC 8996).',
    remediation: 'Disable TLS before 1.2.', references: [],
  },
];

const sarifOf = (opts: Partial<Parameters<typeof renderSarif>[1]> = {}) =>
  renderSarif(sampleResult(), { rules: RULES, toolVersion: '0.1.0', ...opts }) as any;

describe('renderSarif', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const log = sarifOf();
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 1)).toBe(true);
    // Through JSON as a file would carry it, too.
    expect(validateSarif(JSON.parse(JSON.stringify(log)))).toBe(true);
  });

  it('the schema check can fail', () => {
    const log = sarifOf();
    log.runs[0].results[0].level = 'fatal';
    expect(validateSarif(log)).toBe(false);
  });

  it('describes the tool and its rules', () => {
    const log = sarifOf();
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('pop3scope');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules[0]).toMatchObject({
      id: 'cleartext-credentials',
      name: 'CleartextCredentials',
      shortDescription: { text: 'Credentials sent without encryption' },
      fullDescription: { text: 'Anyone on the path can read a password sent with USER/PASS on a plain connection.' },
      help: { text: 'Require STLS or port 995 before login.' },
      helpUri: 'https://www.rfc-editor.org/rfc/rfc2595#section-4',
      defaultConfiguration: { level: 'error' },
      properties: { severity: 'high' },
    });
    expect(driver.rules[0].help.markdown).toContain('- RFC 8314');
    expect(driver.rules[0].properties.tags).toContain('security');
    expect(driver.rules[1].defaultConfiguration).toEqual({ level: 'warning' });
    expect(driver.rules[1].helpUri).toBeUndefined();
  });

  it('maps severities to levels: critical/high error, medium warning, low/info note', () => {
    const cases: [Finding['severity'], string][] = [['critical', 'error'], ['high', 'error'], ['medium', 'warning'], ['low', 'note'], ['info', 'note']];
    for (const [severity, level] of cases) {
      const r = sampleResult();
      r.findings = [{ ...r.findings[1]!, severity }];
      const log = renderSarif(r, { rules: RULES, toolVersion: '0.1.0' }) as any;
      expect(log.runs[0].results[0].level, severity).toBe(level);
      expect(log.runs[0].results[0].properties.severity).toBe(severity);
    }
  });

  it('gives every result a valid ruleIndex, adding a descriptor for rules it was not told about', () => {
    const log = sarifOf();
    const { rules } = log.runs[0].tool.driver;
    for (const res of log.runs[0].results) expect(rules[res.ruleIndex].id).toBe(res.ruleId);
    expect(rules.map((r: any) => r.id)).toEqual(['cleartext-credentials', 'weak-tls', 'deletion-not-committed', 'capabilities-not-checked']);
  });

  it('locates a finding in its capture and session', () => {
    const res = sarifOf().runs[0].results[1];
    expect(res).toMatchObject({
      ruleId: 'cleartext-credentials',
      level: 'error',
      message: { text: 'password for Evil \x1b[2J\x07 \u202eFDP.exe sent in clear text' },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'fixtures/sample.pcapng', index: 0 } },
        logicalLocations: [{ name: 'session 1 (127.0.0.1:40248 → 127.0.0.1:110)' }],
      }],
      properties: { frames: [6, 9], session: '1', severity: 'high' },
    });
    // A finding of no session has no logical location.
    expect(sarifOf().runs[0].results[4].locations[0].logicalLocations).toBeUndefined();
  });

  it("carries each finding's fingerprint under the versioned key pop3scope/v1", () => {
    const results = (renderSarif(sampleResult(), { rules: RULES, toolVersion: '0.1.0' }) as any).runs[0].results;
    expect(results.map((r: any) => r.partialFingerprints)).toEqual(
      sampleResult().findings.map((f) => ({ 'pop3scope/v1': f.fingerprint })));
  });

  it('lists each capture as an artifact and reports its warnings', () => {
    const run = sarifOf().runs[0];
    expect(run.artifacts).toHaveLength(1);
    expect(run.artifacts[0].location).toEqual({ uri: 'fixtures/sample.pcapng' });
    expect(run.artifacts[0].length).toBe(24_000);
    expect(run.invocations[0].executionSuccessful).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications[0]).toMatchObject({
      level: 'warning', message: { text: 'record cut short' }, descriptor: { id: 'truncated-record' },
    });
    expect(sarifOf({ executionSuccessful: false }).runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('with several inputs, finds a finding’s capture from its `file#frame` frames', () => {
    const r = sampleResult();
    r.captures.push({ ...r.captures[0]!, path: 'b.pcap', warnings: [] });
    r.findings = [{ ...r.findings[1]!, frames: ['b.pcap#7', 'b.pcap#9'] }];
    const log = renderSarif(r, { rules: RULES, toolVersion: '0.1.0' }) as any;
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'b.pcap', index: 1 });
    expect(log.runs[0].artifacts).toHaveLength(2);
    expect(validateSarif(log)).toBe(true);
  });

  it('is valid with nothing found', () => {
    const r = sampleResult();
    r.findings = [];
    r.sessions = [];
    const log = renderSarif(r, { rules: [], toolVersion: '0.1.0' }) as any;
    expect(log.runs[0].results).toEqual([]);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  });

  it('holds no secret from the transcript', () => {
    expect(JSON.stringify(sarifOf())).not.toContain(PASSWORD);
  });
});

describe('renderSarif with the project’s own rules', () => {
  it('validates, with a full descriptor for every registered rule', async () => {
    const { RULES: registered } = await import('../../src/rules/registry.js');
    const log = renderSarif(sampleResult(), { rules: registered, toolVersion: '0.1.0' }) as any;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 1)).toBe(true);
    const descriptors = log.runs[0].tool.driver.rules;
    expect(descriptors.length).toBeGreaterThanOrEqual(registered.length);
    for (const d of descriptors.slice(0, registered.length)) {
      expect(d.fullDescription.text.length, d.id).toBeGreaterThan(0);
      expect(d.help.text.length, d.id).toBeGreaterThan(0);
    }
  });
});

describe('artifactUri', () => {
  it('keeps relative paths relative and percent-encodes what URIs reserve', () => {
    expect(artifactUri('fixtures/sample.pcapng')).toBe('fixtures/sample.pcapng');
    expect(artifactUri('caps/a b#1?.pcap')).toBe('caps/a%20b%231%3F.pcap');
    expect(artifactUri('caps\\win.pcap')).toBe('caps/win.pcap');
  });

  it('makes absolute paths file URIs', () => {
    expect(artifactUri('/tmp/x.pcap')).toBe('file:///tmp/x.pcap');
    expect(artifactUri('C:\\caps\\x.pcap')).toBe('file:///C:/caps/x.pcap');
  });
});
