/**
 * Content detection through the whole pipeline, on synthetic conversations
 * whose expected verdicts follow from the protocols' own openings (RFC 1939
 * §4 greeting and §3 status; RFC 5321 §4.2 `220`; RFC 9051 §7.1 `* OK`;
 * RFC 4253 §4.2 `SSH-`; RFC 9112 request line; RFC 8446 ClientHello with the
 * RFC 7301 ALPN extension; RFC 8314 §7 `pop3` ALPN id).
 */
import { describe, it, expect } from 'vitest';
import { conversation, type Turn } from '../support/conversation.js';
import { writePcap } from '../support/capture-writer.js';
import { analyzeBytes } from '../integration/analyze-buffer.js';
import { alpnOffers } from '../../src/detect/client-hello-alpn.js';
import { DETECT_BUDGET } from '../../src/detect/content-detector.js';

const pop3: Turn[] = [
  { from: 'server', data: '+OK POP3 ready\r\n' },
  { from: 'client', data: 'user alice\r\n' },
  { from: 'server', data: '+OK\r\n' },
  { from: 'client', data: 'PASS secret-1\r\n' },
  { from: 'server', data: '+OK Logged in.\r\n' },
  { from: 'client', data: 'QUIT\r\n' },
  { from: 'server', data: '+OK Logging out.\r\n' },
];

/** A minimal TLS 1.2 ClientHello record offering `alpn` (RFC 8446 §4.1.2, RFC 7301 §3.1). */
function clientHello(alpn: string[]): Uint8Array {
  const names = Buffer.concat(alpn.map((a) => Buffer.concat([Buffer.of(a.length), Buffer.from(a)])));
  const alpnExt = alpn.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.of(0, 16), u16(names.length + 2), u16(names.length), names]);
  const sni = Buffer.concat([Buffer.of(0, 0), u16(14), u16(12), Buffer.of(0), u16(9), Buffer.from('mail.test')]);
  const extensions = Buffer.concat([sni, alpnExt]);
  const body = Buffer.concat([Buffer.of(3, 3), Buffer.alloc(32, 7), Buffer.of(0), u16(2), Buffer.of(0x13, 0x01), Buffer.of(1, 0), u16(extensions.length), extensions]);
  const handshake = Buffer.concat([Buffer.of(1, 0, body.length >> 8, body.length & 0xff), body]);
  return Buffer.concat([Buffer.of(0x16, 3, 1), u16(handshake.length), handshake]);
}

function u16(n: number): Buffer {
  return Buffer.of(n >> 8, n & 0xff);
}

async function run(turns: Turn[], serverPort: number, opts: { detect?: boolean; noHandshake?: boolean } = {}) {
  const frames = conversation(turns, { serverPort, noHandshake: opts.noHandshake });
  return analyzeBytes(writePcap(frames), { detect: opts.detect, showSecrets: true });
}

describe('POP3 on any port is found by its content', () => {
  for (const port of [2110, 8080, 25, 80]) {
    it(`plain POP3 on ${port}: one session, detection "content", the whole transcript`, async () => {
      const r = await run(pop3, port);
      expect(r.sessions).toHaveLength(1);
      const s = r.sessions[0]!;
      expect(s.detection).toBe('content');
      expect(s.server.port).toBe(port);
      expect(s.user).toBe('alice');
      expect(s.transcript.map((e) => e.command ?? e.status)).toEqual(['+OK', 'USER', '+OK', 'PASS', '+OK', 'QUIT', '+OK']);
      expect(r.findings.map((f) => f.rule)).toContain('cleartext-credentials');
    });
  }

  it('on 110 the port decides: detection "port"', async () => {
    const r = await run(pop3, 110);
    expect(r.sessions[0]!.detection).toBe('port');
  });

  it('--no-detect: POP3 on 2110 is not seen, and its packets count as other-port', async () => {
    const r = await run(pop3, 2110, { detect: false });
    expect(r.sessions).toHaveLength(0);
    expect(r.captures[0]!.skipped['other-port']).toBe(conversation(pop3).length);
  });

  it('STLS on a detected port hands over to TLS as on 110', async () => {
    const turns: Turn[] = [
      { from: 'server', data: '+OK ready\r\n' }, { from: 'client', data: 'STLS\r\n' }, { from: 'server', data: '+OK Begin TLS\r\n' },
      { from: 'client', data: clientHello([]) },
    ];
    const r = await run(turns, 2110);
    expect(r.sessions[0]!.transport).toBe('stls');
    expect(r.sessions[0]!.tls).not.toBeNull();
  });

  it('implicit TLS whose ClientHello offers ALPN pop3 is POP3S on any port', async () => {
    const r = await run([{ from: 'client', data: clientHello(['h2', 'pop3']) }], 4995);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]!.transport).toBe('implicit-tls');
    expect(r.sessions[0]!.detection).toBe('content');
    expect(r.sessions[0]!.tls?.alpn).toEqual(['h2', 'pop3']);
  });

  it('a connection joined mid-stream: a command answered by a status is enough', async () => {
    const r = await run(pop3.slice(3), 2110, { noHandshake: true });
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]!.midstream).toBe(true);
    expect(r.sessions[0]!.client.port).toBe(40000);
  });
});

describe('other protocols never become POP3', () => {
  const others: [string, Turn[]][] = [
    ['SMTP', [{ from: 'server', data: '220 mx.test ESMTP\r\n' }, { from: 'client', data: 'EHLO c\r\n' }, { from: 'server', data: '250 mx.test\r\n' }]],
    ['FTP (USER, PASS and QUIT are POP3 words too)', [{ from: 'server', data: '220 ftp ready\r\n' }, { from: 'client', data: 'USER anonymous\r\n' }, { from: 'server', data: '331 Please specify the password.\r\n' }]],
    ['IMAP', [{ from: 'server', data: '* OK [CAPABILITY IMAP4rev1] ready\r\n' }, { from: 'client', data: 'a1 CAPABILITY\r\n' }, { from: 'server', data: '* CAPABILITY IMAP4rev1\r\na1 OK\r\n' }]],
    ['SSH', [{ from: 'server', data: 'SSH-2.0-OpenSSH_9.2\r\n' }, { from: 'client', data: 'SSH-2.0-OpenSSH_9.2\r\n' }]],
    ['HTTP', [{ from: 'client', data: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' }, { from: 'server', data: 'HTTP/1.1 200 OK\r\n\r\n' }]],
    ['TLS without ALPN pop3', [{ from: 'client', data: clientHello(['h2', 'http/1.1']) }, { from: 'server', data: Buffer.of(0x16, 3, 3, 0, 1, 2) }]],
    ['a +OK greeting answered by a line that is no command', [{ from: 'server', data: '+OK hi\r\n' }, { from: 'client', data: 'HELLO there\r\n' }, { from: 'server', data: '+OK\r\n' }]],
    ['a command that is never answered with a status', [{ from: 'server', data: '+OK hi\r\n' }, { from: 'client', data: 'USER x\r\n' }, { from: 'server', data: 'what?\r\n' }]],
    ['a POP3-like server that greets -ERR and closes (unconfirmed off the POP3 ports)', [{ from: 'server', data: '-ERR [SYS/TEMP] service unavailable\r\n' }]],
  ];
  for (const [what, turns] of others) {
    it(`${what} on 2525: no session, counted as dropped`, async () => {
      const r = await run(turns, 2525);
      expect(r.sessions).toHaveLength(0);
      expect(r.connections?.dropped).toBe(1);
    });
  }

  it('on 110 a conversation that is not POP3 stays notPop3, with no transcript', async () => {
    const r = await run(others[0]![1], 110);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0]!.notPop3).toBeDefined();
    expect(r.sessions[0]!.transcript).toEqual([]);
    expect(r.sessions[0]!.detection).toBe('port');
  });

  it('the packets after the verdict are skipped before TCP reassembly, and every packet is accounted for', async () => {
    const turns: Turn[] = [{ from: 'client', data: 'GET / HTTP/1.1\r\n\r\n' }];
    for (let i = 0; i < 20; i++) turns.push({ from: 'server', data: 'x'.repeat(1000) });
    const frames = conversation(turns, { serverPort: 80 });
    const r = await analyzeBytes(writePcap(frames));
    const c = r.captures[0]!;
    expect(c.skipped['not-pop3']).toBeGreaterThan(15);
    expect((c.segments ?? 0) + Object.values(c.skipped).reduce((a, b) => a + b, 0)).toBe(frames.length);
  });

  it('a client that sends more than the budget without a decision is given up', async () => {
    const r = await run([{ from: 'server', data: '+OK hi\r\n' }, { from: 'client', data: 'U'.repeat(DETECT_BUDGET + 10) }], 2525);
    expect(r.sessions).toHaveLength(0);
    expect(r.connections?.dropped).toBe(1);
  });
});

describe('ALPN in a ClientHello', () => {
  it('is found only in a complete record, only as a whole name', () => {
    expect(alpnOffers(clientHello(['pop3']), 'pop3')).toBe(true);
    expect(alpnOffers(clientHello(['pop3s', 'xpop3']), 'pop3')).toBe(false);
    expect(alpnOffers(clientHello([]), 'pop3')).toBe(false);
    const hello = clientHello(['pop3']);
    expect(alpnOffers(hello.subarray(0, hello.length - 3), 'pop3')).toBeNull();
    expect(alpnOffers(Buffer.from('+OK'), 'pop3')).toBe(false);
  });
});
