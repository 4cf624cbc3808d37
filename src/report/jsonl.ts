/**
 * `--format jsonl`: one JSON record per line, written as the analysis goes, so a
 * consumer sees each session when it closes. Every record starts with `type`
 * (`capture`, `session`, `finding`, `limits`) and `schemaVersion`, then the same
 * fields, in the same order, as the object of that kind in the JSON document.
 */
import { SCHEMA_VERSION, type AnalysisResult, type CaptureInfo, type Finding, type SessionOut } from '../model.js';
import { CAPTURE_INFO, FINDING, SESSION, inContractOrder, type Shape } from './contract-order.js';

export class JsonlWriter {
  /** `write` receives one record at a time, without its line end (the caller adds `\n`). */
  constructor(private readonly write: (line: string) => void) {}

  capture(c: CaptureInfo): void {
    this.record('capture', c, CAPTURE_INFO);
  }

  session(s: SessionOut): void {
    this.record('session', s, SESSION);
  }

  finding(f: Finding): void {
    this.record('finding', f, FINDING);
  }

  /** Resource caps hit during the analysis (the document's `limits`). */
  limits(limits: Record<string, number>): void {
    this.record('limits', { limits }, null);
  }

  private record(type: string, value: object, shape: Shape): void {
    const body = inContractOrder(value, shape) as Record<string, unknown>;
    this.write(JSON.stringify({ type, schemaVersion: SCHEMA_VERSION, ...body }));
  }
}

/** The whole result as JSON Lines: captures, then sessions, then findings, then limits when any were hit. */
export function writeJsonl(result: AnalysisResult, write: (line: string) => void): void {
  const w = new JsonlWriter(write);
  for (const c of result.captures) w.capture(c);
  for (const s of result.sessions) w.session(s);
  for (const f of result.findings) w.finding(f);
  if (Object.keys(result.limits).length > 0) w.limits(result.limits);
}
