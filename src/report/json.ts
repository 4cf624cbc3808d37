/** `--format json`: the whole AnalysisResult as one pretty document, fields in contract order. */
import type { AnalysisResult } from '../model.js';
import { ANALYSIS_RESULT, inContractOrder, type ObjectShape } from './contract-order.js';

/** Two-space indented JSON, without a final newline (the caller ends the output). */
export function renderJson(result: AnalysisResult): string {
  return JSON.stringify(inContractOrder(result, ANALYSIS_RESULT), null, 2);
}

/**
 * The same text as `renderJson`, written piece by piece: each session and finding is
 * ordered and stringified on its own, so a capture with thousands of sessions never
 * holds a second copy of them all, nor one string of the whole document.
 */
export function writeJson(result: AnalysisResult, write: (s: string) => void): void {
  const shape = ANALYSIS_RESULT as ObjectShape;
  const source = result as unknown as Record<string, unknown>;
  const keys = [...Object.keys(shape.fields), ...Object.keys(source).filter((k) => !(k in shape.fields))]
    .filter((k) => source[k] !== undefined);
  write('{');
  keys.forEach((key, i) => {
    write(`${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
    const value = source[key];
    const child = shape.fields[key] ?? null;
    if (Array.isArray(value) && value.length > 0 && child !== null && child.kind === 'array') {
      write('[');
      value.forEach((item, j) => {
        write(`${j === 0 ? '' : ','}\n    ${indent(JSON.stringify(inContractOrder(item, child.items), null, 2), '    ')}`);
      });
      write('\n  ]');
    } else {
      write(indent(JSON.stringify(inContractOrder(value, child), null, 2), '  '));
    }
  });
  write('\n}');
}

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}
