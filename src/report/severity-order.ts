/** Severities from most to least serious, and counting findings by severity. */
import { SEVERITIES, type Finding, type Severity } from '../model.js';

export const SEVERITIES_HIGHEST_FIRST: readonly Severity[] = [...SEVERITIES].reverse();

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function atOrAbove(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

/** `1 high, 2 medium, 2 info` (highest first, zero counts left out); empty when there are none. */
export function severityCounts(findings: readonly Finding[]): string {
  return SEVERITIES_HIGHEST_FIRST.map((sev) => [sev, findings.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`)
    .join(', ');
}
