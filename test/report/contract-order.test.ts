/**
 * The output's field order is declared in src/report/contract-order.ts (what
 * JSON, JSONL and SARIF print) and described by docs/output.schema.json and the
 * interfaces of src/model.ts. Three declarations drift apart unless checked:
 * the schema and the model must list the same fields, in the same order, as
 * the contract order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as order from '../../src/report/contract-order.js';
import type { Shape } from '../../src/report/contract-order.js';
import { REPO } from '../support/run-cli.js';

type Node = Record<string, unknown>;
const schema = JSON.parse(readFileSync(path.join(REPO, 'docs', 'output.schema.json'), 'utf8')) as Node;

function resolve(node: Node): Node {
  let n = node;
  while (typeof n['$ref'] === 'string') {
    n = (n['$ref'] as string).replace(/^#\//, '').split('/').reduce<Node>((at, key) => at[key] as Node, schema);
  }
  // `anyOf: [{object…}, {type: null}]`: the object alternative.
  for (const key of ['anyOf', 'oneOf']) {
    const alternatives = n[key] as Node[] | undefined;
    if (alternatives) {
      const object = alternatives.map(resolve).find((a) => a['properties'] !== undefined || a['items'] !== undefined);
      if (object) return object;
    }
  }
  return n;
}

/** Every object shape's field list beside the schema's property list at the same place, as `path: keys`. */
function pairs(shape: Shape, node: Node, at: string, out: { at: string; contract: string[]; schema: string[] }[]): void {
  if (shape === null) return;
  const n = resolve(node);
  if (shape.kind === 'array') {
    pairs(shape.items, (n['items'] ?? {}) as Node, `${at}[]`, out);
    return;
  }
  const props = (n['properties'] ?? {}) as Record<string, Node>;
  out.push({ at, contract: Object.keys(shape.fields), schema: Object.keys(props) });
  for (const [key, child] of Object.entries(shape.fields)) if (props[key]) pairs(child, props[key]!, `${at}.${key}`, out);
}

describe('one field order', () => {
  it('docs/output.schema.json lists the contract order\'s fields, in its order', () => {
    const out: { at: string; contract: string[]; schema: string[] }[] = [];
    pairs(order.ANALYSIS_RESULT, schema, 'result', out);
    expect(out.length).toBeGreaterThan(15);
    expect(out.filter((p) => p.schema.join() !== p.contract.join())).toEqual([]);
  });

  it('src/model.ts (and the layers\' own result types) declare each interface\'s fields in the contract order', () => {
    const interfaces = new Map<string, string[]>();
    for (const rel of ['model.ts', 'capture/packet.ts', 'tcp/stream.ts']) {
      const file = path.join(REPO, 'src', rel);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      source.forEachChild((n) => {
        if (ts.isInterfaceDeclaration(n)) {
          // Symbol-keyed members (`[SECRET_LENGTH]`) are never printed: only named fields are part of the order.
          interfaces.set(n.name.text, n.members.filter(ts.isPropertySignature).filter((m) => ts.isIdentifier(m.name)).map((m) => (m.name as ts.Identifier).text));
        }
      });
    }
    const named: [string, Shape][] = [
      ['AnalysisResult', order.ANALYSIS_RESULT], ['CaptureInfo', order.CAPTURE_INFO], ['CaptureWarning', order.CAPTURE_WARNING],
      ['SessionOut', order.SESSION], ['TranscriptEntry', order.TRANSCRIPT_ENTRY], ['MultilineData', order.MULTILINE_DATA],
      ['AuthAttempt', order.AUTH_ATTEMPT], ['TlsInfo', order.TLS_INFO], ['RetrievedMessage', order.RETRIEVED_MESSAGE],
      ['DeletedMessage', order.DELETED_MESSAGE], ['Finding', order.FINDING], ['StreamGap', order.STREAM_GAP],
      ['StreamAnomaly', order.STREAM_ANOMALY], ['MessageHeaders', order.MESSAGE_HEADERS],
    ];
    const wrong = named
      .map(([name, shape]) => ({ name, model: interfaces.get(name) ?? [], contract: Object.keys((shape as { fields: object }).fields) }))
      .filter((x) => x.model.join() !== x.contract.join());
    expect(wrong).toEqual([]);
  });
});
