/**
 * Runs a synthetic capture, built in memory, through the whole pipeline
 * (`analyze()`: capture reader, decoder, assembler, POP3 dissector) from a file,
 * as a user would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, type AnalyzeOptions } from '../../src/analyze.js';
import type { AnalysisResult, TranscriptEntry } from '../../src/model.js';

export async function analyzeBytes(bytes: Uint8Array, options: AnalyzeOptions = {}, name = 'synthetic.pcap'): Promise<AnalysisResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pop3scope-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return await analyze(path, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A transcript entry as the protocol line it stands for (`USER alice`, `+OK 2 784`). */
export function lineOf(e: TranscriptEntry): string {
  if (e.from === 'client') {
    if (e.command === undefined) return e.argument ?? e.raw ?? '';
    return e.argument !== undefined ? `${e.command} ${e.argument}` : e.command;
  }
  if (e.status === undefined) return e.raw ?? '';
  return [e.status, e.code !== undefined ? `[${e.code}]` : '', e.text ?? ''].filter((x) => x !== '').join(' ');
}
