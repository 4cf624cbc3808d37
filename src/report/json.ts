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
        write(`${j === 0 ? '' : ','}\n    ${nested(inContractOrder(item, child.items), 2)}`);
      });
      write('\n  ]');
    } else {
      write(nested(inContractOrder(value, child), 1));
    }
  });
  write('\n}');
}

/**
 * `value` as JSON.stringify(…, null, 2) prints it `depth` levels down: wrapped in that
 * many arrays so the indentation comes from JSON.stringify itself (a replace of every
 * line break afterwards cost more than the stringify), then unwrapped.
 */
function nested(value: unknown, depth: number): string {
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Each level adds "[\n" + 2·level spaces before and "\n" + 2·(level-1) spaces + "]" after.
  let head = 0;
  let tail = 0;
  for (let level = 1; level <= depth; level++) {
    head += 2 + 2 * level;
    tail += 2 + 2 * (level - 1);
  }
  return text.slice(head, text.length - tail);
}
