/**
 * `--format sarif`: SARIF 2.1.0 for code-scanning services. A capture is the
 * artifact, a session the logical location, a finding a result. Secrets never
 * reach this output: messages come from the findings (already redacted upstream)
 * and no transcript text is copied.
 */
import type * as Sarif from 'sarif';
import type { AnalysisResult, BaselineFinding, CaptureInfo, Finding, SessionOut, Severity } from '../model.js';
import { FINGERPRINT_VERSION } from '../rules/fingerprint.js';
import { flowLabel } from './labels.js';

/** What SARIF needs of a rule; the rules registry's Rule has these fields. */
export interface SarifRuleSource {
  id: string;
  title: string;
  defaultSeverity: Severity;
  rationale: string;
  remediation: string;
  references: readonly string[];
}

export interface SarifOptions {
  rules: readonly SarifRuleSource[];
  toolVersion: string;
  /** The tool's home page (default INFORMATION_URI, a placeholder until the project has a public home). */
  informationUri?: string;
  /** False when the analysis could not complete (default true). */
  executionSuccessful?: boolean;
}

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/pop3scope/pop3scope';
/** Key of the one partial fingerprint each result carries: the finding's fingerprint, versioned. */
export const FINGERPRINT_KEY = FINGERPRINT_VERSION;

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub code scanning reads `security-severity` (0.0–10.0) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export function renderSarif(result: AnalysisResult, opts: SarifOptions): Sarif.Log {
  const rules = opts.rules.map(ruleDescriptor);
  const ruleIndex = new Map(opts.rules.map((r, i) => [r.id, i]));
  // A finding of a rule the caller did not list still gets a descriptor, so every ruleIndex is valid.
  for (const f of result.findings) {
    if (!ruleIndex.has(f.rule)) {
      ruleIndex.set(f.rule, rules.length);
      rules.push(bareRuleDescriptor(f.rule, f.severity));
    }
  }
  for (const b of result.baseline?.absent ?? []) {
    if (!ruleIndex.has(b.rule)) {
      ruleIndex.set(b.rule, rules.length);
      rules.push(bareRuleDescriptor(b.rule, b.severity ?? 'info'));
    }
  }
  const sessions = new Map(result.sessions.map((s) => [s.id, s]));
  const results = result.findings.map((f) => sarifResult(f, ruleIndex.get(f.rule)!, result, sessions.get(f.session ?? '')));
  for (const b of result.baseline?.absent ?? []) results.push(absentResult(b, ruleIndex.get(b.rule)!, result.captures[0]));

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pop3scope',
            version: opts.toolVersion,
            informationUri: opts.informationUri ?? INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: opts.executionSuccessful ?? true,
            toolExecutionNotifications: result.captures.flatMap((c, i) =>
              c.warnings.map((w): Sarif.Notification => ({
                level: w.fatal ? 'error' : 'warning',
                message: { text: w.message },
                descriptor: { id: w.code },
                locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(c.path), index: i } } }],
                properties: {
                  ...(w.offset !== undefined ? { offset: w.offset } : {}),
                  ...(w.frame !== undefined ? { frame: w.frame } : {}),
                  fatal: w.fatal === true,
                },
              })),
            ),
            ...(result.policyWarnings !== undefined && result.policyWarnings.length > 0
              ? { toolConfigurationNotifications: result.policyWarnings.map((text): Sarif.Notification => ({ level: 'warning', message: { text } })) }
              : {}),
          },
        ],
        artifacts: result.captures.map(artifact),
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function ruleDescriptor(r: SarifRuleSource): Sarif.ReportingDescriptor {
  const references = r.references.map((ref) => `- ${ref}`).join('\n');
  const descriptor: Sarif.ReportingDescriptor = {
    id: r.id,
    name: pascalCase(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.rationale },
    help: {
      text: r.remediation,
      markdown: r.remediation + (references ? `\n\nReferences:\n\n${references}` : ''),
    },
  };
  const helpUri = r.references.find(isAbsoluteUri);
  if (helpUri !== undefined) descriptor['helpUri'] = helpUri;
  descriptor['defaultConfiguration'] = { level: sarifLevel(r.defaultSeverity) };
  descriptor['properties'] = {
    tags: ['security', 'pop3'],
    severity: r.defaultSeverity,
    'security-severity': SECURITY_SEVERITY[r.defaultSeverity],
  };
  return descriptor;
}

function bareRuleDescriptor(id: string, severity: Severity): Sarif.ReportingDescriptor {
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: id },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { tags: ['security', 'pop3'], severity },
  };
}

function isAbsoluteUri(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s);
}

/**
 * The capture path as a URI reference: relative paths stay relative (resolved
 * against the scan's root), absolute ones become `file://` URIs, and every
 * segment is percent-encoded so `#`, `?` and spaces do not change its meaning.
 */
export function artifactUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encode = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return 'file:///' + slashed.slice(0, 2) + encode(slashed.slice(2));
  if (slashed.startsWith('/')) return 'file://' + encode(slashed);
  return encode(slashed);
}

const MIME: Record<string, string> = { pcap: 'application/vnd.tcpdump.pcap', pcapng: 'application/x-pcapng' };

function artifact(c: CaptureInfo): Sarif.Artifact {
  const a: Sarif.Artifact = { location: { uri: artifactUri(c.path) }, roles: ['analysisTarget'] };
  // `bytes` counts the decompressed input; it is the file's length only when the file was not compressed.
  if (c.compression === null) a['length'] = c.bytes;
  if (c.format !== null && c.compression === null) a['mimeType'] = MIME[c.format];
  a['properties'] = { format: c.format, compression: c.compression, packets: c.packets, damaged: c.damaged };
  return a;
}

/** Which capture a finding belongs to: the `file#` prefix of its frames when there are several inputs. */
export function captureIndex(f: Finding, result: AnalysisResult): number {
  if (result.captures.length <= 1) return 0;
  const frame = f.frames.find((x) => typeof x === 'string' && x.includes('#'));
  if (typeof frame !== 'string') return 0;
  const prefix = frame.slice(0, frame.lastIndexOf('#'));
  const byPath = result.captures.findIndex((c) => c.path === prefix);
  if (byPath >= 0) return byPath;
  // The analysis labels frames with each input's file name, not the path it was given.
  const byName = result.captures.findIndex((c) => fileName(c.path) === prefix);
  if (byName >= 0) return byName;
  const n = Number(prefix);
  return Number.isInteger(n) && n >= 1 && n <= result.captures.length ? n - 1 : 0;
}

function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export function sessionLocationName(s: SessionOut): string {
  return `session ${s.id} (${flowLabel(s)})`;
}

function sarifResult(f: Finding, ruleIndex: number, result: AnalysisResult, s: SessionOut | undefined): Sarif.Result {
  const index = captureIndex(f, result);
  const capture = result.captures[index];
  const location: Sarif.Location = {};
  if (capture) location['physicalLocation'] = { artifactLocation: { uri: artifactUri(capture.path), index } };
  if (s) location['logicalLocations'] = [{ name: sessionLocationName(s), kind: 'resource' }];
  const out: Sarif.Result = {
    ruleId: f.rule,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: f.message },
  };
  if (Object.keys(location).length > 0) out.locations = [location];
  out.partialFingerprints = { [FINGERPRINT_KEY]: f.fingerprint };
  if (f.baselineState !== undefined) out.baselineState = f.baselineState;
  // The policy file is outside the SARIF log: kind `external` (SARIF 2.1.0 §3.35.2).
  if (f.suppressed !== undefined) out.suppressions = [{ kind: 'external', justification: f.suppressed.justification }];
  // Only these: `details` is rule-specific and has no place in a file uploaded elsewhere.
  out.properties = { frames: f.frames, session: f.session, severity: f.severity };
  return out;
}

/** A baseline finding this run no longer shows: what the baseline said of it, `absent`. */
function absentResult(b: BaselineFinding, ruleIndex: number, capture: CaptureInfo | undefined): Sarif.Result {
  const out: Sarif.Result = { ruleId: b.rule, ruleIndex, message: { text: b.message } };
  // Where it would have been: the capture this run read (code-scanning services want a location).
  if (capture !== undefined) out.locations = [{ physicalLocation: { artifactLocation: { uri: artifactUri(capture.path), index: 0 } } }];
  out.partialFingerprints = { [FINGERPRINT_KEY]: b.fingerprint };
  out.baselineState = 'absent';
  if (b.severity !== null) {
    out.level = sarifLevel(b.severity);
    out.properties = { severity: b.severity };
  }
  return out;
}
