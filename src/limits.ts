/**
 * Which resource caps an analysis hit, gathered from the layers into the
 * result's `limits` (name → count), and the one human-readable warning per cap;
 * and how a layer lays the limits a caller set over its defaults.
 * docs/limits.md lists every cap, its default and how to change it.
 */
import type { CaptureWarning } from './capture/packet.js';
import type { SessionOut } from './model.js';

/** Session event → the cap it means was hit. */
const SESSION_CAPS: Readonly<Record<string, string>> = {
  'line-too-long': 'line-length',
  'transcript-truncated': 'transcript-entries',
  'pipeline-overflow': 'pending-commands',
  'line-items-dropped': 'line-items',
  'sasl-rounds-dropped': 'sasl-rounds',
  'sasl-mechanisms-dropped': 'sasl-mechanisms',
  'headers-cut': 'header-bytes',
  'auth-dropped': 'session-records',
  'listed-dropped': 'session-records',
  'retrieved-dropped': 'session-records',
  'deleted-dropped': 'session-records',
};

/** What each cap means when it is hit, for the warning. */
const CAP_TEXT: Readonly<Record<string, string>> = {
  'connections': 'more connections were open at once than the tracking limit; the least recently active were closed early (--limit connections=N)',
  'ooo-per-connection': 'a connection held more out-of-order bytes than its limit; the oldest were delivered past a gap',
  'ooo-total': 'all connections together held more out-of-order bytes than the total limit; the least recently active holders were flushed past a gap',
  'line-length': 'lines longer than the line-length limit were cut; only their start was kept',
  'transcript-entries': 'sessions had more commands and responses than the transcript keeps; the rest were counted, not listed',
  'pending-commands': 'clients pipelined more commands than the pending-command limit; the oldest were given up unanswered',
  'line-items': 'CAPA/LIST/UIDL listings had more lines than are kept; the rest were counted',
  'sasl-rounds': 'SASL exchanges had more rounds than are followed; the rest were counted and kept out of the login attempt',
  'sasl-mechanisms': 'servers named more SASL mechanisms than are kept; the rest were counted',
  'header-bytes': 'message header blocks were longer than the header limit; headers past it were not read',
  'session-records': 'sessions had more login attempts or message records than are kept; the rest were counted',
  'gzip-expansion': 'gzip input inflated past the expansion limit; reading stopped there',
};

/** The assembler's cap counts plus the caps the sessions and inputs hit. */
export function limitsHit(
  assemblerLimits: Record<string, number>,
  sessions: readonly SessionOut[],
  captureWarnings: readonly CaptureWarning[] = [],
): Record<string, number> {
  const out: Record<string, number> = { ...assemblerLimits };
  const add = (cap: string, n: number) => { out[cap] = (out[cap] ?? 0) + n; };
  for (const s of sessions) {
    for (const [event, n] of Object.entries(s.events)) {
      const cap = SESSION_CAPS[event];
      if (cap) add(cap, n);
    }
  }
  for (const w of captureWarnings) if (w.code === 'gzip-expansion-limit') add('gzip-expansion', 1);
  return out;
}

/** One warning per cap that was hit (code `limit:<cap>`), sorted by cap name. */
export function limitWarnings(limits: Record<string, number>): CaptureWarning[] {
  return Object.keys(limits)
    .filter((cap) => limits[cap]! > 0)
    .sort()
    .map((cap) => ({
      code: `limit:${cap}`,
      message: `limit reached ${limits[cap]} time${limits[cap] === 1 ? '' : 's'}: ${CAP_TEXT[cap] ?? `the ${cap} cap`} (see docs/limits.md)`,
    }));
}

/** The fields of `o` that are set, so that spreading it over defaults keeps the defaults of the rest (limits, caps). */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
