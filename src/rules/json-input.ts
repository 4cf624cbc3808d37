/**
 * What the files users hand to the rules (policy, suppressions, baseline) are made
 * of, checked the same way by each reader.
 */

/** A JSON object: not an array, not null. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finding's fingerprint as the JSON output writes it: 32 lower-case hex digits. */
export const FINGERPRINT_PATTERN = /^[0-9a-f]{32}$/;
