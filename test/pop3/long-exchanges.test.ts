/**
 * Exchanges far longer than any client sends: each costs time in proportion
 * to its length, and what is kept of it is capped and counted (docs/limits.md).
 */
import { describe, expect, it } from 'vitest';
import { C, S, run, type Step } from './harness.js';

describe('a SASL exchange of 40,000 rounds', () => {
  const steps: Step[] = [S('+OK ready'), C('AUTH X-ROUNDS')];
  for (let i = 0; i < 40_000; i++) steps.push(S('+ '), C('AAAA'));
  steps.push(S('-ERR no'), C('QUIT'), S('+OK'));

  it('keeps the first 100 rounds in the attempt, counts the rest, and still sees the outcome', () => {
    const s = run(steps);
    const [a] = s.auth;
    expect(a!.mechanism).toBe('X-ROUNDS');
    expect(a!.outcome).toBe('failure');
    // The AUTH line, then a challenge and a response per kept round, then the -ERR.
    expect(a!.frames.length).toBe(1 + 2 * 100 + 1);
    expect(s.events['sasl-rounds-dropped']).toBe(40_000 - 100);
  });

  it('lets --limit sasl-rounds=N change the cap', () => {
    const s = run(steps.slice(0, 2 + 2 * 50).concat(S('+OK')), { limits: { maxSaslRounds: 10 } });
    expect(s.auth[0]!.frames.length).toBe(1 + 2 * 10 + 1);
    expect(s.events['sasl-rounds-dropped']).toBe(40);
  });
});

describe('a CAPA answer naming 23,000 mechanisms', () => {
  it('keeps the first 64 and counts the rest', () => {
    const names = Array.from({ length: 23_000 }, (_, i) => `X-${i}`);
    const lines: string[] = [];
    for (let i = 0; i < names.length; i += 50) lines.push(`SASL ${names.slice(i, i + 50).join(' ')}`);
    const s = run([S('+OK ready'), C('CAPA'), { s: `+OK\r\n${lines.join('\r\n')}\r\n.\r\n` }]);
    expect(s.saslMechanisms).toHaveLength(64);
    expect(s.saslMechanisms[0]).toBe('X-0');
    expect(s.events['sasl-mechanisms-dropped']).toBe(23_000 - 64);
  });
});
