/**
 * A progress line on standard error for long inputs, only when standard error is a
 * terminal (never in pipes or CI). Redrawn at most a few times a second.
 */
/** Inputs smaller than this finish before a progress line would help (POP3SCOPE_PROGRESS_MIN_BYTES overrides). */
const MIN_BYTES = Number(process.env.POP3SCOPE_PROGRESS_MIN_BYTES ?? 64 * 1024 * 1024);
const REDRAW_MS = 200;

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export class ProgressLine {
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  /** `totalBytes` is the inputs' size on disk when known (null for standard input). */
  constructor(private readonly out: ProgressTarget, private readonly totalBytes: number | null, force = false) {
    const ci = Boolean(process.env.CI);
    this.enabled = force || (Boolean(out.isTTY) && !ci && (totalBytes === null || totalBytes >= MIN_BYTES));
  }

  update(bytes: number, packets: number, sessions: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const mib = (bytes / 1048576).toFixed(0);
    let line: string;
    if (this.totalBytes) {
      const frac = Math.min(1, bytes / this.totalBytes);
      const width = 24;
      const full = Math.round(frac * width);
      line = `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${mib} MiB`;
    } else {
      line = `${mib} MiB`;
    }
    line += `  ${packets.toLocaleString('en-US')} packets  ${sessions} sessions`;
    this.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line so results and diagnostics start on a clean row. */
  done(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
