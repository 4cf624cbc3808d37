/**
 * Every example in README.md is what the current code prints: each ```console block's
 * `$ pop3scope …` lines are run and their output compared with the lines that follow.
 * That comparison only says the README is current (scripts/readme-examples.mjs wrote
 * it from the tool's own output), so each example also has an exit status and at
 * least one fact established without the tool: capinfos and tshark output stored
 * beside the fixture, the recording clients' ground truth, or the RFC.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runShell } from '../support/run-cli.js';
import { readTsv, tsharkFile } from '../support/tshark.js';
import { truthFiles, type Truth } from '../support/truth.js';

interface Example { command: string; expected: string }

function examples(): Example[] {
  const md = readFileSync(join(REPO, 'README.md'), 'utf8');
  const out: Example[] = [];
  for (const block of md.matchAll(/```console\n([\s\S]*?)```/g)) {
    let current: Example | null = null;
    for (const line of block[1]!.split('\n')) {
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

const truth = (capture: string): Truth => truthFiles().find((t) => t.capture === capture)!;
/** capinfos' packet count, stored at recording time. */
const capinfosPackets = (capture: string): number =>
  Number(/^Number of packets:\s+(\d+)/m.exec(readFileSync(tsharkFile(capture, 'capinfos.txt'), 'utf8'))![1]);
/** The frame tshark dissected as the first `PASS` request (of one TCP stream). */
const tsharkPassFrame = (capture: string, stream = 0): string =>
  readTsv(tsharkFile(capture, 'pop.tsv'))
    .find((r) => r['pop.request.command'] === 'PASS' && r['tcp.stream'] === String(stream))!['frame.number']!;

/** The mailboxes the fixture server served, as make_mailboxes.py wrote them (sizes and sha256s). */
const mailboxes = (): Record<string, { number: number; octets: number; sha256: string; attachments?: { filename: string }[] }[]> =>
  JSON.parse(readFileSync(join(REPO, 'fixtures', 'truth', 'mailboxes.json'), 'utf8'));
/** A TLS fixture's ground truth (the client's own log, lines marked encrypted). */
const tlsTruth = (name: string): Truth => JSON.parse(readFileSync(join(REPO, 'fixtures', 'tls', 'truth', `${name}.json`), 'utf8'));
const tlsCapinfosPackets = (name: string): number =>
  Number(/^Number of packets:\s+(\d+)/m.exec(readFileSync(join(REPO, 'fixtures', 'tls', 'tshark', `${name}.capinfos.txt`), 'utf8'))![1]);

interface Facts {
  /** Exit status of the command (for `cmd; echo "exit $?"`, of the part before `;`). */
  exit: number;
  check(output: string): void;
}

const FACTS: Record<string, Facts> = {
  'pop3scope analyze fixtures/sample.pcapng': {
    exit: 0,
    check(out) {
      expect(out).toContain(`${capinfosPackets('sample.pcapng')} packets`);
      const s = truth('sample.pcapng').sessions;
      expect(out).toContain(`${s[0]!.user} ${s[0]!.mechanism} ${s[0]!.outcome}`);
      expect(out).toMatch(new RegExp(`^${s.length} sessions`, 'm'));
    },
  },
  'pop3scope transcript fixtures/sample.pcapng --session 1': {
    exit: 0,
    check(out) {
      // The client's own log of what it sent, in order (the password line is redacted).
      const sent = truth('sample.pcapng').sessions[0]!.lines.filter((l) => l.from === 'client' && !(l.text ?? '').startsWith('PASS '));
      const shown = out.split('\n').filter((l) => l.includes('C→ ')).map((l) => l.split('C→ ')[1]);
      expect(shown.filter((l) => l !== 'PASS [redacted]')).toEqual(sent.map((l) => l.text));
    },
  },
  'pop3scope explain DELE': {
    exit: 0,
    check(out) {
      // RFC 1939 §5: "DELE msg ... Restrictions: may only be given in the TRANSACTION state".
      expect(out).toContain('RFC 1939 §5');
      expect(out).toContain('DELE msg');
      expect(out).toContain('TRANSACTION');
    },
  },
  'pop3scope check fixtures/captures/user-pass-retr-dele-quit.pcap --fail-on high; echo "exit $?"': {
    exit: 1,
    check(out) {
      const s = truth('user-pass-retr-dele-quit.pcap').sessions[0]!;
      expect(s.transport).toBe('plain');
      expect(out).toContain(`user "${s.user}"`);
      expect(out).toContain(`frame ${tsharkPassFrame('user-pass-retr-dele-quit.pcap')};`);
      expect(out).toMatch(/^exit 1$/m);
    },
  },
  'pop3scope check fixtures/captures/pop3s-curl.pcap --fail-on high; echo "exit $?"': {
    exit: 0,
    check(out) {
      expect(truth('pop3s-curl.pcap').sessions.map((s) => s.transport)).toEqual(['implicit-tls']);
      expect(out).toContain('in 1 session');
      expect(out).toMatch(/^exit 0$/m);
    },
  },
  'pop3scope check fixtures/captures/baseline-run1.pcap --format json -o /tmp/pop3scope-baseline.json -q': {
    exit: 1,
    check(out) {
      expect(out).toBe('');
      const written = JSON.parse(readFileSync('/tmp/pop3scope-baseline.json', 'utf8')) as { sessions: { user: string }[] };
      // The users the clients logged in as; inside implicit TLS nothing is decrypted, so no user is seen there.
      expect(written.sessions.map((s) => s.user)).toEqual(
        truth('baseline-run1.pcap').sessions.map((s) => (s.transport === 'implicit-tls' ? null : s.user)),
      );
    },
  },
  'pop3scope check fixtures/captures/baseline-run3.pcap --baseline /tmp/pop3scope-baseline.json; echo "exit $?"': {
    exit: 1,
    check(out) {
      // Run 3 adds one session to run 1's: carol's clear-text login on 110 is the one new finding.
      const sessions = truth('baseline-run3.pcap').sessions;
      const added = sessions[sessions.length - 1]!;
      expect(added).toMatchObject({ user: 'carol', transport: 'plain', tcp_stream: sessions.length - 1 });
      expect(out).toContain(`in ${sessions.length} sessions`);
      const line = out.split('\n').find((l) => /^\s+high\s+new\s/.test(l))!;
      expect(line).toContain(`user "${added.user}"`);
      expect(line).toContain(`frame ${tsharkPassFrame('baseline-run3.pcap', sessions.length - 1)};`);
      expect(out).toMatch(/^exit 1$/m);
    },
  },
  'pop3scope sessions fixtures/captures/failed-logins-then-success.pcap': {
    exit: 0,
    check(out) {
      const s = truth('failed-logins-then-success.pcap').sessions[0]!;
      expect(out).toMatch(new RegExp(`\\b${s.user}\\s+${s.mechanism}\\s+${s.outcome}\\b`));
    },
  },
  'pop3scope transcript fixtures/captures/failed-logins-then-success.pcap | head -8': {
    exit: 0,
    check(out) {
      const first = truth('failed-logins-then-success.pcap').sessions[0]!.lines.find((l) => l.from === 'server' && (l.text ?? '').startsWith('-ERR'))!;
      expect(out).toContain(`S← ${first.text}`);
    },
  },
  'pop3scope analyze fixtures/captures/dele-then-drop.pcap': {
    exit: 0,
    check(out) {
      expect(out).toContain(`${capinfosPackets('dele-then-drop.pcap')} packets`);
      const [dropped] = truth('dele-then-drop.pcap').sessions;
      expect(dropped!.committed).toBe(false);
      expect(out).toContain(`deleted ${dropped!.deleted.length} not committed`);
    },
  },
  'rm -rf /tmp/pop3scope-readme-mail && pop3scope extract fixtures/captures/extract-attachments.pcap --output-dir /tmp/pop3scope-readme-mail': {
    exit: 0,
    check(out) {
      // Each RETR's size and sha256 are those of dave's mailbox copy.
      for (const m of mailboxes()['dave']!.slice(0, 5)) {
        expect(out).toMatch(new RegExp(`RETR ${m.number}\\s+${m.octets}\\s+yes\\s+\\d+\\s+${m.sha256.slice(0, 16)}`));
      }
    },
  },
  'ls /tmp/pop3scope-readme-mail/attachments/s1-retr-5 | head -4': {
    exit: 0,
    check(out) {
      // Message 5's sender-chosen names hold path separators and controls; none survives in a name written.
      expect(mailboxes()['dave']![4]!.attachments!.some((a) => a.filename.includes('/'))).toBe(true);
      for (const name of out.split('\n')) expect(name).not.toMatch(/[/\\\x00-\x1f]|^\./);
    },
  },
  'pop3scope analyze fixtures/tls/captures/tls13-two-sessions-one-keylog.pcap --keylog fixtures/tls/keylogs/tls13-two-sessions-one-keylog.keys': {
    exit: 0,
    check(out) {
      const name = 'tls13-two-sessions-one-keylog';
      expect(out).toContain(`${tlsCapinfosPackets(name)} packets`);
      const [first] = tlsTruth(name).sessions;
      expect(out).toContain(`${first!.user} ${first!.mechanism} ${first!.outcome}`);
    },
  },
  'pop3scope transcript fixtures/tls/captures/tls13-aes256gcm-stls-poplib.pcap --keylog fixtures/tls/keylogs/tls13-aes256gcm-stls-poplib.keys | sed -n 7,14p': {
    exit: 0,
    check(out) {
      const [user] = tlsTruth('tls13-aes256gcm-stls-poplib').sessions[0]!.lines.filter((l) => l.encrypted === true && l.from === 'client');
      expect(out).toContain(`C→ ${user!.text}`);
    },
  },
  'pop3scope follow fixtures/tls/captures/tls13-aes256gcm-stls-poplib.pcap --keylog fixtures/tls/keylogs/tls13-aes256gcm-stls-poplib.keys --session 1 --decrypted --format raw --direction client | head -1': {
    exit: 0,
    check(out) {
      const [user] = tlsTruth('tls13-aes256gcm-stls-poplib').sessions[0]!.lines.filter((l) => l.encrypted === true && l.from === 'client');
      expect(out).toBe(user!.text);
    },
  },
};

describe('README examples', () => {
  const list = examples();
  it('every example has its exit status and independent facts here', () => {
    expect(list.map((e) => e.command).sort()).toEqual(Object.keys(FACTS).sort());
  });
  for (const ex of list) {
    it(ex.command, () => {
      const r = runShell(ex.command);
      const got = (r.stdout + r.stderr).replace(/\s+$/, '');
      expect(got).toBe(ex.expected.replace(/\s+$/, ''));
      const facts = FACTS[ex.command]!;
      // The command itself, without what the example appends to show its status.
      const own = runShell(ex.command.split(/;|\|/)[0]!.trim());
      expect(own.status).toBe(facts.exit);
      facts.check(got);
    });
  }
});
