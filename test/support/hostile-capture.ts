/**
 * A capture whose attacker-controlled strings (greeting, -ERR text, user name, From and
 * Subject, and the file's own name) carry HTML and script payloads. Each script payload
 * would set `window.__pwned`; each <link>/<img> would make a request to a closed loopback
 * port. A report that shows them must show them as text and run or load none of them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap } from './capture-writer.js';
import { conversation } from './conversation.js';

export const PAYLOAD_GREETING = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> javascript:window.__pwned=3 ready';
/** USER takes one word: a payload without spaces. */
export const PAYLOAD_USER = '</script><img/src=x/onerror=window.__pwned=4>';
export const PAYLOAD_ERR = '<link href=http://127.0.0.1:9/evil.css rel=stylesheet> </script><script>window.__pwned=5</script> javascript:alert(6)';
export const PAYLOAD_SUBJECT = '<script>window.__pwned=7</script> <a href="javascript:window.__pwned=8">click</a> <link href=http://127.0.0.1:9/s.css rel=stylesheet>';
export const PAYLOAD_FROM = '"</script><svg onload=window.__pwned=9>" <eve@example.test>';
/** The file name shows in the report's title line. */
export const PAYLOAD_FILE = '<img src=x onerror=window.__pwned=10>.pcap';

export const HOSTILE_PASSWORD = 'Hostile-Secret-4411';

export function writeHostileCapture(): string {
  const message = [
    `From: ${PAYLOAD_FROM}`,
    'To: <a@example.test>',
    `Subject: ${PAYLOAD_SUBJECT}`,
    'Date: Mon, 02 Nov 2026 09:15:00 +0000',
    '',
    '<script>window.__pwned=11</script>',
    '',
  ].join('\r\n');
  const packets = conversation([
    { from: 'server', data: `+OK ${PAYLOAD_GREETING}\r\n` },
    { from: 'client', data: `USER ${PAYLOAD_USER}\r\n` },
    { from: 'server', data: '+OK\r\n' },
    { from: 'client', data: 'PASS wrong\r\n' },
    { from: 'server', data: `-ERR [AUTH] ${PAYLOAD_ERR}\r\n` },
    { from: 'client', data: `USER ${PAYLOAD_USER}\r\n` },
    { from: 'server', data: '+OK\r\n' },
    { from: 'client', data: `PASS ${HOSTILE_PASSWORD}\r\n` },
    { from: 'server', data: '+OK Logged in.\r\n' },
    { from: 'client', data: 'RETR 1\r\n' },
    { from: 'server', data: `+OK ${message.length} octets\r\n${message}.\r\n` },
    { from: 'client', data: 'QUIT\r\n' },
    { from: 'server', data: '+OK Logging out.\r\n' },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'pop3scope-hostile-'));
  const path = join(dir, PAYLOAD_FILE);
  writeFileSync(path, writePcap(packets));
  return path;
}
