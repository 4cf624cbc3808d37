/** `sessions` view: one aligned row per session, numbers right-aligned. */
import type { AnalysisResult, SessionOut } from '../model.js';
import type { Colors } from './colors.js';
import { endpointLabel } from './labels.js';
import { emptyConnections } from './analysis-text.js';
import { retrievedCount } from './session-summary.js';
import { alignedTable, type TableColumn } from './aligned-table.js';

export interface SessionsTableOptions {
  colors: Colors;
}

const COLUMNS: TableColumn<SessionOut>[] = [
  { title: 'id', right: true, cell: (s) => s.id },
  { title: 'client', cell: (s) => endpointLabel(s.client) },
  { title: 'server', cell: (s) => endpointLabel(s.server) },
  { title: 'transport', cell: (s) => s.transport },
  { title: 'user', cell: (s) => s.user ?? '-' },
  { title: 'auth', cell: (s) => (s.auth.length === 0 ? '-' : [...new Set(s.auth.map((a) => a.mechanism))].join(',')) },
  { title: 'outcome', cell: (s) => s.auth[s.auth.length - 1]?.outcome ?? '-' },
  { title: 'retrieved', right: true, cell: (s) => String(retrievedCount(s)) },
  { title: 'deleted', right: true, cell: (s) => String(s.messages.deleted.length) },
  { title: 'committed', cell: (s) => (s.messages.committed ? 'yes' : s.tls !== null && s.auth.length === 0 ? '?' : 'no') },
  { title: 'ended', cell: (s) => s.ended },
  { title: 'start', cell: (s) => s.start },
];

/** Columns are two spaces apart; the last column is not padded. Ends with a newline. */
export function renderSessionsTable(result: AnalysisResult, opts: SessionsTableOptions): string {
  if (result.sessions.length === 0) return `no POP3 sessions${emptyConnections(result)}\n`;
  return alignedTable(COLUMNS, result.sessions, opts.colors.bold);
}
