/** `--format json`: the whole AnalysisResult as one pretty document, fields in contract order. */
import type { AnalysisResult } from '../model.js';
import { ANALYSIS_RESULT, inContractOrder } from './contract-order.js';

/** Two-space indented JSON, without a final newline (the caller ends the output). */
export function renderJson(result: AnalysisResult): string {
  return JSON.stringify(inContractOrder(result, ANALYSIS_RESULT), null, 2);
}
