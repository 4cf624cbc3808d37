/**
 * Damaged real captures: each recorded fixture mutated at one layer at a time
 * (file header, record and block lengths, truncation, IP and TCP headers,
 * payload bytes, record order) must still give a result that passes every
 * invariant (test/fuzz/invariants.ts). Seeded, so a failure replays.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../support/tshark.js';
import { analyzeAndCheck } from './invariants.js';
import { MUTATORS, MUTATOR_NAMES, mutate, seededRng } from './mutators.mjs';

/** Small fixtures covering pcap, pcapng, IPv6, Linux SLL2, STLS and implicit TLS. */
const FIXTURES = [
  'apop-login.pcap', 'sample.pcapng', 'ipv6-loopback.pcap', 'any-interface-sll2.pcap', 'stls-poplib.pcap', 'pop3s-curl.pcap',
].map((name) => ({ name, bytes: new Uint8Array(readFileSync(fixturePath(name))) }));

const SEED = 20261126;

describe('mutated fixtures keep every invariant', () => {
  for (const mutator of MUTATOR_NAMES) {
    it(`${mutator}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: FIXTURES.length - 1 }), fc.integer(), async (f, seed) => {
          const bytes = MUTATORS[mutator]!(FIXTURES[f]!.bytes, seededRng(seed));
          const { problems } = await analyzeAndCheck(bytes);
          expect(problems, `${FIXTURES[f]!.name} seed ${seed}`).toEqual([]);
        }),
        { seed: SEED, numRuns: 30 },
      );
    });
  }

  it('several mutations at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: FIXTURES.length - 1 }), fc.integer(), fc.integer({ min: 2, max: 6 }), async (f, seed, n) => {
        const { bytes, applied } = mutate(FIXTURES[f]!.bytes, seededRng(seed), n);
        const { problems } = await analyzeAndCheck(bytes);
        expect(problems, `${FIXTURES[f]!.name} ${applied.join('+')}`).toEqual([]);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('gzip of a fixture cut at any point', async () => {
    const { gzipSync } = await import('node:zlib');
    const gz = gzipSync(FIXTURES[0]!.bytes);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: gz.length }), async (cut) => {
        const { problems } = await analyzeAndCheck(gz.subarray(0, cut));
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: 15 },
    );
  });
});
