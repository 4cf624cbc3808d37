/** Loads docs/output.schema.json into Ajv (draft 2020-12) for the JSON and JSONL tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputSchema = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'output.schema.json'), 'utf8')) as Record<string, unknown>;

/** RFC 3339 date-time, any number of fraction digits (nanosecond captures). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function outputAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addSchema(outputSchema);
  return ajv;
}

export const SCHEMA_ID = outputSchema['$id'] as string;
