/**
 * The comparison behind docs/extraction.md's choice of MIME library: postal-mime
 * (the project's) against mailparser, on dave's mailbox (attachments, RFC 2231,
 * nested and malformed messages) and on alice's 224,910-octet message.
 *
 *   python3 fixtures/make_mailboxes.py /tmp/mb && python3 fixtures/make_mailboxes.py --manifest /tmp/man.json
 *   npm install --no-save mailparser        # not a dependency of the project
 *   node bench/mime-libraries.mjs /tmp/mb /tmp/man.json
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';

const [mailboxes, manifestPath] = process.argv.slice(2);
if (!mailboxes || !manifestPath) {
  console.error('usage: node bench/mime-libraries.mjs MAILDIR-ROOT MANIFEST (see the comment at the top)');
  process.exit(2);
}
let simpleParser;
try {
  ({ simpleParser } = await import('mailparser'));
} catch {
  console.error('mailparser is not installed: npm install --no-save mailparser');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const sha = (b) => createHash('sha256').update(b).digest('hex');
// dovecot sends the LF maildir files with CRLF (fixtures/README.md).
const load = (user) => readdirSync(`${mailboxes}/${user}/cur`).sort()
  .map((f) => Buffer.from(readFileSync(`${mailboxes}/${user}/cur/${f}`, 'latin1').replace(/\n/g, '\r\n'), 'latin1'));

const parsers = {
  'postal-mime': async (b) => {
    const e = await PostalMime.parse(b, { forceRfc822Attachments: true });
    return e.attachments.map((a) => ({ name: a.filename, type: a.mimeType, bytes: Buffer.from(a.content) }));
  },
  mailparser: async (b) => {
    const e = await simpleParser(b);
    return e.attachments.map((a) => ({ name: a.filename, type: a.contentType, bytes: a.content }));
  },
};

for (const [i, message] of load('dave').entries()) {
  const expected = manifest.dave[i].attachments ?? [];
  console.log(`dave ${i + 1}: expected ${expected.map((e) => JSON.stringify(e.filename).slice(0, 40)).join(', ') || '(not fixed: malformed)'}`);
  for (const [name, parse] of Object.entries(parsers)) {
    let got;
    try {
      got = (await parse(message)).map((a) => `${JSON.stringify(a.name).slice(0, 40)} ${a.type} ${a.bytes.length} ${expected.some((e) => e.sha256 === sha(a.bytes)) ? 'equal' : 'differs'}`);
    } catch (e) {
      got = [`threw: ${e.message}`];
    }
    console.log(`  ${name.padEnd(12)} ${got.join('; ')}`);
  }
}

// The machine is shared: rounds alternate between the libraries, and the median round counts.
const big = load('alice')[2];
const times = Object.fromEntries(Object.keys(parsers).map((n) => [n, []]));
for (const parse of Object.values(parsers)) for (let k = 0; k < 5; k++) await parse(big);
for (let round = 0; round < 9; round++) {
  for (const [name, parse] of Object.entries(parsers)) {
    const t = process.hrtime.bigint();
    for (let k = 0; k < 10; k++) await parse(big);
    times[name].push(Number(process.hrtime.bigint() - t) / 1e6 / 10);
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  console.log(`${name}: alice 3 (${big.length} octets): median ${list[4].toFixed(2)} ms per parse (rounds ${list[0].toFixed(1)}-${list[8].toFixed(1)})`);
}
