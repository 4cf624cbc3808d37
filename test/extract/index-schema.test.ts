/** DIR/index.json follows docs/extract-index.schema.json, for whole, partial, cut and capped messages. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { captureFixtures } from '../capture/fixture-files.js';
import { repoRoot } from '../report/output-schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-index-schema-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const schema = JSON.parse(readFileSync(join(repoRoot, 'docs', 'extract-index.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const fixture = (name: string) => captureFixtures().find((f) => f.name === name)!.path;

it.each([
  ['extract-attachments', {}],
  ['extract-attachments', { maxMessageBytes: 1000, maxMimeDepth: 1 }],
  ['extract-attachments', { maxTotalBytes: 5000 }],
  ['dumpcap-pcapng', {}],
])('%s with caps %j', async (name, limits) => {
  const dir = join(tmp, `${name}-${JSON.stringify(limits).replace(/\W/g, '')}`);
  const { index } = await extract([fixture(name), fixture('apop-login')], { outputDir: dir, limits });
  const ok = validate(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')));
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
  expect(index.messages.length).toBeGreaterThan(0);
});

it('the schema refuses a file path that leaves the directory, and an unknown reason', async () => {
  const dir = join(tmp, 'mutated');
  const { index } = await extract(fixture('apop-login'), { outputDir: dir });
  const doc = JSON.parse(JSON.stringify(index));
  expect(validate(doc)).toBe(true);
  expect(validate({ ...doc, messages: [{ ...doc.messages[0], file: 'messages/../../etc/passwd' }] })).toBe(false);
  expect(validate({ ...doc, messages: [{ ...doc.messages[0], file: 'attachments/../index.json' }] })).toBe(false);
  expect(validate({ ...doc, messages: [{ ...doc.messages[0], reason: 'whatever' }] })).toBe(false);
});
