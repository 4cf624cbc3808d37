/**
 * Reading a CAPA listing (RFC 2449 §5) and an AUTH mechanism listing:
 * one capability per line, the `SASL` line naming the login mechanisms.
 */
export interface Capabilities {
  capabilities: string[];
  saslMechanisms: string[];
  /** Mechanisms past MAX_SASL_MECHANISMS, counted and not kept. */
  mechanismsDropped: number;
}

/**
 * SASL mechanisms kept per session. Servers name a handful (about ten at most);
 * a listing of thousands is hostile, and keeping them all made each new name a
 * search of a growing list.
 */
export const MAX_SASL_MECHANISMS = 64;

export function parseCapabilities(lines: readonly string[]): Capabilities {
  const capabilities: string[] = [];
  const mechanisms = new MechanismList();
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    capabilities.push(line);
    const words = line.split(/\s+/);
    if (words[0]!.toUpperCase() === 'SASL') {
      for (let i = 1; i < words.length; i++) mechanisms.add(words[i]!);
    }
  }
  return { capabilities, saslMechanisms: mechanisms.list, mechanismsDropped: mechanisms.dropped };
}

/** The reply to a bare `AUTH`: one mechanism per line (RFC 5034 §4 / the older AUTH listing). */
export function parseMechanismListing(lines: readonly string[]): string[] {
  const mechanisms = new MechanismList();
  for (const line of lines) {
    const first = line.trim().split(/\s+/)[0];
    if (first) mechanisms.add(first);
  }
  return mechanisms.list;
}

/**
 * Adds a mechanism name (upper-cased) to a list unless it is there or the list
 * holds MAX_SASL_MECHANISMS already; false when it was dropped for the cap.
 * The cap bounds the search, so adding stays linear in the names seen.
 */
export function addMechanism(list: string[], mechanism: string): boolean {
  const m = mechanism.toUpperCase();
  if (list.includes(m)) return true;
  if (list.length >= MAX_SASL_MECHANISMS) return false;
  list.push(m);
  return true;
}

class MechanismList {
  readonly list: string[] = [];
  dropped = 0;

  add(mechanism: string): void {
    if (!addMechanism(this.list, mechanism)) this.dropped++;
  }
}
