/**
 * `check --format junit` against the Jenkins JUnit XSD (test/support/junit/), validated
 * with libxml2's xmllint. Captured text is hostile: a synthetic capture whose greeting
 * holds `]]>`, `<`, `&`, quotes and a character XML 1.0 forbids must still give a valid
 * report that says what the greeting said.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/run-cli.js';
import { conversation } from '../support/conversation.js';
import { writePcap } from '../support/capture-writer.js';
import { RULES } from '../../src/rules/registry.js';
import { xmlAttribute, xmlText } from '../../src/report/xml-text.js';

const XSD = fileURLToPath(new URL('../support/junit/jenkins-junit.xsd', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pop3scope-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmllint(args: string[], xml: string): { status: number | null; out: string; err: string } {
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(path, xml);
  const r = spawnSync('xmllint', [...args, path], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${r.error.message}`);
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const validate = (xml: string) => xmllint(['--noout', '--schema', XSD], xml);
const xpath = (xml: string, expr: string) => xmllint(['--xpath', expr], xml).out.replace(/\n$/, '');

describe('check --format junit', () => {
  it('run 3 of the recorded scenario against run 1: valid, one failure, one test case per rule', () => {
    const baseline = join(dir, 'run1.json');
    runCli(['check', 'fixtures/captures/baseline-run1.pcap', '--format', 'json', '-o', baseline, '-q']);
    const r = runCli(['check', 'fixtures/captures/baseline-run3.pcap', '--baseline', baseline, '--format', 'junit', '-q']);
    expect(r.status).toBe(1);
    const v = validate(r.stdout);
    expect(v.status, v.err).toBe(0);
    expect(xpath(r.stdout, 'count(//testsuite)')).toBe('1');
    expect(xpath(r.stdout, 'count(//testcase)')).toBe(String(RULES.length));
    expect(xpath(r.stdout, 'count(//failure)')).toBe('1');
    expect(xpath(r.stdout, 'string(//failure/../@name)')).toBe('cleartext-credentials');
    expect(xpath(r.stdout, 'string(//failure/@message)')).toMatch(/user "carol"/);
    // alice's login is known: listed, not failed.
    expect(xpath(r.stdout, 'string(//testcase[@name="cleartext-credentials"]/system-out)')).toMatch(/^known \(in the baseline\): high .*"alice"/);
  });

  it('one test suite per capture; a rule the policy disabled is skipped', () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ rules: { 'weak-tls': { enabled: false } } }));
    const r = runCli(['check', 'fixtures/captures/baseline-run1.pcap', 'fixtures/captures/apop-login.pcap', '--policy', policy, '--fail-on', 'medium', '--format', 'junit', '-q']);
    expect(validate(r.stdout).status).toBe(0);
    expect(xpath(r.stdout, 'count(//testsuite)')).toBe('2');
    expect(xpath(r.stdout, 'count(//testcase[skipped])')).toBe('2');
    // apop-login: one plain APOP session (fixtures/README.md): plaintext-port and weak-auth-mechanism, both medium.
    expect(xpath(r.stdout, 'count(//testsuite[@name="fixtures/captures/apop-login.pcap"]//failure)')).toBe('2');
    expect(xpath(r.stdout, 'string(/testsuites/@failures)')).toBe(String(Number(xpath(r.stdout, 'count(//failure)'))));
  });

  it('a hostile greeting (`]]>`, `<`, `&`, quotes, U+FFFF) and a hostile file name still give a valid report', () => {
    // Bare LF ends the greeting, so protocol-violation quotes it in its message.
    const greeting = '+OK ]]></failure><x a="1"> & \'q\' \uffff ready';
    const name = join(dir, 'cap<&>"]]>\x01.pcap');
    writeFileSync(name, writePcap(conversation([
      { from: 'server', data: Buffer.from(`${greeting}\n`, 'utf8') },
      { from: 'client', data: 'USER alice\r\n' },
      { from: 'server', data: '+OK\r\n' },
      { from: 'client', data: 'QUIT\r\n' },
      { from: 'server', data: '+OK bye\r\n' },
    ])));
    const r = runCli(['check', name, '--fail-on', 'low', '--format', 'junit', '-q']);
    expect(r.status).toBe(1);
    const v = validate(r.stdout);
    expect(v.status, v.err).toBe(0);
    expect(r.stdout).not.toMatch(/\]\]>|\uffff|\x01/);
    // What a CI page shows is what the server sent, less the character XML cannot hold.
    const message = xpath(r.stdout, 'string(//testcase[@name="protocol-violation"]/failure/@message)');
    // The finding quotes the line as a JSON string (inner quotes as \"); U+FFFF is gone.
    expect(message).toContain(greeting.replace('\uffff', '').replace(/"/g, '\\"'));
    expect(xpath(r.stdout, 'string(//testcase[@name="protocol-violation"]/failure)')).toContain('+OK ]]></failure><x a=');
    expect(xpath(r.stdout, 'string(//testsuite/@name)')).toBe(name.replace('\x01', ''));
  });
});

describe('XML escaping', () => {
  it('escapes markup and drops what XML 1.0 forbids, lone surrogates included', () => {
    expect(xmlText('a<b>&]]>')).toBe('a&lt;b&gt;&amp;]]&gt;');
    expect(xmlText('x\x00\x08\x0b\x0c\x1f\ufffe\uffff\ud800y\tz\n')).toBe('xy\tz\n');
    expect(xmlText('\u{1f600} é')).toBe('\u{1f600} é');
    expect(xmlAttribute('"a"\n\tb\r')).toBe('&quot;a&quot;&#10;&#9;b&#13;');
  });
});
