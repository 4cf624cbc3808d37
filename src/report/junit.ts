/**
 * `check --format junit`: JUnit XML for CI systems that show test reports (GitLab,
 * Jenkins, Azure DevOps, CircleCI). One <testsuite> per capture, one <testcase> per
 * rule: it passes when the rule found nothing that fails the gate (at or above
 * --fail-on, not suppressed, not known from a baseline), and fails with one <failure>
 * per such finding. Findings that do not fail the gate but reach the threshold (known,
 * suppressed) are listed in the test case's <system-out>. Valid against the Jenkins
 * JUnit XSD (test/support/junit/, tested with xmllint).
 */
import type { AnalysisResult, Finding, Severity } from '../model.js';
import { failsGate, severityAtLeast } from '../rules/policy.js';
import { captureIndex } from './sarif.js';
import { framesLabel } from './labels.js';
import { xmlAttribute as attr, xmlText as text } from './xml-text.js';

export interface JunitOptions {
  /** Every rule, in the order the test cases are listed. */
  rules: readonly { id: string }[];
  failOn: Severity;
  /** Rules the policy switched off: reported as skipped. */
  disabled?: ReadonlySet<string>;
}

interface Case {
  id: string;
  failing: Finding[];
  passing: Finding[];
}

export function renderJunit(result: AnalysisResult, opts: JunitOptions): string {
  const byCapture = result.captures.map(() => new Map<string, Finding[]>());
  for (const f of result.findings) {
    const perRule = byCapture[captureIndex(f, result)] ?? byCapture[0];
    const list = perRule?.get(f.rule);
    if (list) list.push(f);
    else perRule?.set(f.rule, [f]);
  }
  const suites = result.captures.map((c, i) => {
    const found = byCapture[i]!;
    const rules = [...opts.rules, ...[...found.keys()].filter((id) => !opts.rules.some((r) => r.id === id)).map((id) => ({ id }))];
    const cases: Case[] = rules.map((r) => {
      const list = found.get(r.id) ?? [];
      return {
        id: r.id,
        failing: list.filter((f) => failsGate(f, opts.failOn)),
        passing: list.filter((f) => !failsGate(f, opts.failOn) && severityAtLeast(f.severity, opts.failOn)),
      };
    });
    return { path: c.path, cases };
  });
  const failures = (cases: Case[]) => cases.reduce((n, c) => n + c.failing.length, 0);
  const skipped = (cases: Case[]) => cases.filter((c) => opts.disabled?.has(c.id) === true).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pop3scope" tests="${all.length}" failures="${failures(all)}" errors="0" disabled="${skipped(all)}">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${attr(suite.path)}" tests="${suite.cases.length}" failures="${failures(suite.cases)}" errors="0" skipped="${skipped(suite.cases)}">`,
      '    <properties>',
      `      <property name="fail-on" value="${attr(opts.failOn)}"/>`,
      ...(result.baseline === undefined ? [] : [`      <property name="baseline" value="${attr(result.baseline.file)}"/>`]),
      '    </properties>',
    );
    for (const c of suite.cases) for (const line of testCase(c, opts)) lines.push(line);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

function testCase(c: Case, opts: JunitOptions): string[] {
  const open = `    <testcase name="${attr(c.id)}" classname="pop3scope">`;
  const body: string[] = [];
  if (opts.disabled?.has(c.id) === true) body.push(`      <skipped>${text(`${c.id} is disabled by the policy`)}</skipped>`);
  for (const f of c.failing) {
    body.push(`      <failure type="${attr(f.severity)}" message="${attr(f.message)}">${text(failureText(f))}</failure>`);
  }
  if (c.passing.length > 0) {
    const notes = c.passing.map((f) => f.suppressed !== undefined
      ? `suppressed (${f.suppressed.justification}): ${f.severity} ${f.message}`
      : `known (in the baseline): ${f.severity} ${f.message}`);
    body.push(`      <system-out>${text(notes.join('\n'))}</system-out>`);
  }
  if (body.length === 0) return [`    <testcase name="${attr(c.id)}" classname="pop3scope"/>`];
  return [open, ...body, '    </testcase>'];
}

/** What a CI page shows under the failure: where to look and what to do. */
function failureText(f: Finding): string {
  const where = [f.session === null ? null : `session ${f.session}`, f.frames.length === 0 ? null : `frames ${framesLabel(f.frames)}`]
    .filter((x) => x !== null).join(', ');
  return [`${f.severity} ${f.rule}: ${f.message}`, where, `fingerprint ${f.fingerprint}`, `fix: ${f.remediation}`]
    .filter((x) => x !== '').join('\n');
}
