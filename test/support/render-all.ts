/** Every library renderer the command line uses, by name: for tests that search all outputs. */
import type { AnalysisResult } from '../../src/model.js';
import { RULES } from '../../src/rules/registry.js';
import { renderAnalysis } from '../../src/report/analysis-text.js';
import { renderTranscript } from '../../src/report/transcript-text.js';
import { renderSessionsTable } from '../../src/report/sessions-table.js';
import { renderCheckSummary } from '../../src/report/check-summary.js';
import { renderJson } from '../../src/report/json.js';
import { writeJsonl } from '../../src/report/jsonl.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderJunit } from '../../src/report/junit.js';
import { writeHtml } from '../../src/report/html.js';
import { makeColors } from '../../src/report/colors.js';

const colors = makeColors({ color: false, stream: {} });

export function renderAll(r: AnalysisResult): Record<string, string> {
  const jsonl: string[] = [];
  writeJsonl(r, (line) => jsonl.push(line));
  const html: string[] = [];
  writeHtml(r, (piece) => html.push(piece));
  return {
    'analyze text': renderAnalysis(r, { colors }),
    'analyze text verbose': renderAnalysis(r, { colors, verbose: true }),
    transcript: renderTranscript(r, { colors }),
    'transcript --explain': renderTranscript(r, { colors, explain: true }),
    'transcript --bodies': renderTranscript(r, { colors, bodies: true }),
    sessions: renderSessionsTable(r, { colors }),
    'check text': renderCheckSummary(r, 'info', { colors }),
    json: renderJson(r),
    jsonl: jsonl.join('\n'),
    sarif: JSON.stringify(renderSarif(r, { rules: RULES, toolVersion: '0.0.0' })),
    junit: renderJunit(r, { rules: RULES, failOn: 'info' }),
    html: html.join(''),
  };
}
