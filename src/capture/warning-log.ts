/**
 * The warnings of one input, in the order they were found. A damaged file can
 * repeat the same problem on every record, so each code is listed at most
 * `perCode` times and the rest are counted in one closing line.
 */
import type { CaptureWarning } from './packet.js';

export class WarningLog {
  readonly list: CaptureWarning[] = [];
  /** True once a fatal warning or a damage-marking one was added. */
  damaged = false;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perCode: number) {}

  add(warning: CaptureWarning, damaging: boolean): void {
    if (warning.fatal || damaging) this.damaged = true;
    const seen = (this.counts.get(warning.code) ?? 0) + 1;
    this.counts.set(warning.code, seen);
    if (seen <= this.perCode || warning.fatal) this.list.push(warning);
  }

  /** The listed warnings followed by one line per code that had more than `perCode`. */
  finished(): CaptureWarning[] {
    const out = this.list.slice();
    for (const [code, count] of this.counts) {
      const listed = this.list.filter((w) => w.code === code).length;
      if (count > listed) {
        out.push({ code, message: `${count - listed} more '${code}' warnings were not listed (${count} in all)` });
      }
    }
    return out;
  }
}
