/** The text views, each in its own file; this is where the command line finds them. */
export { renderAnalysis, totalLine, type AnalysisTextOptions } from './analysis-text.js';
export { renderSessionsTable, type SessionsTableOptions } from './sessions-table.js';
export { renderTranscript, type TranscriptOptions } from './transcript-text.js';
export { renderCheckSummary, type CheckSummaryOptions } from './check-summary.js';
