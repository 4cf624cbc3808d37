/** Questions rules ask of a session's CAPA answer and STLS exchange. */
import type { SessionOut, TranscriptEntry } from '../model.js';

/** Did the CAPA answer list STLS (the capability RFC 2595 §4 defines)? null when no CAPA answer was seen. */
export function offersStls(s: SessionOut): boolean | null {
  if (s.capabilities === null) return null;
  return s.capabilities.some((c) => c.trim().split(/\s+/)[0]!.toUpperCase() === 'STLS');
}

/** The server's +OK to CAPA (the entry holding the capability list). */
export function capaAnswer(s: SessionOut): TranscriptEntry | undefined {
  return s.transcript.find((e) => e.from === 'server' && e.answers === 'CAPA' && e.status === '+OK');
}

export function sentStls(s: SessionOut): boolean {
  return s.transcript.some((e) => e.from === 'client' && e.command === 'STLS');
}
