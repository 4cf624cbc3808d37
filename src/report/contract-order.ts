/**
 * The field order of the JSON contract, as src/model.ts declares it. JSON, JSONL
 * and SARIF property bags print objects in this order whatever order the
 * analysis built them in, so two runs diff cleanly. Fields not listed here
 * (added later, upstream) follow the listed ones in the order they came.
 * test/report/contract-order.test.ts checks that docs/output.schema.json and the
 * interfaces of src/model.ts list the same fields in the same order.
 */

/** `null`: print the value as it is (scalars, free-form records). */
export type Shape = ObjectShape | ArrayShape | null;
export interface ObjectShape {
  kind: 'object';
  fields: Readonly<Record<string, Shape>>;
  /** `fields`' keys, listed once: the report walks them for every object it prints. */
  keys: readonly string[];
}
export interface ArrayShape {
  kind: 'array';
  items: Shape;
}

const obj = (fields: Record<string, Shape>): ObjectShape => ({ kind: 'object', fields, keys: Object.keys(fields) });
const arr = (items: Shape): ArrayShape => ({ kind: 'array', items });
const any = null;

const SIDES = obj({ client: any, server: any });
const ENDPOINT = obj({ ip: any, port: any });

export const CAPTURE_WARNING = obj({ code: any, message: any, offset: any, frame: any, fatal: any });

export const CAPTURE_INFO = obj({
  path: any, format: any, compression: any, timestampPrecision: any, linkTypes: any, packets: any,
  first: any, last: any, bytes: any, segments: any, skipped: any, warnings: arr(CAPTURE_WARNING), damaged: any,
});

export const STREAM_GAP = obj({ direction: any, offset: any, length: any, frame: any });
export const STREAM_ANOMALY = obj({ kind: any, direction: any, frames: any, message: any });

export const AUTH_ATTEMPT = obj({
  mechanism: any, user: any, outcome: any, secret: any, encrypted: any, frames: any, time: any, code: any, text: any,
});

export const TLS_INFO = obj({
  startFrame: any, recordVersion: any, clientVersions: any, version: any, cipherSuite: any, cipherSuiteId: any,
  sni: any, alpn: any, encryptedBytes: SIDES, alerts: any, decryption: any, decryptionReason: any, alertsDropped: any,
});

export const MESSAGE_HEADERS = obj({ from: any, to: any, subject: any, date: any, messageId: any });

export const MULTILINE_DATA = obj({
  octets: any, lines: any, complete: any, firstFrame: any, lastFrame: any, headers: MESSAGE_HEADERS, lineItems: any, body: any,
});

export const TRANSCRIPT_ENTRY = obj({
  frame: any, frames: any, time: any, from: any, command: any, argument: any, sasl: any, secret: any,
  status: any, text: any, code: any, answers: any, data: MULTILINE_DATA, notes: any, raw: any, length: any, state: any, tls: any,
});

export const RETRIEVED_MESSAGE = obj({
  number: any, command: any, octets: any, listedOctets: any, lines: any, uid: any,
  from: any, to: any, subject: any, date: any, messageId: any, frames: any,
});

export const DELETED_MESSAGE = obj({ number: any, octets: any, uid: any, subject: any, frame: any });

export const SESSION = obj({
  id: any, client: ENDPOINT, server: ENDPOINT, start: any, end: any, ended: any, transport: any, midstream: any,
  detection: any, encapsulation: any, notPop3: obj({ kind: any, direction: any, bytes: any, firstBytes: any }), bytes: SIDES, gaps: arr(STREAM_GAP), anomalies: arr(STREAM_ANOMALY),
  greeting: obj({ text: any, apopTimestamp: any, frame: any }), capabilities: any, saslMechanisms: any,
  user: any, auth: arr(AUTH_ATTEMPT), tls: TLS_INFO,
  messages: obj({
    listed: arr(obj({ number: any, octets: any, uid: any })),
    retrieved: arr(RETRIEVED_MESSAGE),
    deleted: any,
    deletedDetails: arr(DELETED_MESSAGE),
    committed: any,
  }),
  state: any, events: any, transcript: arr(TRANSCRIPT_ENTRY),
});

export const FINDING = obj({
  rule: any, severity: any, session: any, frames: any, message: any, remediation: any,
  fingerprint: any, suppressed: obj({ justification: any, expires: any }), baselineState: any, details: any, provisional: any,
});

export const ANALYSIS_RESULT = obj({
  schemaVersion: any, tool: obj({ name: any, version: any }), captures: arr(CAPTURE_INFO),
  sessions: arr(SESSION), findings: arr(FINDING), limits: any, connections: obj({ total: any, empty: any, dropped: any }), policyWarnings: any,
  baseline: obj({ file: any, new: any, unchanged: any, absent: arr(obj({ fingerprint: any, rule: any, message: any, severity: any })) }),
});

/**
 * A copy of `value` with object keys in contract order and undefined fields left
 * out. A transcript entry marked `secret` never carries its `raw` line: the raw
 * line would hold the very password the argument redacts.
 */
export function inContractOrder(value: unknown, shape: Shape): unknown {
  if (shape === null || value === null || typeof value !== 'object') return value;
  if (shape.kind === 'array') {
    if (!Array.isArray(value)) return value;
    const items = shape.items;
    return items === null ? value : value.map((v) => inContractOrder(v, items));
  }
  if (Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fields = shape.fields;
  const dropRaw = shape === TRANSCRIPT_ENTRY && source['secret'] === true;
  // Plain loops, no entry arrays: this runs for every transcript entry of the report.
  for (const key of shape.keys) {
    const v = source[key];
    if (v === undefined || (dropRaw && key === 'raw')) continue;
    const child = fields[key]!;
    out[key] = child === null ? v : inContractOrder(v, child);
  }
  for (const key in source) {
    if (Object.hasOwn(fields, key)) continue;
    const v = source[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
