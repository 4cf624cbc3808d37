/**
 * What must hold for every input, however broken: analyze() settles (never
 * throws) within a time bound proportional to the input's size, the result is
 * valid against docs/output.schema.json and renders as valid SARIF 2.1.0, and
 * every packet is accounted for.
 */
import { Readable } from 'node:stream';
import { validateSarif } from '../support/sarif-schema.js';
import { analyze, type AnalyzeOptions } from '../../src/analyze.js';
import type { AnalysisResult, CaptureInfo } from '../../src/model.js';
import { renderSarif } from '../../src/report/sarif.js';
import { RULES } from '../../src/rules/registry.js';
import { TOOL_VERSION } from '../../src/version.js';
import { outputAjv, SCHEMA_ID } from '../report/output-schema.js';

const ajv = outputAjv();
export const validateOutput = ajv.getSchema(SCHEMA_ID)!;
export { validateSarif };

/** Generous on a loaded 2-core machine: a fixed start-up allowance plus 2 ms per KiB of input. */
export function timeBoundMs(bytes: number): number {
  return 2000 + (2 * bytes) / 1024;
}

/** Skip reasons that count something other than a packet (datagrams given up, pcapng non-packet blocks). */
function countsPackets(reason: string): boolean {
  return !reason.endsWith('-fragments-incomplete') && !reason.startsWith('pcapng-block:');
}

/** `packets` = segments that reached TCP + packets the decoder skipped, once each. */
export function accountingProblem(c: CaptureInfo): string | null {
  const skipped = Object.entries(c.skipped).filter(([r]) => countsPackets(r)).reduce((n, [, v]) => n + v, 0);
  if (c.segments === undefined) return `${c.path}: no segments count`;
  if (c.packets !== c.segments + skipped) {
    return `${c.path}: ${c.packets} packets but ${c.segments} segments + ${skipped} skipped (${JSON.stringify(c.skipped)})`;
  }
  return null;
}

/** Every problem with one result, as readable lines (empty when all invariants hold). */
export function resultProblems(result: AnalysisResult): string[] {
  const problems: string[] = [];
  // Round-trip through JSON first: what is validated is what --format json prints.
  const doc = JSON.parse(JSON.stringify(result));
  if (!validateOutput(doc)) problems.push(`schema: ${ajv.errorsText(validateOutput.errors)}`);
  const sarif = JSON.parse(JSON.stringify(renderSarif(result, { rules: RULES, toolVersion: TOOL_VERSION })));
  if (!validateSarif(sarif)) problems.push(`sarif: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`);
  for (const c of result.captures) {
    const p = accountingProblem(c);
    if (p) problems.push(`accounting: ${p}`);
  }
  return problems;
}

export interface Checked {
  result: AnalysisResult | null;
  /** What went wrong: a thrown error, a time-out, or broken invariants. */
  problems: string[];
  ms: number;
}

/** Runs analyze() on bytes as a stream and checks every invariant. */
export async function analyzeAndCheck(bytes: Uint8Array, options: AnalyzeOptions = {}): Promise<Checked> {
  const started = performance.now();
  let result: AnalysisResult | null = null;
  const problems: string[] = [];
  try {
    result = await analyze(Readable.from([Buffer.from(bytes)]), options);
  } catch (e) {
    const err = e as Error;
    // Unreadable input is reported by a CaptureInputError, which is an answer, not a crash.
    if (err.name !== 'CaptureInputError') problems.push(`threw: ${err.stack ?? String(e)}`);
  }
  const ms = performance.now() - started;
  if (ms > timeBoundMs(bytes.length)) problems.push(`took ${ms.toFixed(0)} ms for ${bytes.length} bytes`);
  if (result) problems.push(...resultProblems(result));
  return { result, problems, ms };
}
