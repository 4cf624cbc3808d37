/**
 * A baseline: an earlier `--format json` or `--format sarif` output of pop3scope.
 * A finding whose fingerprint the baseline holds is known (`unchanged`) and does not
 * fail `check`; the rest are `new`; baseline findings this run no longer shows are
 * `absent`. A baseline that cannot be used is an error naming why, never a silent pass:
 * a gate that quietly compared against nothing would let every known finding through
 * as new, or worse, a misread file would hide new ones.
 */
import { SEVERITIES, type BaselineComparison, type BaselineFinding, type Finding, type Severity } from '../model.js';
import { FINGERPRINT_VERSION } from './fingerprint.js';
import { FINGERPRINT_PATTERN, isObject } from './json-input.js';

export class BaselineError extends Error {
  override name = 'BaselineError';
}

function severityOf(v: unknown): Severity | null {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : null;
}

/** The findings a baseline file holds; throws BaselineError saying what is wrong with it. */
export function parseBaseline(text: string, source: string): BaselineFinding[] {
  const fail = (what: string): never => {
    throw new BaselineError(`baseline ${source}: ${what}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON (${(e as Error).message}); give an earlier \`pop3scope check --format json\` or \`--format sarif\` output`);
  }
  if (!isObject(doc)) return fail('not a pop3scope JSON or SARIF output (expected a JSON object)');
  if (Array.isArray(doc['runs']) || typeof doc['version'] === 'string') return fromSarif(doc, fail);
  if ('schemaVersion' in doc || 'findings' in doc) return fromJson(doc, fail);
  return fail('neither a pop3scope JSON output (no "schemaVersion" and "findings") nor a SARIF log (no "runs")');
}

function fromJson(doc: Record<string, unknown>, fail: (what: string) => never): BaselineFinding[] {
  const tool = isObject(doc['tool']) ? doc['tool']['name'] : undefined;
  if (tool !== 'pop3scope') fail(`written by ${tool === undefined ? 'an unknown tool' : JSON.stringify(tool)}, not pop3scope`);
  if (!Array.isArray(doc['findings'])) fail('"findings" is not a list');
  return (doc['findings'] as unknown[]).map((f, i) => {
    if (!isObject(f)) return fail(`findings[${i}] is not an object`);
    const fingerprint = f['fingerprint'];
    if (typeof fingerprint !== 'string' || !FINGERPRINT_PATTERN.test(fingerprint)) {
      return fail(`findings[${i}] has no fingerprint (written by a pop3scope older than fingerprints?); make the baseline again`);
    }
    return {
      fingerprint,
      rule: typeof f['rule'] === 'string' ? f['rule'] : '',
      message: typeof f['message'] === 'string' ? f['message'] : '',
      severity: severityOf(f['severity']),
    };
  });
}

function fromSarif(doc: Record<string, unknown>, fail: (what: string) => never): BaselineFinding[] {
  if (doc['version'] !== '2.1.0') fail(`SARIF version ${JSON.stringify(doc['version'])}, expected "2.1.0"`);
  if (!Array.isArray(doc['runs']) || doc['runs'].length === 0) fail('a SARIF log without runs');
  const out: BaselineFinding[] = [];
  (doc['runs'] as unknown[]).forEach((run, r) => {
    const driver = isObject(run) && isObject(run['tool']) && isObject(run['tool']['driver']) ? run['tool']['driver'] : undefined;
    const name = driver?.['name'];
    if (name !== 'pop3scope') fail(`runs[${r}] was written by ${typeof name === 'string' ? JSON.stringify(name) : 'an unnamed tool'}, not pop3scope`);
    const results = (run as Record<string, unknown>)['results'];
    if (results === undefined) return;
    if (!Array.isArray(results)) fail(`runs[${r}].results is not a list`);
    (results as unknown[]).forEach((res, i) => {
      if (!isObject(res)) return fail(`runs[${r}].results[${i}] is not an object`);
      // A result the earlier run reported as absent was not there: it is not part of the baseline.
      if (res['baselineState'] === 'absent') return;
      const prints = res['partialFingerprints'];
      const fingerprint = isObject(prints) ? prints[FINGERPRINT_VERSION] : undefined;
      if (typeof fingerprint !== 'string' || !FINGERPRINT_PATTERN.test(fingerprint)) {
        return fail(`runs[${r}].results[${i}] has no "${FINGERPRINT_VERSION}" fingerprint (written by a pop3scope older than fingerprints?); make the baseline again`);
      }
      const message = isObject(res['message']) ? res['message']['text'] : undefined;
      out.push({
        fingerprint,
        rule: typeof res['ruleId'] === 'string' ? res['ruleId'] : '',
        message: typeof message === 'string' ? message : '',
        severity: severityOf(isObject(res['properties']) ? res['properties']['severity'] : undefined),
      });
    });
  });
  return out;
}

/** Marks each finding `new` or `unchanged` and lists the baseline's findings this run lacks. */
export function compareWithBaseline(findings: Finding[], baseline: readonly BaselineFinding[], file: string): BaselineComparison {
  const known = new Set(baseline.map((b) => b.fingerprint));
  const seen = new Set<string>();
  let unchanged = 0;
  for (const f of findings) {
    f.baselineState = known.has(f.fingerprint) ? 'unchanged' : 'new';
    if (f.baselineState === 'unchanged') unchanged++;
    seen.add(f.fingerprint);
  }
  const absent: BaselineFinding[] = [];
  for (const b of baseline) {
    if (seen.has(b.fingerprint)) continue;
    seen.add(b.fingerprint);
    absent.push(b);
  }
  return { file, new: findings.length - unchanged, unchanged, absent };
}
