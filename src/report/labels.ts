/**
 * How the text and SARIF outputs name things: endpoints, sessions, frame lists,
 * sizes. One place, so a session reads the same in every output.
 */
import type { SessionOut } from '../model.js';

export { endpointLabel, flowLabel } from '../endpoint-text.js';

/** Parts of a frame list shown; the rest are counted (a finding may hold thousands of frames). */
export const MAX_FRAME_PARTS = 20;

/** `6, 9, 11`; long runs of consecutive numbers fold to `14–20`; past 20 parts, `… and N more frames`. */
export function framesLabel(frames: readonly (number | string)[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < frames.length && parts.length < MAX_FRAME_PARTS) {
    const start = frames[i]!;
    let j = i;
    if (typeof start === 'number') {
      while (j + 1 < frames.length && frames[j + 1] === (frames[j] as number) + 1) j++;
    }
    parts.push(j - i >= 2 ? `${start}–${frames[j]}` : String(start));
    if (j - i === 1) parts.push(String(frames[j]));
    i = j + 1;
  }
  const rest = frames.length - i;
  return rest > 0 ? `${parts.join(', ')} … and ${rest} more frame${rest === 1 ? '' : 's'}` : parts.join(', ');
}

/** Decimal units, as the label says: `726 B`, `18.2 KB`, `3.4 MB`. */
export function sizeLabel(octets: number): string {
  if (octets < 1000) return `${octets} B`;
  if (octets < 1_000_000) return `${(octets / 1000).toFixed(1)} KB`;
  if (octets < 1_000_000_000) return `${(octets / 1_000_000).toFixed(1)} MB`;
  return `${(octets / 1_000_000_000).toFixed(1)} GB`;
}

/** `1 finding`, `2 findings` */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
