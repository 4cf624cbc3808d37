/**
 * The corpus of bad inputs in fixtures/malformed/: each NAME.json names its
 * capture and what the tool must now say about it (warning code, offset,
 * frame, packets read, sessions, limits), and what the command line does
 * (exit code, one diagnostic line, never a stack trace). Hand-made cases are
 * written by test/fuzz/make-malformed.mjs; inputs the long fuzz run found are
 * added by test/fuzz/long-run.mjs, minimised.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { limitOption } from '../../src/cli/common-options.js';
import { runCli, runCliMeasured, REPO } from '../support/run-cli.js';
import { resultProblems } from './invariants.js';

const DIR = path.join(REPO, 'fixtures', 'malformed');

interface Expectation {
  input: string;
  why: string;
  /** Absent on an input the long run found and nobody has looked at yet: then only the invariants are checked. */
  warnings?: { code: string; offset?: number; frame?: number; fatal?: boolean }[];
  first?: string;
  messages?: { listed: unknown[]; retrieved: unknown[]; deleted: number[] };
  packets?: number;
  damaged?: boolean;
  sessions?: number;
  connections?: { total: number; empty: number };
  limits?: Record<string, number>;
  firstEntryLength?: number;
  inflatedLength?: number;
  /** Further inputs read in the same run (paths in fixtures/malformed/ or from the repository root). */
  also?: string[];
  /** No session gap may be longer than this (octets). */
  gapsAtMost?: number;
  /** The first session's transcript entries (commands and responses kept). */
  entries?: number;
  /**
   * Caps to run with, as `--limit` takes them (`NAME=N`, docs/limits.md): given to every
   * command line below as `--limit NAME=N`, and to analyze() through the same parser.
   */
  withLimits?: string[];
  /** The subcommands the command-line checks run (default `analyze`); `bound` holds for each. */
  commands?: ('analyze' | 'transcript')[];
  /** What the command line may cost on this input, measured in the child process (`analyze` in JSON, `transcript` as text). */
  bound?: { seconds: number; rssMiB: number };
  cli: { exit?: number; stderr?: string };
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as Expectation);

describe('malformed corpus', () => {
  it('is not empty', () => expect(cases.length).toBeGreaterThanOrEqual(9));

  for (const c of cases) {
    const file = path.join(DIR, c.input);
    const inputs = [file, ...(c.also ?? []).map((a) => path.resolve(DIR, a))];
    const limitArgs = (c.withLimits ?? []).flatMap((l) => ['--limit', l]);
    const limits = (c.withLimits ?? []).reduce((acc, l) => limitOption(l, acc), {});
    describe(c.input, () => {
      it(`analyze(): ${c.why}`, async () => {
        const r = await analyze(inputs, { limits });
        expect(resultProblems(r)).toEqual([]);
        const info = r.captures.find((x) => x.path === file)!;
        if (!c.warnings) return;
        const got = info.warnings.map((w) => {
          const pickKeys: Record<string, unknown> = { code: w.code };
          const want = c.warnings!.find((x) => x.code === w.code);
          if (want?.offset !== undefined) pickKeys.offset = w.offset;
          if (want?.frame !== undefined) pickKeys.frame = w.frame;
          if (want?.fatal !== undefined) pickKeys.fatal = w.fatal;
          return pickKeys;
        });
        expect(got).toEqual(c.warnings);
        if (c.packets !== undefined) expect(info.packets).toBe(c.packets);
        if (c.first !== undefined) expect(info.first).toBe(c.first);
        if (c.messages) {
          const m = r.sessions[0]!.messages;
          expect({ listed: m.listed, retrieved: m.retrieved, deleted: m.deleted }).toEqual(c.messages);
        }
        if (c.damaged !== undefined) expect(info.damaged).toBe(c.damaged);
        if (c.sessions !== undefined) expect(r.sessions).toHaveLength(c.sessions);
        if (c.connections) expect(r.connections).toEqual(c.connections);
        if (c.limits) expect(r.limits).toEqual(c.limits);
        if (c.entries !== undefined) expect(r.sessions[0]!.transcript).toHaveLength(c.entries);
        if (c.firstEntryLength !== undefined) {
          const e = r.sessions[0]!.transcript[0]!;
          expect(e.length).toBe(c.firstEntryLength);
          expect(e.notes).toContain('line-too-long');
        }
        if (c.gapsAtMost !== undefined) {
          for (const s of r.sessions) for (const g of s.gaps) expect(g.length).toBeLessThanOrEqual(c.gapsAtMost);
        }
        if (c.inflatedLength !== undefined) {
          // zlib's own count of what the cut stream holds, independent of the tool.
          const inflated = gunzipSync(readFileSync(file), { finishFlush: constants.Z_SYNC_FLUSH });
          expect(inflated.length).toBe(c.inflatedLength);
        }
      });

      for (const command of c.commands ?? ['analyze']) {
        it(`command line: ${command} exits ${c.cli.exit ?? '0 or 2'}, a plain diagnostic, no stack trace`, () => {
          const r = runCli([command, ...limitArgs, ...inputs]);
          expect(r.stderr).not.toMatch(/\n\s+at |internal error|Error:/);
          if (c.cli.exit === undefined) {
            expect([0, 2]).toContain(r.status);
            return;
          }
          expect(r.status).toBe(c.cli.exit);
          if (c.cli.stderr === '') expect(r.stderr).toBe('');
          else if (c.cli.stderr !== undefined) expect(r.stderr).toContain(c.cli.stderr);
          if (c.cli.exit === 2 && inputs.length === 1) {
            // Nothing could be read: one line on standard error, nothing on standard output.
            expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
            expect(r.stdout).toBe('');
          }
        });

        if (c.bound) {
          const bound = c.bound;
          const format = command === 'analyze' ? ['--format', 'json'] : [];
          it(`command line: ${command} within ${bound.seconds} s and ${bound.rssMiB} MiB`, () => {
            const r = runCliMeasured([command, ...format, ...limitArgs, ...inputs]);
            expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
            if (c.cli.exit !== undefined) expect(r.status).toBe(c.cli.exit);
            expect(r.rssMiB).toBeLessThan(bound.rssMiB);
            expect(r.seconds).toBeLessThan(bound.seconds);
          });
        }
      }
    });
  }
});
