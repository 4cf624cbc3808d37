import { escapeForTerminal } from './terminal-text.js';

/** One aligned table for the text views: columns two spaces apart, numbers right-aligned, the last column not padded. */
export interface TableColumn<T> {
  title: string;
  right?: boolean;
  cell(row: T): string;
}

/** Cells are captured text: each is escaped for the terminal here, before it is measured. Ends with a newline. */
export function alignedTable<T>(columns: readonly TableColumn<T>[], items: readonly T[], bold: (s: string) => string): string {
  const rows = items.map((item) => columns.map((c) => escapeForTerminal(c.cell(item))));
  const widths = columns.map((c, i) => rows.reduce((m, r) => Math.max(m, width(r[i]!)), width(c.title)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - width(cell));
        if (columns[i]!.right) return pad + cell;
        return i === cells.length - 1 ? cell : cell + pad;
      })
      .join('  ');
  return [bold(line(columns.map((c) => c.title))), ...rows.map(line)].join('\n') + '\n';
}

/** Width in code points: escaped text holds no controls or zero-width characters. */
function width(s: string): number {
  return [...s].length;
}
