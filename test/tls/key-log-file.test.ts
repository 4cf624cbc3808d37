import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyLogStore } from '../../src/tls/key-log.js';
import { isKeyLogText, KeyLogInputError, readKeyLogFile } from '../../src/tls/key-log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'pop3scope-keylog-'));

describe('key log files', () => {
  it('reads a file line by line (CRLF too) and reports its bad lines by number', async () => {
    const path = join(dir, 'keys.txt');
    const lines = ['# comment'];
    for (let i = 0; i < 2000; i++) lines.push(`CLIENT_RANDOM ${i.toString(16).padStart(64, '0')} ${'ab'.repeat(48)}`);
    lines.push('CLIENT_RANDOM short ab');
    writeFileSync(path, lines.join('\r\n') + '\r\n');
    const store = new KeyLogStore();
    const warning = await readKeyLogFile(path, store);
    expect(store.size).toBe(2000);
    expect(warning).toBe(`key log ${path}: 1 line not used (line 2002: the client random is not 32 octets of hex); the other lines were used`);
  });

  it('a missing file is a one-line error naming it', async () => {
    await expect(readKeyLogFile(join(dir, 'nope.txt'), new KeyLogStore())).rejects.toThrow(KeyLogInputError);
    await expect(readKeyLogFile(join(dir, 'nope.txt'), new KeyLogStore())).rejects.toThrow(/^cannot read key log '.*nope\.txt': no such file or directory$/);
  });

  it('tells key log text from a path', () => {
    expect(isKeyLogText('keys.txt')).toBe(false);
    expect(isKeyLogText('/tmp/ssl keys.log')).toBe(false);
    expect(isKeyLogText(`CLIENT_RANDOM ${'00'.repeat(32)} ${'11'.repeat(48)}`)).toBe(true);
    expect(isKeyLogText('a\nb')).toBe(true);
  });
});
