/**
 * The official OASIS SARIF 2.1.0 schema, kept in test/schemas (its README says where it
 * comes from and under which terms), compiled once for every test that validates SARIF.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sarifSchema = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));

// ajv-draft-04 is CommonJS: under NodeNext its default import is module.exports, whose `default` is the class.
const ajv = new AjvDraft04Module.default({ allErrors: true, strict: false, logger: false });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/[\s\\]/.test(s));

export const validateSarif = ajv.compile(sarifSchema);
