/**
 * The library face of pop3scope: the same analysis the command line runs.
 *
 *   import { analyze } from 'pop3scope';
 *   const result = await analyze('capture.pcapng');
 *   // result is what `pop3scope analyze --format json` prints
 */
export * from './model.js';
export { analyze, DEFAULT_POP3_PORTS, DEFAULT_POP3S_PORTS } from './analyze.js';
export type { AnalyzeOptions, AnalysisLimits, Input } from './analyze.js';
export { followConnection } from './follow.js';
export type { FollowChunk, FollowResult } from './follow.js';
export { RULES } from './rules/registry.js';
export type { Rule } from './rules/rule.js';
export { runRules, parsePolicy, severityAtLeast } from './rules/policy.js';
export type { Policy } from './rules/policy.js';
export type { Suppression } from './rules/suppressions.js';
export { FINGERPRINT_VERSION } from './rules/fingerprint.js';
export { parseBaseline, compareWithBaseline, BaselineError } from './rules/baseline.js';
export { renderSarif } from './report/sarif.js';
export { extract, Extraction } from './extract/extract.js';
export type { ExtractOptions } from './extract/extract.js';
export type { ExtractionIndex, ExtractedMessage, ExtractedAttachment } from './extract/extraction-index.js';
export type { ExtractLimits } from './extract/extract-limits.js';
