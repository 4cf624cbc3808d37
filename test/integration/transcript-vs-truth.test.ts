/**
 * Every real fixture: the transcript equals what the client itself logged at recording
 * time (fixtures/truth/NAME.json), line by line, and the session facts (user, mechanism,
 * outcome, transport, messages, commit) equal what the recording notes state.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { SessionOut } from '../../src/model.js';
import { fixturePath } from '../support/tshark.js';
import { asLines, normalise, truthFiles, type TruthSession } from '../support/truth.js';

/** Pairs truth sessions (in recording order) with ours (in connection order) by server port order. */
function pair(truth: TruthSession[], ours: SessionOut[]): [TruthSession, SessionOut][] {
  return truth.map((t, i) => [t, ours[i]]);
}

describe('transcripts equal the clients\' own logs', () => {
  const all = truthFiles();
  it('has ground truth for the fixtures', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  for (const truth of all) {
    describe(truth.capture, () => {
      let result: Awaited<ReturnType<typeof analyze>>;
      const load = async () => (result ??= await analyze(fixturePath(truth.capture), { showSecrets: true }));

      it('has one session per recorded client session', async () => {
        const r = await load();
        expect(r.sessions.length).toBe(truth.sessions.length);
      });

      truth.sessions.forEach((t, i) => {
        it(`session ${i + 1} (${t.client}): lines`, async () => {
          const r = await load();
          const [, s] = pair(truth.sessions, r.sessions)[i];
          const clear = t.lines.filter((l) => !l.encrypted).map(normalise);
          const ours = asLines(s).map(normalise);
          // Each direction in order. The interleaving is the wire's, which can differ from the
          // order a client logged: a server line sent out of turn precedes the command it crossed.
          for (const side of ['client', 'server'] as const) {
            expect(ours.filter((l) => l.from === side), side).toEqual(clear.filter((l) => l.from === side));
          }
        });

        it(`session ${i + 1} (${t.client}): facts`, async () => {
          const r = await load();
          const s = r.sessions[i];
          expect(s.transport).toBe(t.transport);
          // Inside TLS nothing is decrypted: the login and the messages are not visible.
          if (t.transport === 'plain') {
            expect(s.messages.committed).toBe(t.committed);
            expect(s.user).toBe(t.user);
            const last = s.auth[s.auth.length - 1];
            expect(last?.mechanism ?? null).toBe(t.mechanism);
            expect(last?.outcome ?? null).toBe(t.outcome);
            expect(s.messages.retrieved.filter((m) => m.command === 'RETR').map((m) => m.number)).toEqual(t.retrieved);
            expect(s.messages.deleted).toEqual(t.deleted);
            if (t.failed_attempts !== undefined) {
              expect(s.auth.filter((a) => a.outcome === 'failure').length).toBe(t.failed_attempts);
            }
          }
        });
      });
    });
  }
});
