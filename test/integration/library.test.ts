/**
 * The library face exactly as README shows it: the package imported by its name
 * (resolved to the built dist/), asserting on recorded traffic without a subprocess.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from 'pop3scope';
import { fixturePath } from '../support/tshark.js';

describe("import { analyze } from 'pop3scope'", () => {
  it('no session sent a password in clear (POP3S capture)', async () => {
    const result = await analyze(fixturePath('pop3s-curl.pcap'));
    expect(result.findings.filter((f) => f.rule === 'cleartext-credentials')).toEqual([]);
    expect(result.sessions.map((s) => s.transport)).toEqual(['implicit-tls']);
  });

  it('and the same assertion catches USER/PASS on port 110', async () => {
    const result = await analyze(fixturePath('user-pass-retr-dele-quit.pcap'));
    const found = result.findings.filter((f) => f.rule === 'cleartext-credentials');
    expect(found.map((f) => f.session)).toEqual(['1']);
    expect(JSON.stringify(result)).not.toContain('Wonderland-7429'); // the recorded password, redacted
  });
});
