/**
 * A finding's fingerprint: the identity of the problem, equal in two recordings of
 * the same traffic and different for different problems. Built from what does not
 * change between recordings (rule, server address and port, user, mechanism or
 * command), never from client ports, frame numbers, times or session numbers, so a
 * baseline or a code-scanning service recognises a known problem in the next run.
 * docs/rules.md lists, per rule, what goes in.
 */
import { createHash } from 'node:crypto';
import type { SessionOut } from '../model.js';

/** Names the scheme: a change to what goes into a fingerprint is a new version. */
export const FINGERPRINT_VERSION = 'pop3scope/v1';

/** The facts that make a problem itself, by name (the rule id is added by the runner). */
export type FingerprintParts = Record<string, string | number | boolean | null>;

/** 32 hex digits (128 bits of SHA-256) over the version, the rule and the parts sorted by name. */
export function fingerprintOf(rule: string, parts: FingerprintParts): string {
  const fields = Object.keys(parts).sort().map((k) => [k, parts[k]]);
  return createHash('sha256').update(JSON.stringify([FINGERPRINT_VERSION, rule, fields])).digest('hex').slice(0, 32);
}

/** The server the session talked to: its address and port. */
export function serverParts(s: SessionOut): FingerprintParts {
  return { server: s.server.ip, port: s.server.port };
}

/** The server and the session's user: what most rules' findings are about (the default). */
export function sessionParts(s: SessionOut): FingerprintParts {
  return { ...serverParts(s), user: s.user };
}

/** Distinct values, sorted, as one part: the order a problem showed in does not change what it is. */
export function setPart(values: Iterable<string>): string {
  return [...new Set(values)].sort().join(',');
}
