/**
 * Habits that keep hostile input from costing unbounded memory or crashing,
 * checked over the source text so a new file cannot slip past them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-cli.js';

const SRC = path.join(REPO, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );
}

const files = sourceFiles(SRC).map((f) => ({ name: path.relative(SRC, f), text: readFileSync(f, 'utf8') }));

describe('source habits', () => {
  it('finds the source files', () => expect(files.length).toBeGreaterThan(80));

  it('inflates only in capture/input.ts, the path with the expansion bound', () => {
    const inflating = files.filter((f) => /from 'node:zlib'|from 'zlib'|require\('(node:)?zlib'\)/.test(f.text)).map((f) => f.name);
    expect(inflating).toEqual(['capture/input.ts']);
  });

  it('spreads no array into a call (Math.max(...a), push(...a) throw RangeError past ~120k elements)', () => {
    // A spread into a call's arguments: `f(...x)`, `f(a, ...x)`. Array literals (`[...x]`) and objects are fine.
    const hits: string[] = [];
    for (const f of files) {
      f.text.split('\n').forEach((line, i) => {
        // Not a spread: a typed rest parameter (`dir(...parts: string[])`); bounded: a constant tuple (`...CAPTURE_ARGUMENT`).
        const code = line.replace(/\/\/.*$/, '').replace(/\.\.\.\w+\s*:/g, '').replace(/\.\.\.[A-Z][A-Z0-9_]*\b/g, '');
        if (/[\w)\]]\s*\((?:[^()[\]{}]*,\s*)?\.\.\.[\w[(]/.test(code)) hits.push(`${f.name}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('appends without copying: `m.set(k, [...(m.get(k) ?? []), v])` is quadratic in the list it grows', () => {
    const hits = files.flatMap((f) =>
      f.text.split('\n').flatMap((line, i) => (/\[\s*\.\.\.\(?\s*[\w.]+\.get\(/.test(line) ? [`${f.name}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});
