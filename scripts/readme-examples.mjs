#!/usr/bin/env node
// Re-runs every `$ pop3scope …` line in README.md's ```console blocks and writes what the
// current build prints under it. test/cli/readme-examples.test.ts checks they still agree.
// Usage: npm run build && node scripts/readme-examples.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/pop3scope.js', import.meta.url));
const readme = `${repo}README.md`;

function run(line) {
  const cmd = line.replace(/(^|[|;&]\s*)pop3scope\b/g, `$1node ${bin}`);
  const r = spawnSync('bash', ['-c', cmd], { cwd: repo, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1' } });
  return (r.stdout.toString() + r.stderr.toString()).replace(/\s+$/, '');
}

const md = readFileSync(readme, 'utf8').replace(/```console\n([\s\S]*?)```/g, (_, body) => {
  const commands = body.split('\n').filter((l) => l.startsWith('$ ')).map((l) => l.slice(2));
  return '```console\n' + commands.map((c) => `$ ${c}\n${run(c)}\n`).join('') + '```';
});
writeFileSync(readme, md);
console.log('README examples updated');
