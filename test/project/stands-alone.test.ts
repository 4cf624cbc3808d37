/**
 * A user's clone holds nothing beside the project: no tracked file outside docs/ may
 * reach for the steering folder that sits beside the project on its own build machines
 * only, whether written as one path or assembled from its parts. The folder's name is
 * put together here at run time, so this file passes its own check.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-cli.js';

const SIBLING = ['..', ['sh', 'ared'].join('')];
const PATTERNS = [
  new RegExp(`\\.\\.[\\\\/]${SIBLING[1]}(?![\\w-])`),
  new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${SIBLING[1]}['"]`),
];

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
}

/** Files outside docs/ whose text names the sibling folder, with the first line that does. */
export function filesNamingSibling(files: string[], read: (f: string) => string): string[] {
  const found: string[] = [];
  for (const f of files) {
    if (f.startsWith('docs/')) continue;
    const text = read(f);
    if (text.includes('\0')) continue; // captures and other binary files
    const lines = text.split('\n');
    const i = lines.findIndex((l) => PATTERNS.some((p) => p.test(l)));
    if (i >= 0) found.push(`${f}:${i + 1}: ${lines[i].trim()}`);
  }
  return found;
}

describe('the repository stands alone', () => {
  it('no tracked file outside docs/ names the sibling shared folder', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(filesNamingSibling(files, (f) => readFileSync(path.join(REPO, f), 'latin1'))).toEqual([]);
  });

  it('the check sees both spellings and leaves docs/ alone', () => {
    const texts: Record<string, string> = {
      'a.ts': `readFileSync('${SIBLING.join('/')}/schemas/x.json')`,
      'b.mjs': `path.resolve(root, '${SIBLING[0]}', '${SIBLING[1]}', 'x')`,
      'c.sh': `cat ${SIBLING.join('\\')}\\x`,
      'docs/ARCHITECTURE.md': `departs from ${SIBLING.join('/')}/DESIGN.md`,
      'd.ts': `a helper in ${SIBLING.join('/')}-things is another name`,
    };
    expect(filesNamingSibling(Object.keys(texts), (f) => texts[f]).map((l) => l.split(':')[0])).toEqual(['a.ts', 'b.mjs', 'c.sh']);
  });
});
