/**
 * Every example in README.md is what the current code prints: each ```console block's
 * `$ pop3scope …` lines are run and their output compared with the lines that follow.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runShell } from '../support/run-cli.js';

interface Example { command: string; expected: string }

function examples(): Example[] {
  const md = readFileSync(join(REPO, 'README.md'), 'utf8');
  const out: Example[] = [];
  for (const block of md.matchAll(/```console\n([\s\S]*?)```/g)) {
    let current: Example | null = null;
    for (const line of block[1].split('\n')) {
      if (line.startsWith('$ ')) {
        if (current) out.push(current);
        current = { command: line.slice(2), expected: '' };
      } else if (current) {
        current.expected += line + '\n';
      }
    }
    if (current) out.push(current);
  }
  return out;
}

describe('README examples', () => {
  const list = examples();
  it('README has examples', () => {
    expect(list.length).toBeGreaterThan(3);
  });
  for (const ex of list) {
    it(ex.command, () => {
      const r = runShell(ex.command.replace(/^pop3scope/, 'pop3scope'));
      const got = (r.stdout + r.stderr).replace(/\s+$/, '');
      expect(got).toBe(ex.expected.replace(/\s+$/, ''));
    });
  }
});
