/** Attacker-controlled bytes: any mix of segments and gaps ends in a session, within the limits. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Step, run } from './harness.js';

const WORDS = ['+OK', '-ERR', '+ ', '.', '..', 'USER a', 'PASS b', 'AUTH PLAIN', 'AUTH', 'RETR 1', 'LIST', 'CAPA', 'STLS', 'QUIT', '*', '\r', '\n', '\r\n', '[IN-USE]', '\x00\xff'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ c: fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' ')) }),
  fc.record({ s: fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' ')) }),
  fc.record({ c: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ s: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ gap: fc.constantFrom('client' as const, 'server' as const), length: fc.integer({ min: 1, max: 5000 }) }),
);

describe('any input', () => {
  it('yields one session and respects the limits', () => {
    const limits = { maxLineLength: 40, maxPendingCommands: 4, maxTranscriptEntries: 30, maxHeaderBytes: 100 };
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), fc.boolean(), (steps, midstream) => {
      const s = run([{ s: '+OK hi\r\n' }, ...steps], { limits, midstream, showSecrets: false });
      expect(s.transcript.length).toBeLessThanOrEqual(30);
      expect(s.auth.length).toBeLessThanOrEqual(30);
      for (const e of s.transcript) {
        if (e.argument !== undefined) expect(e.argument.length).toBeLessThanOrEqual(40);
        if (e.secret) expect(e.argument === undefined || e.argument.endsWith('[redacted]')).toBe(true);
      }
      for (const a of s.auth) expect(a.secret === null || a.secret === '[redacted]').toBe(true);
    }), { numRuns: 300 });
  });
});
