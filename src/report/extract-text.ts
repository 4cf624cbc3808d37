/** `pop3scope extract` in text: one row per message written, then where the index is. */
import type { ExtractedMessage, ExtractionIndex } from '../extract/extraction-index.js';
import type { Colors } from './colors.js';
import { alignedTable, type TableColumn } from './aligned-table.js';
import { plural } from './labels.js';
import { escapeForTerminal } from './terminal-text.js';

const COLUMNS: TableColumn<ExtractedMessage>[] = [
  { title: 'session', right: true, cell: (m) => m.session },
  { title: 'command', cell: (m) => `${m.command} ${m.message ?? '?'}` },
  { title: 'octets', right: true, cell: (m) => String(m.octets) },
  { title: 'complete', cell: (m) => (m.complete ? 'yes' : `no (${m.reason})`) },
  { title: 'attachments', right: true, cell: (m) => String(m.attachments.length) },
  { title: 'sha256', cell: (m) => m.sha256.slice(0, 16) },
  { title: 'file', cell: (m) => m.file ?? '-' },
  { title: 'subject', cell: (m) => m.subject ?? '' },
];

/** `shownDir`: the output directory as the user named it (the index holds its real path). */
export function renderExtractText(index: ExtractionIndex, shownDir: string, colors: Colors): string {
  const attachments = index.messages.reduce((n, m) => n + m.attachments.filter((a) => a.file !== null).length, 0);
  const summary = `${plural(index.messages.length, 'message')} and ${plural(attachments, 'attachment')} written to ${escapeForTerminal(shownDir)} (index.json lists them with sha256s)\n`;
  if (index.messages.length === 0) return summary;
  return alignedTable(COLUMNS, index.messages, colors.bold) + summary;
}
