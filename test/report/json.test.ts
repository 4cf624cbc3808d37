import { describe, it, expect } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { JsonlWriter, writeJsonl } from '../../src/report/jsonl.js';
import type { AnalysisResult } from '../../src/model.js';
import { PASSWORD, sampleResult } from './sample-result.js';
import { SCHEMA_ID, outputAjv, outputSchema } from './output-schema.js';

const ajv = outputAjv();
const validateResult = ajv.getSchema(SCHEMA_ID)!;
const validateDef = (name: string) => ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`)!;

/** The same object with every object's keys in reverse order, as a careless builder might make it. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
}

describe('renderJson', () => {
  it('validates against docs/output.schema.json', () => {
    const doc = JSON.parse(renderJson(sampleResult()));
    expect(validateResult(doc), JSON.stringify(validateResult.errors)).toBe(true);
  });

  it('prints keys in the model’s order whatever order they were built in', () => {
    const text = renderJson(reversedKeys(sampleResult()) as AnalysisResult);
    expect(text).toBe(renderJson(sampleResult()));
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'captures', 'sessions', 'findings', 'limits']);
    expect(Object.keys(doc.findings[0])).toEqual(['rule', 'severity', 'session', 'frames', 'message', 'remediation', 'fingerprint']);
    expect(Object.keys(doc.sessions[0]).slice(0, 8)).toEqual(['id', 'client', 'server', 'start', 'end', 'ended', 'transport', 'midstream']);
    expect(Object.keys(doc.sessions[0].transcript[6])).toEqual(['frame', 'frames', 'time', 'from', 'status', 'text', 'answers', 'data']);
    expect(Object.keys(doc.sessions[0].transcript[6].data.headers)).toEqual(['from', 'subject']);
  });

  it('is two-space indented, without a final newline', () => {
    const text = renderJson(sampleResult());
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "pop3scope",')).toBe(true);
    expect(text.endsWith('\n}')).toBe(true);
  });

  it('keeps fields the model does not list yet, after the listed ones', () => {
    const r = sampleResult() as AnalysisResult & { extra?: string };
    r.extra = 'new';
    (r.findings[0] as unknown as Record<string, unknown>)['confidence'] = 'firm';
    const doc = JSON.parse(renderJson(r));
    expect(Object.keys(doc).pop()).toBe('extra');
    expect(Object.keys(doc.findings[0]).pop()).toBe('confidence');
  });

  it('never carries the raw line of an entry marked secret', () => {
    const text = renderJson(sampleResult());
    expect(text).not.toContain(PASSWORD);
    const pass = JSON.parse(text).sessions[0].transcript[3];
    expect(pass).toEqual({
      frame: 9, time: '2026-11-26T10:00:00.020000000Z', from: 'client', command: 'PASS', argument: '[redacted]',
      secret: true, length: 19, state: 'AUTHORIZATION',
    });
  });
});

describe('docs/output.schema.json', () => {
  it('rejects documents that break the contract', () => {
    const broken: [string, (d: any) => void][] = [
      ['unknown severity', (d) => (d.findings[0].severity = 'severe')],
      ['missing schemaVersion', (d) => delete d.schemaVersion],
      ['frame zero', (d) => (d.sessions[0].transcript[0].frame = 0)],
      ['unknown transport', (d) => (d.sessions[0].transport = 'ssl')],
      ['deleted as objects', (d) => (d.sessions[0].messages.deleted = [{ number: 2 }])],
      ['time not ISO', (d) => (d.sessions[0].start = 'yesterday')],
      ['rule id not kebab-case', (d) => (d.findings[0].rule = 'Cleartext_Credentials')],
      ['port out of range', (d) => (d.sessions[0].server.port = 70000)],
    ];
    for (const [why, breakIt] of broken) {
      const doc = JSON.parse(renderJson(sampleResult()));
      breakIt(doc);
      expect(validateResult(doc), why).toBe(false);
    }
  });

  it('lists every object’s properties in the order the JSON output prints them', () => {
    // Walks the schema alongside a rendered document: every object the output prints
    // must list its keys in the same relative order as the schema's `properties`.
    const defs = outputSchema['$defs'] as Record<string, any>;
    const resolve = (s: any): any => {
      if (s?.$ref) return resolve(defs[s.$ref.split('/').pop()]);
      if (s?.anyOf) return resolve(s.anyOf.find((x: any) => x.type !== 'null' && !x.$ref?.endsWith('/frame')) ?? s.anyOf[0]);
      return s;
    };
    let checked = 0;
    const walk = (value: any, schema: any) => {
      schema = resolve(schema);
      if (Array.isArray(value)) return value.forEach((v) => walk(v, schema?.items));
      if (value === null || typeof value !== 'object' || !schema?.properties) return;
      const order = Object.keys(schema.properties);
      const printed = Object.keys(value).filter((k) => order.includes(k));
      expect(printed).toEqual(order.filter((k) => k in value));
      checked++;
      for (const k of printed) walk(value[k], schema.properties[k]);
    };
    walk(JSON.parse(renderJson(sampleResult())), outputSchema);
    expect(checked).toBeGreaterThan(40);
  });
});

describe('JSON Lines', () => {
  it('writes one record per line, each starting with type and schemaVersion', () => {
    const lines: string[] = [];
    writeJsonl(sampleResult(), (l) => lines.push(l));
    // 1 capture + 3 sessions + 5 findings, no limits record when none were hit.
    expect(lines).toHaveLength(9);
    // Each call is one line: no line end inside (the caller adds one).
    for (const l of lines) expect(l).not.toMatch(/[\r\n]/);
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((r) => r.type)).toEqual(['capture', 'session', 'session', 'session', 'finding', 'finding', 'finding', 'finding', 'finding']);
    for (const r of records) expect(Object.keys(r).slice(0, 2)).toEqual(['type', 'schemaVersion']);
    expect(records.every((r) => r.schemaVersion === 1)).toBe(true);
  });

  it('writes records that match the schema’s definitions', () => {
    const lines: string[] = [];
    writeJsonl(sampleResult(), (l) => lines.push(l));
    const defFor: Record<string, string> = { capture: 'captureInfo', session: 'session', finding: 'finding' };
    for (const l of lines) {
      const { type, schemaVersion: _v, ...body } = JSON.parse(l);
      const validate = validateDef(defFor[type]!);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(lines.join('')).not.toContain(PASSWORD);
  });

  it('streams: each call writes at once', () => {
    const lines: string[] = [];
    const w = new JsonlWriter((l) => lines.push(l));
    w.finding(sampleResult().findings[1]!);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      type: 'finding', schemaVersion: 1, rule: 'cleartext-credentials', severity: 'high', session: '1', frames: [6, 9],
      message: 'password for Evil \x1b[2J\x07 \u202eFDP.exe sent in clear text', remediation: 'Require STLS before login.',
      fingerprint: '1b2c3d4e5f60718293a4b5c6d7e8f90a',
    });
    w.limits({ 'max-connections': 2 });
    expect(JSON.parse(lines[1]!)).toEqual({ type: 'limits', schemaVersion: 1, limits: { 'max-connections': 2 } });
  });
});
