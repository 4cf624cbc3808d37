/**
 * Reading a CAPA listing (RFC 2449 §5) and an AUTH mechanism listing:
 * one capability per line, the `SASL` line naming the login mechanisms.
 */
export interface Capabilities {
  capabilities: string[];
  saslMechanisms: string[];
}

export function parseCapabilities(lines: readonly string[]): Capabilities {
  const capabilities: string[] = [];
  const saslMechanisms: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    capabilities.push(line);
    const words = line.split(/\s+/);
    if (words[0]!.toUpperCase() === 'SASL') {
      for (const m of words.slice(1)) addMechanism(saslMechanisms, m);
    }
  }
  return { capabilities, saslMechanisms };
}

/** The reply to a bare `AUTH`: one mechanism per line (RFC 5034 §4 / the older AUTH listing). */
export function parseMechanismListing(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const first = line.trim().split(/\s+/)[0];
    if (first) addMechanism(out, first);
  }
  return out;
}

export function addMechanism(list: string[], mechanism: string): void {
  const m = mechanism.toUpperCase();
  if (!list.includes(m)) list.push(m);
}
