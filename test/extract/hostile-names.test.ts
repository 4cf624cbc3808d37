/**
 * The hostile-name fixtures (dave's message 5, recorded from dovecot) write only
 * inside the output directory, under safe names: the whole temporary tree is
 * walked afterwards. And the output directory is never left through a symlink,
 * nor a file overwritten without --force.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/extract.js';
import { OutputDirError } from '../../src/extract/output-dir.js';
import { captureFixtures } from '../capture/fixture-files.js';

const tmp = mkdtempSync(join(tmpdir(), 'pop3scope-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CAPTURE = captureFixtures().find((f) => f.name === 'extract-attachments')!.path;

/** Every path under `root` (directories too), relative to it, without following symlinks. */
function walk(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const rel = relative(root, path);
    return lstatSync(path).isDirectory() ? [rel, ...walk(root, path)] : [rel];
  });
}

/** A name that is safe on Linux, macOS and Windows (the rules the issue lists). */
function isSafe(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) <= 200
    && !/[\u0000-\u001f\u007f-\u009f<>:"|?*\\/]/u.test(name)
    && !name.startsWith('.') && !/[. ]$/.test(name)
    && !/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name);
}

describe('hostile attachment names', () => {
  it('write only inside DIR, under safe names; nothing anywhere else in the temporary tree', async () => {
    const parent = join(tmp, 'walk');
    mkdirSync(parent);
    const dir = join(parent, 'out');
    const { index } = await extract(CAPTURE, { outputDir: dir });
    const tree = walk(parent);
    expect(tree.every((p) => p === 'out' || p.startsWith('out/'))).toBe(true);
    for (const p of tree) {
      expect(lstatSync(join(parent, p)).isSymbolicLink()).toBe(false);
      for (const part of p.split('/')) expect(isSafe(part), JSON.stringify(p)).toBe(true);
    }
    // Nothing went to the places the names point at.
    expect(existsSync(join(parent, 'evil.sh'))).toBe(false);
    expect(existsSync(join(tmp, 'evil.sh'))).toBe(false);
    const hostile = index.messages.find((m) => m.subject === 'Hostile attachment names')!;
    expect(hostile.attachments.map((a) => a.file)).toEqual([
      'attachments/s1-retr-5/evil.sh',
      'attachments/s1-retr-5/x',
      'attachments/s1-retr-5/x.exe',
      'attachments/s1-retr-5/ctrl_[31mred__nul line_.txt',
      'attachments/s1-retr-5/_CON.txt',
      'attachments/s1-retr-5/bashrc',
      'attachments/s1-retr-5/a_b_c_d_e_f_g_h.txt',
      'attachments/s1-retr-5/same.txt',
      'attachments/s1-retr-5/same-2.txt',
      expect.stringMatching(/^attachments\/s1-retr-5\/long-name-0000-long-name-0001-.*\.txt$/),
    ]);
    // Every file the index names exists where it says, and every file written is in the index.
    const listed = new Set(['index.json', ...index.messages.flatMap((m) => [m.file, ...m.attachments.map((a) => a.file)])]);
    const files = walk(dir).filter((p) => !lstatSync(join(dir, p)).isDirectory());
    expect(new Set(files)).toEqual(listed);
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(index)));
  });

  it('a non-empty directory is refused without --force; with it, files are replaced but a symlink is never followed', async () => {
    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    const dir = join(tmp, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.json'), 'old');
    await expect(extract(CAPTURE, { outputDir: dir })).rejects.toThrow(OutputDirError);
    expect(readFileSync(join(dir, 'index.json'), 'utf8')).toBe('old');

    // attachments/ is a symlink to a directory outside: refused, nothing written outside.
    symlinkSync(outside, join(dir, 'attachments'));
    await expect(extract(CAPTURE, { outputDir: dir, force: true })).rejects.toThrow(/attachments exists and is not a directory/);
    expect(readdirSync(outside)).toEqual([]);

    // A message file that is a symlink to a file outside: refused, the file outside untouched.
    rmSync(join(dir, 'attachments'));
    rmSync(join(dir, 'messages'), { recursive: true, force: true });
    mkdirSync(join(dir, 'messages'));
    writeFileSync(join(outside, 'victim'), 'keep me');
    symlinkSync(join(outside, 'victim'), join(dir, 'messages', 's1-top-1.eml'));
    await expect(extract(CAPTURE, { outputDir: dir, force: true })).rejects.toThrow(/not a regular file/);
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('keep me');

    // Without the symlink, --force replaces the old files.
    rmSync(join(dir, 'messages', 's1-top-1.eml'));
    const { index } = await extract(CAPTURE, { outputDir: dir, force: true });
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).messages).toHaveLength(index.messages.length);
  });

  it('an output directory that is itself a symlink is followed once, as the user named it, and everything stays inside its target', async () => {
    const target = join(tmp, 'target');
    mkdirSync(target);
    symlinkSync(target, join(tmp, 'link'));
    const { index } = await extract(CAPTURE, { outputDir: join(tmp, 'link') });
    expect(index.outputDir).toBe(target);
    expect(readdirSync(target).sort()).toEqual(['attachments', 'index.json', 'messages']);
  });
});
