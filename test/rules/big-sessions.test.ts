/**
 * Sessions far larger than the defaults allow (`--limit transcript-entries=200000`):
 * rules and text reports must work over them, never spreading a list into a call
 * (`Math.max(...list)` throws RangeError past ~120,000 elements).
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, SessionOut } from '../../src/model.js';
import { makeColors } from '../../src/report/colors.js';
import { renderSessionsTable } from '../../src/report/sessions-table.js';
import { renderTranscript } from '../../src/report/transcript-text.js';
import { runRules } from '../../src/rules/policy.js';
import { RULES } from '../../src/rules/registry.js';
import { sampleResult } from '../report/sample-result.js';
import { client, server, session } from './session-factory.js';

const MANY = 200_000;

function only(ruleId: string, sessions: SessionOut[]) {
  const rules = Object.fromEntries(RULES.map((r) => [r.id, { enabled: r.id === ruleId }]));
  return runRules(sessions, { rules });
}

describe('sessions with 200,000 entries', () => {
  it('overlong-command reports the longest of 200,000 over-long lines', () => {
    const transcript = Array.from({ length: MANY }, (_, i) => client('NOOP', 'x'.repeat(300 + (i === 12345 ? 100 : 0))));
    const [f] = only('overlong-command', [session({ transcript })]);
    // 'NOOP ' + 400 x's + CRLF: the one line made longer than the others.
    expect(f!.details).toEqual({ longest: 5 + 400 + 2, lines: MANY });
  });

  it('overlong-response reports the longest of 200,000 over-long lines', () => {
    const transcript = Array.from({ length: MANY }, (_, i) => server('+OK', 'y'.repeat(600 + (i === 777 ? 50 : 0))));
    const [f] = only('overlong-response', [session({ transcript })]);
    expect(f!.details).toEqual({ longest: 4 + 650 + 2, lines: MANY });
  });

  it('overlong-argument copes with one line of 200,000 arguments', () => {
    const argument = `${'a '.repeat(MANY)}${'b'.repeat(50)}`;
    const [f] = only('overlong-argument', [session({ transcript: [client('XTND', argument)] })]);
    expect(f!.message).toContain('with 50');
  });

  it('the text transcript and the sessions table render them', () => {
    const transcript = Array.from({ length: MANY }, () => client('NOOP'));
    const base = sampleResult();
    const result: AnalysisResult = { ...base, sessions: [session({ transcript })] };
    const colors = makeColors({ color: false });
    const text = renderTranscript(result, { colors });
    expect(text.split('\n').filter((l) => l.includes('NOOP'))).toHaveLength(MANY);
    const many: AnalysisResult = { ...base, sessions: Array.from({ length: MANY }, (_, i) => session({ id: String(i + 1) })) };
    expect(renderSessionsTable(many, { colors }).split('\n').length).toBeGreaterThan(MANY);
  });
});
